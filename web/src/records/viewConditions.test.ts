import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef } from '../api/types';
import { conditionLine, conditionsText, describeConditions, type DescribeOptions } from './viewConditions';
import { testField } from '../test/fields';

const f = (name: string, type: FieldDef['type'], label_zh: string, label_en: string, extra: Partial<FieldDef> = {}): FieldDef =>
  testField(name, { type, label_zh, label_en, ...extra });

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    f('name', 'text', '姓名', 'Name'),
    f('channel', 'enum', '来源渠道', 'Source channel', {
      options: [
        { value: 'douyin_form', label_zh: '抖音表单', label_en: 'Douyin form' },
        { value: 'baidu_ads', label_zh: '百度推广', label_en: 'Baidu ads' },
      ],
    }),
    f('color', 'enum', '意向分级', 'Intent color', { options: [{ value: 'red', label_zh: '红色高意向', label_en: 'Red (hot)' }] }),
    f('owner_id', 'user', '负责人', 'Owner'),
    f('customer_id', 'reference', '关联客户', 'Customer', { ref_entity: 'customers' }),
    f('company', 'text', '公司', 'Company'),
    f('budget', 'money', '预算', 'Budget', { builtin: false }),
    f('esg_score', 'number', 'ESG评分', 'ESG score', { builtin: false }),
    f('vip', 'bool', '重点客户', 'Key account', { builtin: false }),
    f('visit_date', 'date', '拜访日期', 'Visit date', { builtin: false }),
    f('tags', 'tags', '标签', 'Tags', { system: true }),
    f('created_at', 'datetime', '创建时间', 'Created at', { system: true }),
    f('pool_id', 'text', '所在公海', 'Public pool'),
  ],
};

const users: Record<string, string> = { u1: '张伟', u2: '刘洋' };
const zh: DescribeOptions = {
  lang: 'zh',
  entity: leads,
  userName: (id) => users[id],
  refName: (field, id) => (field.name === 'customer_id' && id === 'c1' ? '杭州云启科技' : field.name === 'pool_id' && id === 'p1' ? '默认公海' : undefined),
  defaultSort: '-created_at',
};
const en: DescribeOptions = { ...zh, lang: 'en' };
const lines = (q: Record<string, string>, o = zh) => describeConditions(q, o).map(conditionLine);

