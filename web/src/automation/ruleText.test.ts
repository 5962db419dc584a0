import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef } from '../api/types';
import { wouldText, actionSummary, cronText, draftToBody, emptyDraft, errorTarget, eventsFor, firingErrorText, ruleToDraft, singularOf, triggerSummary } from './ruleText';

const f = (name: string, type: FieldDef['type']): FieldDef => ({ name, label_zh: name, label_en: name, type, required: false, readonly: false, builtin: true });
const LEADS: EntityDef = { name: 'leads', label_zh: '线索', label_en: 'Leads', fields: [f('channel', 'enum'), f('tags', 'tags')] };
const CUSTOMERS: EntityDef = { name: 'customers', label_zh: '客户', label_en: 'Customers', fields: [f('level', 'enum')] };
const ENTITIES = [LEADS, CUSTOMERS];

describe('rule texts', () => {
  it('knows singular names', () => {
    expect(singularOf('leads')).toBe('lead');
    expect(singularOf('opportunities')).toBe('opportunity');
    expect(singularOf('projects')).toBe('project');
    expect(eventsFor(LEADS)).toContain('lead.assigned');
    expect(eventsFor(CUSTOMERS)).toEqual(['customer.created', 'customer.updated', 'customer.archived', 'customer.unarchived']);
  });

  it('says a cron in words', () => {
    expect(cronText('0 9 * * *', 'zh')).toBe('每天 09:00');
    expect(cronText('0 9 * * 1', 'zh')).toBe('每周一 09:00');
    expect(cronText('30 8 * * 1-5', 'en')).toBe('Weekdays (Mon–Fri) at 08:30');
    expect(cronText('*/15 * * * *', 'zh')).toBe('每 15 分钟');
    expect(cronText('0 9 1 * *', 'zh')).toBe('每月 1 日 09:00');
    expect(cronText('0 9 1 1 *', 'zh')).toBeNull();
    expect(cronText('nonsense', 'zh')).toBeNull();
  });

  it('summarises triggers', () => {
    expect(triggerSummary({ event: 'lead.created' }, ENTITIES, 'zh')).toBe('线索 新建时');
    expect(triggerSummary({ cron: '0 9 * * 1', entity: 'customers' }, ENTITIES, 'zh')).toBe('每周一 09:00 · 扫描客户');
    expect(triggerSummary({ after: { event: 'lead.assigned', delay: '3d', unless: 'activities_in(3d) > 0' } }, ENTITIES, 'zh')).toBe(
      '线索 分配后 3 天,除非 activities_in(3d) > 0',
    );
    expect(triggerSummary({ event: 'lead.created' }, ENTITIES, 'en')).toBe('When a lead is created');
    expect(triggerSummary({ event: 'activity.created' }, ENTITIES, 'en')).toBe('When an activity is created');
  });

  it('says what a dry run would do', () => {
    expect(wouldText('change color', 'zh')).toBe('将改变颜色');
    expect(wouldText('queue a dingtalk message', 'zh')).toBe('将通过钉钉发送');
    expect(wouldText('queue an email message', 'en')).toBe('would queue an email message');
    expect(wouldText('something new', 'zh')).toBe('something new');
  });

  it('summarises actions', () => {
    expect(actionSummary({ type: 'set_color', color: 'yellow' }, 'zh')).toBe('设置颜色:黄色');
    expect(actionSummary({ type: 'create_task', title: '回电', due: '2h' }, 'zh')).toBe('创建待办:「回电」(2 小时内)');
    expect(actionSummary({ type: 'notify', channel: 'dingtalk', to: 'supervisor' }, 'zh')).toBe('发送通知:主管·钉钉');
  });

  it('builds the API body from a draft and reads it back', () => {
    const d = emptyDraft();
    d.name = ' 小红书 → 黄 ';
    d.conditions = { join: 'and', rows: [{ field: 'channel', op: 'eq', value: 'xiaohongshu_dm' }] };
    d.actions = [{ type: 'set_color', color: 'yellow' }, { type: 'notify', channel: 'in_app', to: 'owner', title: '', text: '' }];
    const body = draftToBody(d, ENTITIES, LEADS.fields);
    expect(body).toEqual({
      name: '小红书 → 黄',
      enabled: true,
      trigger: { event: 'lead.created' },
      condition: 'lead.channel == "xiaohongshu_dm"',
      actions: [{ type: 'set_color', color: 'yellow' }, { type: 'notify', channel: 'in_app', to: 'owner' }],
    });
    const back = ruleToDraft(body, ENTITIES);
    expect(back.textMode).toBe(false);
    expect(back.conditions.rows).toEqual(d.conditions.rows);

    const after = ruleToDraft({ name: 'x', trigger: { after: { event: 'lead.assigned', delay: '3d', unless: 'activities_in(3d) > 0' } }, condition: 'lead.color == "red" or (lead.channel == "a")', actions: [] }, ENTITIES);
    expect(after.kind).toBe('after');
    expect(after.textMode).toBe(true);
    expect(draftToBody(after, ENTITIES, LEADS.fields).trigger).toEqual({ after: { event: 'lead.assigned', delay: '3d', unless: 'activities_in(3d) > 0' } });
    expect(draftToBody(after, ENTITIES, LEADS.fields).condition).toBe('lead.color == "red" or (lead.channel == "a")');
  });

  it('maps error fields to inputs', () => {
    expect(errorTarget('actions[2].title')).toEqual({ area: 'actions', action: 2, prop: 'title' });
    expect(errorTarget('actions[0]')).toEqual({ area: 'actions', action: 0, prop: '' });
    expect(errorTarget('condition')).toEqual({ area: 'condition' });
    expect(errorTarget('rule.foo')).toEqual({ area: 'foo' });
  });
});

describe('firingErrorText', () => {
  it('says why a firing failed in the UI language', () => {
    const noChannel = 'notify.no_channel: no enabled dingtalk channel: add one under notification channels';
    expect(firingErrorText(noChannel, 'zh')).toBe('没有启用的钉钉通知渠道,请在「通知渠道」中添加');
    expect(firingErrorText(noChannel, 'en')).toBe('no enabled dingtalk channel: add one under notification channels');
    expect(firingErrorText('document.not_found: the document is no longer in the library', 'zh')).toBe('资料库中已没有该资料');
    expect(firingErrorText('x.unknown: something', 'zh')).toBe('x.unknown: something');
    expect(firingErrorText('plain text', 'zh')).toBe('plain text');
  });
});
