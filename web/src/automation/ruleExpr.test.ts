import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import { caretSnippet, errorPosition, exprToRows, rowsToExpr, type Conditions } from './ruleExpr';

const f = (name: string, type: FieldDef['type']): FieldDef => ({ name, label_zh: name, label_en: name, type, required: false, readonly: false, builtin: true });
const FIELDS = [f('channel', 'enum'), f('first_touch', 'enum'), f('tags', 'tags'), f('touch_count', 'number'), f('budget', 'money'), f('company', 'text'), f('last_followup_at', 'datetime'), f('vip', 'bool')];

describe('condition builder ↔ expression', () => {
  it('writes rows joined by and', () => {
    const c: Conditions = { join: 'and', rows: [{ field: 'channel', op: 'eq', value: 'douyin_form' }, { field: 'first_touch', op: 'eq', value: 'book_demo' }] };
    expect(rowsToExpr(c, 'lead', FIELDS)).toBe('lead.channel == "douyin_form" and lead.first_touch == "book_demo"');
  });

  it('writes tags membership, days_since, lists, money in fen and emptiness', () => {
    const c: Conditions = {
      join: 'or',
      rows: [
        { field: 'tags', op: 'has', value: '战略客户' },
        { field: 'last_followup_at', op: 'days_gt', value: 3 },
        { field: 'channel', op: 'in', value: ['website', 'trade_show'] },
        { field: 'budget', op: 'gte', value: 500 },
        { field: 'company', op: 'empty' },
        { field: 'vip', op: 'eq', value: true },
      ],
    };
    expect(rowsToExpr(c, 'lead', FIELDS)).toBe(
      '"战略客户" in lead.tags or days_since(lead.last_followup_at) > 3 or lead.channel in ["website", "trade_show"] or lead.budget >= 50000 or is_empty(lead.company) or lead.vip == true',
    );
  });

  it('round-trips every simple row shape', () => {
    const c: Conditions = {
      join: 'and',
      rows: [
        { field: 'channel', op: 'ne', value: 'zhihu' },
        { field: 'channel', op: 'not_in', value: ['a', 'b'] },
        { field: 'tags', op: 'not_has', value: 'VIP' },
        { field: 'company', op: 'contains', value: '科技 "有限"' },
        { field: 'company', op: 'not_empty' },
        { field: 'touch_count', op: 'lt', value: 2 },
        { field: 'budget', op: 'gt', value: 12.5 },
        { field: 'last_followup_at', op: 'days_lt', value: 7 },
      ],
    };
    const text = rowsToExpr(c, 'lead', FIELDS);
    expect(exprToRows(text, 'lead', FIELDS)).toEqual(c);
  });

  it('reads the documented examples', () => {
    expect(exprToRows('lead.channel == "douyin_form" and lead.first_touch == "book_demo"', 'lead', FIELDS)).toEqual({
      join: 'and',
      rows: [{ field: 'channel', op: 'eq', value: 'douyin_form' }, { field: 'first_touch', op: 'eq', value: 'book_demo' }],
    });
    expect(exprToRows('"战略客户" in lead.tags', 'lead', FIELDS)?.rows).toEqual([{ field: 'tags', op: 'has', value: '战略客户' }]);
    expect(exprToRows('has_tag("VIP")', 'lead', FIELDS)?.rows).toEqual([{ field: 'tags', op: 'has', value: 'VIP' }]);
    expect(exprToRows("days_since(lead.last_followup_at) > 3", 'lead', FIELDS)?.rows).toEqual([{ field: 'last_followup_at', op: 'days_gt', value: 3 }]);
    expect(exprToRows('lead.company == null', 'lead', FIELDS)?.rows).toEqual([{ field: 'company', op: 'empty' }]);
    expect(exprToRows('lead.tags contains "VIP"', 'lead', FIELDS)?.rows).toEqual([{ field: 'tags', op: 'has', value: 'VIP' }]);
    expect(exprToRows('', 'lead', FIELDS)).toEqual({ join: 'and', rows: [] });
  });

  it('leaves anything that is not flat simple rows to text mode', () => {
    for (const text of [
      'lead.channel == "a" and lead.first_touch == "b" or lead.company == "c"', // mixed and/or
      '(lead.channel == "a")',
      'not (lead.channel == "a")',
      'activities_in(3d) >= 2',
      'lead.channel == "a" # comment',
      'customer.level == "key"', // another entity
      'lead.customer_id.level == "x"',
      'lead.channel = "a"',
      'hours_since(last_activity_at()) > 72',
      'lead.channel == "unterminated',
    ])
      expect(exprToRows(text, 'lead', FIELDS), text).toBeNull();
  });

  it('points at the position of a server error', () => {
    expect(errorPosition("line 2, column 9: unknown field 'lead.chanel'")).toEqual({ line: 2, column: 9 });
    expect(errorPosition("第 1 行第 6 列: 未知字段")).toEqual({ line: 1, column: 6 });
    expect(errorPosition('no position')).toBeNull();
    expect(caretSnippet('a\nlead.chanel == "x"', { line: 2, column: 6 })).toBe('lead.chanel == "x"\n     ^');
    expect(caretSnippet('"战略" in x', { line: 1, column: 4 })).toBe('"战略" in x\n     ^');
  });
});
