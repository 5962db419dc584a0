import { describe, expect, it } from 'vitest';
import type { EntityDef, ImportRowError } from '../api/types';
import {
  duplicateTargets,
  errorColumn,
  errorsByRow,
  fileKind,
  importableFields,
  isOffsetless,
  mappingBody,
  needsTimeZone,
  normalise,
  offsetlessColumns,
  progressPercent,
  rowErrorPlace,
  suggestMapping,
  zoneOptions,
} from './mapping';
import { testField } from '../test/fields';

const f = (name: string, label_zh: string, label_en: string, type: EntityDef['fields'][number]['type'] = 'text', extra = {}) =>
  testField(name, { label_zh, label_en, type, ...extra });

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    f('id', '编号', 'ID', 'text', { readonly: true, system: true }),
    f('created_at', '创建时间', 'Created', 'datetime', { readonly: true, system: true }),
    f('tags', '标签', 'Tags', 'tags', { system: true }),
    f('name', '姓名', 'Name', 'text', { required: true }),
    f('phone', '手机号', 'Phone', 'phone'),
    f('company', '公司', 'Company'),
    f('channel', '来源渠道', 'Source channel', 'enum'),
    f('region', '区域', 'Region'),
    f('response_hours', '响应时效(小时)', 'Response hours', 'number', { readonly: true }),
    f('visit_at', '到访时间', 'Visit time', 'datetime', { builtin: false }),
  ],
};

describe('importableFields', () => {
  it('offers what a user may write: no read-only or bookkeeping fields, tags allowed', () => {
    expect(importableFields(leads).map((x) => x.name)).toEqual(['tags', 'name', 'phone', 'company', 'channel', 'region', 'visit_at']);
  });
});

describe('suggestMapping', () => {
  it('matches Chinese headers by label and by common spreadsheet spellings', () => {
    const m = suggestMapping(['客户姓名', '联系电话', '公司名称', '渠道', '省份', '备注'], leads);
    expect(m).toEqual({ 客户姓名: 'name', 联系电话: 'phone', 公司名称: 'company', 渠道: 'channel', 省份: 'region', 备注: '' });
  });
  it('matches English names, labels and headers with units or spacing', () => {
    expect(suggestMapping(['Mobile', ' Company Name ', 'Source Channel', '到访时间 (Asia/Shanghai)'], leads)).toEqual({
      Mobile: 'phone',
      ' Company Name ': 'company',
      'Source Channel': 'channel',
      '到访时间 (Asia/Shanghai)': 'visit_at',
    });
  });
  it('prefers the server suggestion, and never maps two columns to one field', () => {
    const m = suggestMapping(['手机', '电话', '姓名'], leads, { 电话: 'phone' });
    expect(m).toEqual({ 手机: '', 电话: 'phone', 姓名: 'name' });
  });
  it('ignores a server suggestion of a read-only field', () => {
    expect(suggestMapping(['创建时间'], leads, { 创建时间: 'created_at' })).toEqual({ 创建时间: '' });
  });
  it('normalises headers', () => {
    expect(normalise('\uFEFF手机号码(必填)')).toBe('手机号码');
    expect(normalise('Phone_Number')).toBe('phonenumber');
  });
});

