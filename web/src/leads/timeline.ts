// The lead page's timeline as one list: field history (who changed what) and what rules did
// (rule firings, grouped per rule and triggering event), newest first; plus who to credit for a
// history entry (规则「name」 when a rule made the change) and the document a document_sent event
// names. Pure.
import type { HistoryItem, RuleFiring } from '../api/types';

export type TimelineEntry =
  | { kind: 'history'; at: string; key: string; item: HistoryItem }
  | { kind: 'rule'; at: string; key: string; ruleId: string; ruleName: string; firings: RuleFiring[] };

/** The rule behind a history entry, from `caused_by` on the item or inside its reason. */
export function causedBy(item: HistoryItem): { rule_id: string; rule_name?: string } | null {
  if (item.caused_by && typeof item.caused_by.rule_id === 'string') return item.caused_by;
  const r = item.reason;
  if (r && typeof r === 'object' && !Array.isArray(r)) {
    const c = (r as Record<string, unknown>).caused_by as { rule_id?: unknown; rule_name?: unknown } | undefined;
    if (c && typeof c.rule_id === 'string') return { rule_id: c.rule_id, rule_name: typeof c.rule_name === 'string' ? c.rule_name : undefined };
  }
  return null;
}

/** The document of a `<singular>.document_sent` event, or null. */
export function sentDocument(item: HistoryItem): { id: string; name: string } | null {
  if (!item.type.endsWith('.document_sent')) return null;
  const id = item.document?.id ?? item.document_id ?? (typeof item.reason === 'object' && item.reason ? String((item.reason as Record<string, unknown>).document_id ?? '') : '');
  const name = item.document?.name ?? item.name ?? (typeof item.reason === 'object' && item.reason ? String((item.reason as Record<string, unknown>).name ?? '') : '');
  return id ? { id, name: name || id.slice(0, 8) } : null;
}

function time(at: string): number {
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : 0;
}

/** History and firings merged, newest first; firings of one (rule, event) are one entry. */
export function mergeTimeline(history: HistoryItem[], firings: RuleFiring[]): TimelineEntry[] {
  const groups = new Map<string, TimelineEntry & { kind: 'rule' }>();
  for (const f of firings) {
    const key = `${f.rule_id}#${f.event_seq}`;
    const g = groups.get(key);
    if (g) {
      g.firings.push(f);
      if (time(f.at) > time(g.at)) g.at = f.at;
    } else groups.set(key, { kind: 'rule', at: f.at, key: `rule-${key}`, ruleId: f.rule_id, ruleName: f.rule_name ?? f.rule_id.slice(0, 8), firings: [f] });
  }
  for (const g of groups.values()) g.firings.sort((a, b) => a.action_index - b.action_index);
  const entries: TimelineEntry[] = [...history.map((item) => ({ kind: 'history' as const, at: item.at, key: `h-${item.seq}`, item })), ...groups.values()];
  // Newest first; at the same instant a rule's firing shows above the event that triggered it.
  return entries.sort((a, b) => time(b.at) - time(a.at) || (a.kind === b.kind ? 0 : a.kind === 'rule' ? -1 : 1) || (a.kind === 'history' && b.kind === 'history' ? b.item.seq - a.item.seq : 0));
}
