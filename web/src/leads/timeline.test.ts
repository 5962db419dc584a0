import { describe, expect, it } from 'vitest';
import type { HistoryItem, RuleFiring } from '../api/types';
import { causedBy, mergeTimeline, sentDocument } from './timeline';

const h = (seq: number, at: string, extra: Partial<HistoryItem> = {}): HistoryItem => ({ seq, at, type: 'lead.updated', actor: null, changes: [], ...extra });
const f = (rule: string, seq: number, index: number, at: string): RuleFiring => ({ rule_id: rule, rule_name: `规则${rule}`, event_seq: seq, action_index: index, action: { type: 'set_color', color: 'yellow' }, status: 'done', result: {}, at });

describe('lead timeline', () => {
  it('merges firings (grouped per rule and event) with history, newest first', () => {
    const out = mergeTimeline(
      [h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created' }), h(2, '2026-03-10T10:00:01+08:00')],
      [f('r1', 1, 1, '2026-03-10T10:00:01+08:00'), f('r1', 1, 0, '2026-03-10T10:00:01+08:00'), f('r2', 1, 0, '2026-03-10T09:00:00+08:00')],
    );
    expect(out.map((e) => e.key)).toEqual(['rule-r1#1', 'h-2', 'h-1', 'rule-r2#1']);
    const first = out[0];
    expect(first.kind === 'rule' && first.firings.map((x) => x.action_index)).toEqual([0, 1]);
  });
  it('credits rules and finds sent documents', () => {
    expect(causedBy(h(1, 'x', { caused_by: { rule_id: 'r', rule_name: '三色漏斗 · 黄' } }))).toEqual({ rule_id: 'r', rule_name: '三色漏斗 · 黄' });
    expect(causedBy(h(1, 'x', { reason: { kind: 'rule', caused_by: { rule_id: 'r2', rule_name: 'A' } } }))).toEqual({ rule_id: 'r2', rule_name: 'A' });
    expect(causedBy(h(1, 'x', { reason: '手工' }))).toBeNull();
    expect(sentDocument(h(1, 'x', { type: 'lead.document_sent', document_id: 'd1', name: '报价单.pdf' }))).toEqual({ id: 'd1', name: '报价单.pdf' });
    expect(sentDocument(h(1, 'x', { type: 'lead.document_sent', reason: { document_id: 'd2', name: 'b.pdf' } }))).toEqual({ id: 'd2', name: 'b.pdf' });
    expect(sentDocument(h(1, 'x'))).toBeNull();
  });
});
