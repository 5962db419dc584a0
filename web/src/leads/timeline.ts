// A record's timeline as one list: field history (GET …/history: who changed what — or which rule,
// from `caused_by`) and what rules did that left no history event on the record (GET /rule-firings:
// alerts raised, notifications and webhooks sent, tasks created, actions held or failed), grouped
// per rule and triggering event, newest first. A firing whose effect is itself a history event
// (a colour, tags, an assignment, a document sent) is shown once, as that event. Also what an
// intake source brought on a created / touched event (intakeInfo, touchInfo). Pure.
import type { HistoryItem, RuleFiring } from '../api/types';

export type TimelineEntry =
  | { kind: 'history'; at: string; key: string; item: HistoryItem }
  | { kind: 'rule'; at: string; key: string; ruleId: string; ruleName: string; firings: RuleFiring[] };

/**
 * The rule behind a history entry: the item's `caused_by`, or — for an assignment made by a rule's
 * `assign` action — the one inside its reason. Null for a change made by a person.
 */
export function causedBy(item: HistoryItem): { rule_id: string; rule_name?: string } | null {
  const direct = item.caused_by;
  if (direct && typeof direct.rule_id === 'string' && direct.rule_id) return { rule_id: direct.rule_id, rule_name: direct.rule_name || undefined };
  const r = item.reason;
  if (r && typeof r === 'object' && !Array.isArray(r)) {
    const c = (r as Record<string, unknown>).caused_by as { rule_id?: unknown; rule_name?: unknown } | undefined;
    if (c && typeof c.rule_id === 'string' && c.rule_id) return { rule_id: c.rule_id, rule_name: typeof c.rule_name === 'string' && c.rule_name ? c.rule_name : undefined };
  }
  return null;
}

/** The document of a `<singular>.document_sent` event (its `document`), or null. */
export function sentDocument(item: HistoryItem): { id: string; name: string } | null {
  if (!item.type.endsWith('.document_sent') || !item.document?.id) return null;
  return { id: item.document.id, name: item.document.name || item.document.id.slice(0, 8) };
}

/** The file of a `<singular>.attachment_added` event (its `document`), or null. */
export function attachedFile(item: HistoryItem): { id: string; name: string } | null {
  if (!item.type.endsWith('.attachment_added') || !item.document?.id) return null;
  return { id: item.document.id, name: item.document.name || item.document.id.slice(0, 8) };
}

/**
 * The channel kind a `not_delivered` firing wanted but the tenant has not set up (its result's
 * reason "no <kind> channel configured", else the notify action's channel), or null for any
 * other firing. Not an error: the rule ran, there was nowhere to send.
 */
export function unconfiguredChannel(f: Pick<RuleFiring, 'status' | 'result' | 'action'>): string | null {
  if (f.status !== 'not_delivered') return null;
  const reason = typeof f.result?.reason === 'string' ? f.result.reason : '';
  const kind = /^no (\w+) channel configured/.exec(reason)?.[1];
  if (kind) return kind;
  return typeof f.action.channel === 'string' && f.action.channel ? f.action.channel : '';
}

function time(at: string): number {
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : 0;
}

const suffix = (type: string) => type.slice(type.lastIndexOf('.') + 1);

/**
 * The history event types (suffixes) that a firing's effect appears as on its own record, or null
 * when it leaves none there (alert, notify, escalate, webhook, create_task — a task is its own
 * record — and anything held, unchanged or failed).
 */
export function historyEventOf(f: RuleFiring): string[] | null {
  if (f.status !== 'done') return null;
  switch (f.action.type) {
    case 'set_color':
    case 'add_tags':
    case 'remove_tags':
      return ['updated'];
    case 'assign': // a lead's assignment is lead.assigned; other records are updated
      return ['assigned', 'updated'];
    case 'send_document':
      return ['document_sent'];
    default:
      return null;
  }
}

/** A firing and its history event are one change when they are this close (same transaction). */
const SAME_CHANGE_MS = 5 * 60_000;

