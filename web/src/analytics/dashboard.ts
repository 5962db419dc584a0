// Pure helpers of 数据看板: date ranges in the tenant's zone (this week / this month / custom, sent
// as RFC 3339 with that zone's offset), server summaries → chart data, and the lead-list URL each
// chart element opens (the list reads its filters from the URL in the API's own syntax).
import type { Summary, SummaryGroup } from '../api/types';

export type RangeKind = 'week' | 'month' | 'custom';

export interface DateRange {
  kind: RangeKind;
  /** Local calendar days, inclusive: "2026-03-09" … "2026-03-15". */
  from: string;
  to: string;
  /** Instants: [gte, lt) as RFC 3339 with the zone's offset. */
  gte: string;
  lt: string;
}

/** The zone's offset from UTC at `utcMs`, in minutes (+480 for Asia/Shanghai). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** Today's calendar date in `zone` ("YYYY-MM-DD"). */
export function localDate(zone: string, now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

/** "YYYY-MM-DD" shifted by `days` calendar days. */
export function addDays(ymd: string, days: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function offsetText(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Local midnight of `ymd` in `zone` as RFC 3339 with the offset in force then. */
export function startOfLocalDay(ymd: string, zone: string): string {
  const guess = Date.parse(`${ymd}T00:00:00Z`);
  let off = zoneOffsetMinutes(zone, guess);
  off = zoneOffsetMinutes(zone, guess - off * 60000);
  return `${ymd}T00:00:00${offsetText(off)}`;
}

/** This week (Monday first), this month, or the custom days [from, to], in `zone`. */
export function dateRange(kind: RangeKind, zone: string, now: number, custom?: { from: string; to: string }): DateRange {
  const today = localDate(zone, now);
  let from = today;
  let to = today;
  if (kind === 'week') {
    const dow = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    from = addDays(today, -((dow + 6) % 7));
    to = addDays(from, 6);
  } else if (kind === 'month') {
    from = `${today.slice(0, 8)}01`;
    const next = new Date(`${from}T00:00:00Z`);
    next.setUTCMonth(next.getUTCMonth() + 1);
    to = addDays(next.toISOString().slice(0, 10), -1);
  } else if (custom) {
    from = custom.from <= custom.to ? custom.from : custom.to;
    to = custom.from <= custom.to ? custom.to : custom.from;
  }
  return { kind, from, to, gte: startOfLocalDay(from, zone), lt: startOfLocalDay(addDays(to, 1), zone) };
}

/** The list / summary filters of a range on `field` (default created_at). */
export function rangeFilters(r: DateRange, field = 'created_at'): Record<string, string> {
  return { [`${field}[gte]`]: r.gte, [`${field}[lt]`]: r.lt };
}

/** "/leads?channel[in]=douyin_form&created_at[gte]=…": the lead list under these filters. */
export function listUrl(entity: string, filters: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') p.append(k, v);
  const s = p.toString();
  return s ? `/${entity}?${s}` : `/${entity}`;
}

export interface Slice {
  /** The group's value as the API has it; "" for "not set". */
  key: string;
  name: string;
  value: number;
}

function groupKey(g: SummaryGroup): string {
  return g.value === null || g.value === undefined ? '' : String(g.value);
}

/** Groups → named slices (labels from the field's options; "未填写" for null), as the server sorted them. */
export function slices(s: Summary | undefined, labelOf: (value: string) => string, unsetLabel: string): Slice[] {
  return (s?.groups ?? []).map((g) => {
    const key = groupKey(g);
    return { key, name: key === '' ? unsetLabel : labelOf(key), value: g.count };
  });
}

export interface FunnelShare {
  red: number;
  yellow: number;
  green: number;
  /** Leads without a color yet. */
  none: number;
  total: number;
  /** red / total, 0 when there are no leads. */
  redShare: number;
}

/** 三色漏斗: red / yellow / green counts and the share of red among all leads in range. */
export function funnelShare(s: Summary | undefined): FunnelShare {
  const out: FunnelShare = { red: 0, yellow: 0, green: 0, none: 0, total: s?.total ?? 0, redShare: 0 };
  let grouped = 0;
  for (const g of s?.groups ?? []) {
    grouped += g.count;
    const k = groupKey(g);
    if (k === 'red' || k === 'yellow' || k === 'green') out[k] += g.count;
    else out.none += g.count;
  }
  if (!s?.total) out.total = grouped;
  out.redShare = out.total > 0 ? out.red / out.total : 0;
  return out;
}

export interface AvgBar {
  key: string;
  name: string;
  /** Hours, 1 decimal; null when no lead of the group has a value. */
  hours: number | null;
  count: number;
}

/** 响应时效 per group (hours, 1 decimal), groups without any value left out. */
export function avgBars(s: Summary | undefined, labelOf: (value: string) => string, unsetLabel: string): AvgBar[] {
  return (s?.groups ?? [])
    .filter((g) => g.avg !== null && g.avg !== undefined)
    .map((g) => {
      const key = groupKey(g);
      return { key, name: key === '' ? unsetLabel : labelOf(key), hours: round1(g.avg as number), count: g.count };
    });
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "12.5%" */
export function percent(share: number): string {
  return `${round1(share * 100)}%`;
}
