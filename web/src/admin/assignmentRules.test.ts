import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../api/types';
import { conditionBody, conditionRow, describeConditions, opsFor, ruleBody, rowComplete, strategyLabel, weightShares } from './assignmentRules';

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    { name: 'channel', label_zh: '来源渠道', label_en: 'Source channel', type: 'enum', required: false, readonly: false, builtin: true, options: [{ value: 'douyin_form', label_zh: '抖音表单', label_en: 'Douyin form' }, { value: 'xiaohongshu_dm', label_zh: '小红书私信', label_en: 'Xiaohongshu DM' }] },
    { name: 'region', label_zh: '区域', label_en: 'Region', type: 'text', required: false, readonly: false, builtin: true },
    { name: 'budget', label_zh: '预算', label_en: 'Budget', type: 'money', required: false, readonly: false, builtin: false },
    { name: 'esg_score', label_zh: 'ESG评分', label_en: 'ESG score', type: 'number', required: false, readonly: false, builtin: false },
    { name: 'owner_id', label_zh: '负责人', label_en: 'Owner', type: 'user', required: false, readonly: false, builtin: true },
  ],
};
const field = (n: string) => leads.fields.find((f) => f.name === n);

describe('operators by field type', () => {
  it('offers lists for choices, ranges for numbers, contains for text', () => {
    expect(opsFor(field('channel'))[0]).toBe('in');
    expect(opsFor(field('esg_score'))).toContain('gte');
    expect(opsFor(field('esg_score'))).not.toContain('contains');
    expect(opsFor(field('region'))).toContain('contains');
  });
});

describe('conditions ↔ API', () => {
  it('sends money in fen, numbers as numbers, lists as arrays', () => {
    expect(conditionBody({ field: 'budget', op: 'gte', value: 123.45 }, field('budget'))).toEqual({ field: 'budget', op: 'gte', value: 12345 });
    expect(conditionBody({ field: 'esg_score', op: 'gt', value: '3' }, field('esg_score'))).toEqual({ field: 'esg_score', op: 'gt', value: 3 });
    expect(conditionBody({ field: 'region', op: 'in', value: '华东, 华南、 西南' }, field('region'))).toEqual({ field: 'region', op: 'in', value: ['华东', '华南', '西南'] });
    expect(conditionBody({ field: 'region', op: 'exists', value: undefined }, field('region'))).toEqual({ field: 'region', op: 'exists', value: true });
  });
  it('reads fen back as yuan', () => {
    expect(conditionRow({ field: 'budget', op: 'gte', value: 12345 }, field('budget'))).toEqual({ field: 'budget', op: 'gte', value: 123.45 });
    expect(conditionRow({ field: 'channel', op: 'in', value: ['douyin_form'] }, field('channel'))).toEqual({ field: 'channel', op: 'in', value: ['douyin_form'] });
  });
  it('knows an incomplete row', () => {
    expect(rowComplete({ field: 'region', op: 'eq', value: '' })).toBe(false);
    expect(rowComplete({ field: 'channel', op: 'in', value: [] })).toBe(false);
    expect(rowComplete({ field: 'region', op: 'exists' })).toBe(true);
  });
});

describe('rules in words', () => {
  it('uses labels from the schema and user names', () => {
    const text = describeConditions(
      [
        { field: 'channel', op: 'in', value: ['douyin_form', 'xiaohongshu_dm'] },
        { field: 'region', op: 'eq', value: '华东' },
        { field: 'owner_id', op: 'ne', value: 'u1' },
      ],
      leads,
      'zh',
      (id) => (id === 'u1' ? '张伟' : undefined),
    );
    expect(text).toBe('来源渠道 属于 抖音表单、小红书私信 且 区域 等于 华东 且 负责人 不等于 张伟');
    expect(describeConditions([], leads, 'zh')).toBe('所有线索');
    expect(describeConditions([{ field: 'channel', op: 'in', value: ['douyin_form'] }], leads, 'en')).toBe('Source channel is one of Douyin form');
    expect(strategyLabel('least_loaded', 'zh')).toBe('负载最少优先');
  });
});

describe('ruleBody', () => {
  it('drops incomplete conditions and empty members; weights default to 1; no cap is null', () => {
    const body = ruleBody(
      {
        name: ' 华东抖音 ',
        enabled: true,
        strategy: 'weighted',
        cap: 0,
        conditions: [
          { field: 'channel', op: 'in', value: ['douyin_form'] },
          { field: 'region', op: 'eq', value: '' },
        ],
        members: [{ user_id: 'u1', weight: 3 }, { user_id: 'u2', weight: null }, { user_id: undefined, weight: 2 }],
      },
      leads,
    );
    expect(body).toEqual({
      name: '华东抖音',
      enabled: true,
      strategy: 'weighted',
      cap: null,
      conditions: [{ field: 'channel', op: 'in', value: ['douyin_form'] }],
      members: [
        { user_id: 'u1', weight: 3 },
        { user_id: 'u2', weight: 1 },
      ],
    });
  });
  it('shows weighted shares in percent', () => {
    expect([...weightShares([{ user_id: 'a', weight: 3 }, { user_id: 'b', weight: 1 }])]).toEqual([
      ['a', 75],
      ['b', 25],
    ]);
  });
});