/**
 * The firings that are not already in `history` as the event they caused: each firing with a
 * history effect takes the nearest-in-time unclaimed event of the same rule and type.
 */
export function firingsWithoutHistory(history: HistoryItem[], firings: RuleFiring[]): RuleFiring[] {
  const byRule = new Map<string, HistoryItem[]>();
  for (const item of history) {
    const rule = causedBy(item);
    if (!rule) continue;
    const list = byRule.get(rule.rule_id) ?? [];
    list.push(item);
    byRule.set(rule.rule_id, list);
  }
  const claimed = new Set<number>();
  const out: RuleFiring[] = [];
  for (const f of [...firings].sort((a, b) => time(a.at) - time(b.at) || a.action_index - b.action_index)) {
    const types = historyEventOf(f);
    let best: HistoryItem | undefined;
    if (types) {
      for (const item of byRule.get(f.rule_id) ?? []) {
        if (claimed.has(item.seq) || !types.includes(suffix(item.type))) continue;
        const d = Math.abs(time(item.at) - time(f.at));
        if (d <= SAME_CHANGE_MS && (!best || d < Math.abs(time(best.at) - time(f.at)))) best = item;
      }
    }
    if (best) claimed.add(best.seq);
    else out.push(f);
  }
  return out;
}

/** History and the firings it does not already show, newest first; firings of one (rule, event) are one entry. */
export function mergeTimeline(history: HistoryItem[], firings: RuleFiring[]): TimelineEntry[] {
  const groups = new Map<string, TimelineEntry & { kind: 'rule' }>();
  for (const f of firingsWithoutHistory(history, firings)) {
    const key = `${f.rule_id}#${f.event_seq}`;
    const g = groups.get(key);
    if (g) {
      g.firings.push(f);
      if (time(f.at) > time(g.at)) g.at = f.at;
    } else groups.set(key, { kind: 'rule', at: f.at, key: `rule-${key}`, ruleId: f.rule_id, ruleName: f.rule_name || f.rule_id.slice(0, 8), firings: [f] });
  }
  for (const g of groups.values()) g.firings.sort((a, b) => a.action_index - b.action_index);
  const entries: TimelineEntry[] = [...history.map((item) => ({ kind: 'history' as const, at: item.at, key: `h-${item.seq}`, item })), ...groups.values()];
  // Newest first; at the same instant a rule's firing shows above the event that triggered it.
  return entries.sort((a, b) => time(b.at) - time(a.at) || (a.kind === b.kind ? 0 : a.kind === 'rule' ? -1 : 1) || (a.kind === 'history' && b.kind === 'history' ? b.item.seq - a.item.seq : 0));
}

/** What an intake source brought on a created / touched event: the source and its raw payload. */
export interface IntakeInfo {
  sourceId: string;
  /** The source's name; the start of its id when the server gave none (a deleted source). */
  sourceName: string;
  /** The payload as posted, pretty-printed; null when the reader may not see it (masked fields). */
  raw: string | null;
}

/** The intake of a `*.created` / `*.touched` history item, or null when it did not come in that way. */
export function intakeInfo(item: HistoryItem): IntakeInfo | null {
  const kind = suffix(item.type);
  if (kind !== 'created' && kind !== 'touched') return null;
  const i = item.intake;
  if (!i || typeof i !== 'object' || typeof i.source_id !== 'string' || !i.source_id) return null;
  const name = typeof i.source_name === 'string' && i.source_name.trim() ? i.source_name.trim() : i.source_id.slice(0, 8);
  const raw = i.raw === null || i.raw === undefined ? null : JSON.stringify(i.raw, null, 2);
  return { sourceId: i.source_id, sourceName: name, raw };
}

/** What a touch (`lead.touched`) came through: its channel, first-touch action and path; null otherwise. */
export function touchInfo(item: HistoryItem): { channel: string | null; firstTouch: string | null; via: string | null } | null {
  if (suffix(item.type) !== 'touched') return null;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const out = { channel: text(item.channel), firstTouch: text(item.first_touch), via: text(item.via) };
  return out.channel || out.firstTouch || out.via ? out : null;
}
