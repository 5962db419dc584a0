// 响应时效 and touch figures of a lead, as shown on its page. 响应时效 is computed by the server
// when the first follow-up is logged (response_hours); until then the lead is waiting — the server
// then reports the age so far with response_pending: true — and the UI shows for how long,
// counted from created_at so it keeps ticking. Pure functions.
import type { RecordData } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';

export type ResponseState =
  | { kind: 'responded'; hours: number }
  | { kind: 'waiting'; hours: number }
  | { kind: 'unknown' };

export function responseState(lead: Pick<RecordData, 'created_at'> & { response_hours?: unknown; response_pending?: unknown }, now: number): ResponseState {
  if (typeof lead.response_hours === 'number' && lead.response_pending !== true) return { kind: 'responded', hours: lead.response_hours };
  const created = Date.parse(lead.created_at);
  if (Number.isNaN(created)) return { kind: 'unknown' };
  return { kind: 'waiting', hours: Math.max(0, (now - created) / 3_600_000) };
}

/** "5.2 小时" / "5.2 h"; under 0.1 h "< 0.1 小时"; 48 h and more also in days. */
export function formatHours(hours: number, lang: Lang): string {
  const unit = lang === 'en' ? ' h' : ' 小时';
  if (hours < 0.05) return `< 0.1${unit}`;
  const h = `${(Math.round(hours * 10) / 10).toFixed(1)}${unit}`;
  if (hours < 48) return h;
  const d = (Math.round((hours / 24) * 10) / 10).toFixed(1);
  return lang === 'en' ? `${h} (${d} days)` : `${h}(${d} 天)`;
}

/** 「响应 1.5 小时」 / 「等待中 5.2 小时」. */
export function responseText(state: ResponseState, lang: Lang): string {
  if (state.kind === 'unknown') return '—';
  const h = formatHours(state.hours, lang);
  if (state.kind === 'waiting') return lang === 'en' ? `Waiting ${h}` : `等待中 ${h}`;
  return h;
}

/** Tag color: answered within 1 h is good, within 24 h fair, beyond that (or waiting > 24 h) late. */
export function responseTone(state: ResponseState): 'success' | 'warning' | 'error' | 'processing' | 'default' {
  if (state.kind === 'unknown') return 'default';
  if (state.kind === 'waiting') return state.hours > 24 ? 'error' : 'processing';
  return state.hours <= 1 ? 'success' : state.hours <= 24 ? 'warning' : 'error';
}

/** Lead fields with their own card on the lead page (响应时效 and touches). */
export const PIPELINE_FIELDS = ['response_hours', 'first_followup_at', 'touch_count', 'last_touch_at', 'intake_source_id'] as const;

/** Ad attribution fields (Baidu, Ocean Engine, UTM): shown folded in 「广告归因」. */
export function isAttributionField(name: string): boolean {
  return name.startsWith('ad_') || name.startsWith('utm_');
}