describe('mapping body and checks', () => {
  it('sends only mapped columns, and the zone only when declared', () => {
    expect(mappingBody({ 姓名: 'name', 备注: '' })).toEqual({ mapping: { 姓名: 'name' } });
    expect(mappingBody({ 姓名: 'name' }, 'Asia/Shanghai')).toEqual({ mapping: { 姓名: 'name' }, time_zone: 'Asia/Shanghai' });
  });
  it('finds fields mapped twice', () => {
    expect(duplicateTargets({ a: 'phone', b: 'phone', c: 'name', d: '' })).toEqual(['phone']);
  });
  it('tells times without an offset', () => {
    expect(isOffsetless('2026-11-01 10:00')).toBe(true);
    expect(isOffsetless('2026/11/1 9:05:00')).toBe(true);
    expect(isOffsetless('2026-02-22T00:15:03Z')).toBe(false);
    expect(isOffsetless('2026-02-22T08:15:03+08:00')).toBe(false);
    expect(isOffsetless('2026-02-22')).toBe(false);
    expect(isOffsetless('张三')).toBe(false);
  });
  it('flags datetime columns whose sample holds offset-less times', () => {
    const cols = ['姓名', '到访', '备注'];
    const sample = [['张三', '2026-11-01 10:00', '2026-11-01 10:00']];
    expect(offsetlessColumns(cols, sample, { 姓名: 'name', 到访: 'visit_at', 备注: '' }, leads)).toEqual(['到访']);
    expect(offsetlessColumns(cols, [['张三', '2026-11-01T10:00:00+08:00', '']], { 到访: 'visit_at' }, leads)).toEqual([]);
  });
});

describe('row errors', () => {
  const columns = ['姓名', '手机号', '来源渠道', '到访'];
  const mapping = { 姓名: 'name', 手机号: 'phone', 来源渠道: 'channel', 到访: 'visit_at' };
  const err = (over: Partial<ImportRowError>): ImportRowError => ({ row: 3, column: '', field: 'phone', code: 'validation.bad_phone', detail: '不是有效的电话号码', ...over });
  it('names the column: by name, by 1-based number, or through the mapping when empty', () => {
    expect(errorColumn(err({ column: '手机号' }), columns, mapping)).toBe('手机号');
    expect(errorColumn(err({ column: '4', field: 'visit_at' }), columns, mapping)).toBe('到访');
    expect(errorColumn(err({ column: '' }), columns, mapping)).toBe('手机号');
    expect(errorColumn(err({ column: '', field: 'unknown' }), columns, mapping)).toBe('');
  });
  it('says where the problem is, in the spreadsheet’s row numbers', () => {
    expect(rowErrorPlace(err({}), columns, mapping, 'zh')).toBe('第 3 行 · 手机号');
    expect(rowErrorPlace(err({ field: 'x' }), columns, mapping, 'en')).toBe('Row 3');
  });
  it('groups errors by row in file order', () => {
    const g = errorsByRow([err({ row: 5 }), err({ row: 3, field: 'channel' }), err({ row: 3 })]);
    expect(g.map((x) => [x.row, x.errors.length])).toEqual([
      [3, 2],
      [5, 1],
    ]);
  });
  it('asks for a zone only when a time lacked one', () => {
    expect(needsTimeZone({ rows: 1, valid: 0, invalid: 1, errors: [err({ code: 'import.timestamp_without_zone' })] })).toBe(true);
    expect(needsTimeZone({ rows: 1, valid: 0, invalid: 1, errors: [err({})] })).toBe(false);
    expect(needsTimeZone(undefined)).toBe(false);
  });
});

describe('progress and files', () => {
  it('never shows 100% before the job is done', () => {
    expect(progressPercent({ status: 'running', processed: 200, row_count: 200 })).toBe(99);
    expect(progressPercent({ status: 'running', processed: 50, row_count: 200 })).toBe(25);
    expect(progressPercent({ status: 'done', processed: 3, row_count: 3 })).toBe(100);
    expect(progressPercent({ status: 'uploaded', processed: 0, row_count: 0 })).toBe(0);
  });
  it('knows CSV and XLSX by name', () => {
    expect(fileKind('线索.CSV')).toBe('csv');
    expect(fileKind('a.xlsx')).toBe('xlsx');
    expect(fileKind('a.xls')).toBeNull();
  });
  it('offers the company zone first, once', () => {
    const z = zoneOptions('Asia/Shanghai');
    expect(z[0]).toBe('Asia/Shanghai');
    expect(z.filter((x) => x === 'Asia/Shanghai')).toHaveLength(1);
    expect(zoneOptions('Europe/Paris')[0]).toBe('Europe/Paris');
  });
});