describe('saved view conditions in words', () => {
  it('names fields by their schema label and enum values by their option label', () => {
    expect(lines({ 'channel[in]': 'douyin_form' })).toEqual(['来源渠道 等于 抖音表单']);
    expect(lines({ 'channel[in]': 'douyin_form,baidu_ads' })).toEqual(['来源渠道 属于 抖音表单、百度推广']);
    expect(lines({ channel: 'baidu_ads', 'color[ne]': 'red' })).toEqual(['来源渠道 等于 百度推广', '意向分级 不等于 红色高意向']);
    expect(lines({ 'channel[in]': 'douyin_form,baidu_ads' }, en)).toEqual(['Source channel is one of Douyin form, Baidu ads']);
    // An option the schema no longer has, or a field it does not know, reads as stored.
    expect(lines({ 'channel[in]': 'gone', 'old_field[contains]': 'x' })).toEqual(['来源渠道 等于 gone', 'old_field 包含 x']);
  });

  it('shows people and linked records by name, unknown ids as they are', () => {
    expect(lines({ 'owner_id[in]': 'u1,u2' })).toEqual(['负责人 属于 张伟、刘洋']);
    expect(lines({ 'owner_id[in]': 'u9' })).toEqual(['负责人 等于 u9']);
    expect(lines({ 'customer_id[in]': 'c1', pool_id: 'p1' })).toEqual(['关联客户 等于 杭州云启科技', '所在公海 等于 默认公海']);
    expect(lines({ 'owner_id[in]': 'u1' }, en)).toEqual(['Owner is 张伟']);
  });

  it('words every operator', () => {
    expect(lines({ 'company[contains]': '科技' })).toEqual(['公司 包含 科技']);
    expect(lines({ 'owner_id[null]': 'true', 'company[null]': 'false' })).toEqual(['负责人 为空', '公司 不为空']);
    expect(lines({ 'esg_score[gt]': '3', 'esg_score[lt]': '9' })).toEqual(['ESG评分 大于 3', 'ESG评分 小于 9']);
    expect(lines({ 'esg_score[gte]': '3' })).toEqual(['ESG评分 大于等于 3']);
    expect(lines({ 'esg_score[lte]': '9' })).toEqual(['ESG评分 小于等于 9']);
    expect(lines({ 'owner_id[null]': 'true' }, en)).toEqual(['Owner is empty']);
    expect(lines({ 'company[contains]': '科技' }, en)).toEqual(['Company contains 科技']);
  });

  it('reads a lower and an upper bound as one range, money in yuan, times as days', () => {
    expect(lines({ 'esg_score[gte]': '3', 'esg_score[lte]': '5' })).toEqual(['ESG评分 介于 3 至 5']);
    expect(lines({ 'budget[gte]': '1000000', 'budget[lte]': '123456' })).toEqual(['预算 介于 ¥10,000.00 至 ¥1,234.56']);
    // The list's date-range filter writes [gte] day one and [lt] the midnight after the last day.
    expect(lines({ 'created_at[gte]': '2026-11-01T00:00:00+08:00', 'created_at[lt]': '2026-12-01T00:00:00+08:00' })).toEqual(['创建时间 介于 2026-11-01 至 2026-11-30']);
    expect(lines({ 'created_at[gte]': '2026-03-01T00:00:00+08:00', 'created_at[lt]': '2026-04-01T00:00:00+08:00' }, en)).toEqual(['Created at between 2026-03-01 and 2026-03-31']);
    expect(lines({ 'created_at[gte]': '2026-11-01T09:30:00+08:00' })).toEqual(['创建时间 不早于 2026-11-01 09:30']);
    expect(lines({ 'created_at[lt]': '2026-11-01T15:00:00+08:00' })).toEqual(['创建时间 早于 2026-11-01 15:00']);
    expect(lines({ 'visit_date[gte]': '2026-01-05', 'visit_date[lte]': '2026-01-09' })).toEqual(['拜访日期 介于 2026-01-05 至 2026-01-09']);
    expect(lines({ 'visit_date[gt]': '2026-01-05' }, en)).toEqual(['Visit date after 2026-01-05']);
  });

  it('reads yes / no, tags as "has", and search, sort and archived last', () => {
    expect(lines({ vip: 'true' })).toEqual(['重点客户 等于 是']);
    expect(lines({ vip: 'false' }, en)).toEqual(['Key account is no']);
    expect(lines({ tags: 'VIP' })).toEqual(['标签 含有 VIP']);
    expect(lines({ 'tags[in]': 'VIP,老客户' })).toEqual(['标签 含有任一 VIP、老客户']);
    expect(lines({ q: '张', sort: 'response_hours', 'channel[in]': 'douyin_form', include_archived: 'true' })).toEqual([
      '来源渠道 等于 抖音表单',
      '关键词 「张」',
      '排序 response_hours 升序',
      '包含已归档',
    ]);
    expect(lines({ sort: '-esg_score' }, en)).toEqual(['Sorted by ESG score descending']);
  });

  it('leaves out paging, empty values and the default sort', () => {
    expect(describeConditions({ cursor: 'x', limit: '50', with_total: 'true', sort: '-created_at', q: '' }, zh)).toEqual([]);
    expect(conditionsText({}, zh)).toBe('');
    expect(conditionsText({ 'channel[in]': 'douyin_form', 'color[in]': 'red' }, zh)).toBe('来源渠道 等于 抖音表单;意向分级 等于 红色高意向');
    expect(conditionsText({ 'channel[in]': 'douyin_form', 'color[in]': 'red' }, en)).toBe('Source channel is Douyin form; Intent color is Red (hot)');
    const [range] = describeConditions({ 'esg_score[gte]': '1', 'esg_score[lte]': '2' }, zh);
    expect(range.keys).toEqual(['esg_score[gte]', 'esg_score[lte]']);
    expect(range.field).toBe('esg_score');
  });

  it('works without a schema (labels are the field names)', () => {
    expect(lines({ 'channel[in]': 'douyin_form' }, { lang: 'zh' })).toEqual(['channel 等于 douyin_form']);
  });
});
