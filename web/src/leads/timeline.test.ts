import { describe, expect, it } from 'vitest';
import type { HistoryItem, RuleAction, RuleFiring } from '../api/types';
import { attachedFile, causedBy, firingsWithoutHistory, historyEventOf, intakeInfo, mergeTimeline, sentDocument, touchInfo, unconfiguredChannel } from './timeline';

const h = (seq: number, at: string, extra: Partial<HistoryItem> = {}): HistoryItem => ({ seq, at, type: 'lead.updated', actor: null, changes: [], ...extra });
const f = (rule: string, seq: number, index: number, at: string, action: RuleAction = { type: 'alert', kind: 'hot', title: 'x' }, status = 'done'): RuleFiring => ({
  rule_id: rule,
  rule_name: `规则${rule}`,
  entity: 'leads',
  record_id: 'L1',
  event_seq: seq,
  action_index: index,
  action,
  status,
  result: {},
  at,
});
const byRule = (rule: string) => ({ caused_by: { rule_id: rule, rule_name: `规则${rule}` }, actor: { id: 'admin', name: '王管理' } });

describe('lead timeline', () => {
  it('merges firings without a history event (grouped per rule and event) with history, newest first', () => {
    const out = mergeTimeline(
      [h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created' }), h(2, '2026-03-10T10:00:01+08:00')],
      [f('r1', 1, 1, '2026-03-10T10:00:01+08:00'), f('r1', 1, 0, '2026-03-10T10:00:01+08:00'), f('r2', 1, 0, '2026-03-10T09:00:00+08:00')],
    );
    expect(out.map((e) => e.key)).toEqual(['rule-r1#1', 'h-2', 'h-1', 'rule-r2#1']);
    const first = out[0];
    expect(first.kind === 'rule' && first.firings.map((x) => x.action_index)).toEqual([0, 1]);
  });

  it('shows a rule change once: as the history event it caused, not again as a firing', () => {
    // The three-colour funnel: set_color red (a lead.updated with caused_by) + an alert (no event).
    const history = [h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created' }), h(2, '2026-03-10T10:00:00.120+08:00', { ...byRule('t1'), changes: [{ field: 'color', old: null, new: 'red' }] })];
    const firings = [f('t1', 1, 0, '2026-03-10T10:00:00.125+08:00', { type: 'set_color', color: 'red' }), f('t1', 1, 1, '2026-03-10T10:00:00.126+08:00')];
    const out = mergeTimeline(history, firings);
    expect(out.map((e) => e.key)).toEqual(['rule-t1#1', 'h-2', 'h-1']);
    const rule = out[0];
    expect(rule.kind === 'rule' && rule.firings.map((x) => x.action.type)).toEqual(['alert']);
  });

  it('keeps firings that left no event: held, unchanged, failed, or with no matching event', () => {
    const at = '2026-03-10T10:00:00+08:00';
    const color = { type: 'set_color', color: 'red' } as RuleAction;
    const history = [h(5, at, byRule('r'))];
    // Two set_color firings, one event: the nearer one is the event, the other stays.
    const kept = firingsWithoutHistory(history, [f('r', 1, 0, at, color), f('r', 2, 0, '2026-03-10T10:01:00+08:00', color)]);
    expect(kept.map((x) => x.event_seq)).toEqual([2]);
    expect(firingsWithoutHistory(history, [f('r', 1, 0, at, color, 'unchanged'), f('r', 1, 1, at, color, 'suppressed')])).toHaveLength(2);
    // Another rule's event does not absorb it; nor does an event long before.
    expect(firingsWithoutHistory([h(6, at, byRule('other'))], [f('r', 1, 0, at, color)])).toHaveLength(1);
    expect(firingsWithoutHistory([h(7, '2026-03-09T10:00:00+08:00', byRule('r'))], [f('r', 1, 0, at, color)])).toHaveLength(1);
  });

  it('knows which actions appear as history events', () => {
    expect(historyEventOf(f('r', 1, 0, 'x', { type: 'send_document', document_id: 'd' }))).toEqual(['document_sent']);
    expect(historyEventOf(f('r', 1, 0, 'x', { type: 'assign', user_id: 'u' }))).toEqual(['assigned', 'updated']);
    expect(historyEventOf(f('r', 1, 0, 'x', { type: 'create_task', title: 't', due: '1d' }))).toBeNull();
    expect(historyEventOf(f('r', 1, 0, 'x', { type: 'notify', channel: 'in_app', to: 'owner', title: 't' }))).toBeNull();
  });

  it('a sent document is one entry with its link', () => {
    const at = '2026-03-10T10:00:00+08:00';
    const doc = h(3, at, { type: 'lead.document_sent', ...byRule('d'), document: { id: 'doc1', name: '报价单.pdf' } });
    const out = mergeTimeline([doc], [f('d', 1, 0, at, { type: 'send_document', document_id: 'doc1' })]);
    expect(out.map((e) => e.key)).toEqual(['h-3']);
    expect(sentDocument(doc)).toEqual({ id: 'doc1', name: '报价单.pdf' });
  });

  it('credits rules and finds sent documents', () => {
    expect(causedBy(h(1, 'x', { caused_by: { rule_id: 'r', rule_name: '三色漏斗 · 黄' } }))).toEqual({ rule_id: 'r', rule_name: '三色漏斗 · 黄' });
    expect(causedBy(h(1, 'x', { caused_by: { rule_id: 'r', rule_name: '' } }))).toEqual({ rule_id: 'r', rule_name: undefined });
    expect(causedBy(h(1, 'x', { reason: { kind: 'rule', caused_by: { rule_id: 'r2', rule_name: 'A' } } }))).toEqual({ rule_id: 'r2', rule_name: 'A' });
    expect(causedBy(h(1, 'x', { reason: '手工' }))).toBeNull();
    expect(causedBy(h(1, 'x', { reason: { kind: 'rule', rule_id: 'assignment-rule', strategy: 'round_robin' } }))).toBeNull();
    expect(sentDocument(h(1, 'x', { type: 'lead.document_sent', document: { id: 'd1' } }))).toEqual({ id: 'd1', name: 'd1' });
    expect(sentDocument(h(1, 'x'))).toBeNull();
  });

  it('finds attached files and firings held for a missing channel', () => {
    expect(attachedFile(h(1, 'x', { type: 'lead.attachment_added', document: { id: 'a1', name: '合同.pdf' } }))).toEqual({ id: 'a1', name: '合同.pdf' });
    expect(attachedFile(h(1, 'x', { type: 'lead.document_sent', document: { id: 'a1' } }))).toBeNull();
    const notify: RuleAction = { type: 'notify', channel: 'wecom', to: 'owner' };
    expect(unconfiguredChannel({ status: 'not_delivered', result: { reason: 'no dingtalk channel configured' }, action: notify })).toBe('dingtalk');
    expect(unconfiguredChannel({ status: 'not_delivered', result: null, action: notify })).toBe('wecom');
    expect(unconfiguredChannel({ status: 'failed', result: { reason: 'no dingtalk channel configured' }, action: notify })).toBeNull();
  });
});

describe('intake on the timeline', () => {
  const intake = { source_id: '01a21008-aa48-73d5-a37b-38154650f22a', source_name: '抖音落地页', raw: { name: '张三', mobile: '13912345678' } };

  it('names the source of a created or touched lead and pretty-prints what was posted', () => {
    const created = intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created', intake }));
    expect(created).toEqual({ sourceId: intake.source_id, sourceName: '抖音落地页', raw: '{\n  "name": "张三",\n  "mobile": "13912345678"\n}' });
    expect(intakeInfo(h(2, '2026-03-10T10:00:00+08:00', { type: 'lead.touched', intake }))?.sourceName).toBe('抖音落地页');
  });

  it('keeps the line but no raw data for a reader with masked fields (raw null)', () => {
    expect(intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created', intake: { ...intake, raw: null } }))).toEqual({ sourceId: intake.source_id, sourceName: '抖音落地页', raw: null });
  });

  it('falls back to the id for an unnamed source and ignores other events or no intake', () => {
    expect(intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created', intake: { source_id: intake.source_id, source_name: ' ' } }))?.sourceName).toBe('01a21008');
    expect(intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.updated', intake }))).toBeNull();
    expect(intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created' }))).toBeNull();
    expect(intakeInfo(h(1, '2026-03-10T10:00:00+08:00', { type: 'lead.created', intake: null }))).toBeNull();
  });

  it("reads a touch's channel, first touch and path", () => {
    expect(touchInfo(h(3, '2026-03-10T10:00:00+08:00', { type: 'lead.touched', channel: 'website', first_touch: null, via: 'quick_entry' }))).toEqual({ channel: 'website', firstTouch: null, via: 'quick_entry' });
    expect(touchInfo(h(3, '2026-03-10T10:00:00+08:00', { type: 'lead.touched' }))).toBeNull();
    expect(touchInfo(h(3, '2026-03-10T10:00:00+08:00', { type: 'lead.created', channel: 'website' }))).toBeNull();
  });
});
