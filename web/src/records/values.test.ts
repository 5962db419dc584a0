import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { buildCreateBody, buildPatchBody, fenToYuan, formatDateTime, formatMoney, fromFormValue, recordToForm, toFormValue, yuanToFen } from './values';

const f = (name: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  name, label_zh: name, label_en: name, type, required: false, readonly: false, builtin: true, ...extra,
});

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    f('id', 'text', { readonly: true, system: true }),
    f('tags', 'tags', { system: true }),
    f('version', 'number', { readonly: true, system: true }),
    f('name', 'text', { required: true }),
    f('budget', 'money', { builtin: false }),
    f('next_call_at', 'datetime'),
    f('response_hours', 'number', { readonly: true }),
    f('esg_score', 'number', { builtin: false }),
    f('owner_id', 'user', { changed_by: 'assign' }),
  ],
};

describe('money', () => {
  it('converts yuan to integer fen without float drift', () => {
    expect(yuanToFen(12.34)).toBe(1234);
    expect(yuanToFen(0.29)).toBe(29); // 0.29 * 100 = 28.999999999999996
    expect(yuanToFen(19.99)).toBe(1999);
    expect(yuanToFen(2000000)).toBe(200000000);
    expect(yuanToFen(-1.5)).toBe(-150);
    expect(fenToYuan(1999)).toBe(19.99);
  });
  it('formats fen as yuan with two decimals', () => {
    expect(formatMoney(200000000)).toBe('¥2,000,000.00');
    expect(formatMoney(5)).toBe('¥0.05');
    expect(formatMoney(-150)).toBe('-¥1.50');
  });
});

describe('date and time', () => {
  it("shows the server's tenant-zone wall clock, not the browser's", () => {
    expect(formatDateTime('2026-11-24T16:16:02+08:00')).toBe('2026-11-24 16:16');
    expect(formatDateTime('2026-11-24T16:16:02.123+08:00')).toBe('2026-11-24 16:16');
  });
  it('sends datetimes as RFC 3339 with an offset', () => {
    const v = fromFormValue(f('at', 'datetime'), dayjs('2026-03-01T09:30:00+08:00'));
    expect(v).toMatch(/^2026-0[23]-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(dayjs(v as string).valueOf()).toBe(dayjs('2026-03-01T09:30:00+08:00').valueOf());
  });
  it('sends dates as YYYY-MM-DD', () => {
    expect(fromFormValue(f('d', 'date'), dayjs('2026-12-31'))).toBe('2026-12-31');
    expect(dayjs.isDayjs(toFormValue(f('d', 'date'), '2026-12-31'))).toBe(true);
  });
});

describe('request bodies', () => {
  it('create: only editable fields with a value, money in fen', () => {
    const body = buildCreateBody(leads, { name: ' 张总 ', budget: 12.5, esg_score: undefined, tags: [], response_hours: 3, id: 'x' } as never);
    expect(body).toEqual({ name: '张总', budget: 1250 });
  });

  it('update: only what changed; a cleared field becomes null', () => {
    const record: RecordData = { id: 'L1', version: 3, created_at: '', updated_at: '', name: '张总', budget: 1250, esg_score: 80, tags: ['VIP'] };
    const form = recordToForm(leads, record);
    expect(form.budget).toBe(12.5);
    expect(buildPatchBody(leads, record, form)).toEqual({});
    expect(buildPatchBody(leads, record, { ...form, esg_score: 87.5, budget: undefined, tags: [] })).toEqual({ esg_score: 87.5, budget: null, tags: [] });
  });

  it('create sends the owner; update never does (it changes only by 分配, changed_by)', () => {
    expect(buildCreateBody(leads, { name: '张总', owner_id: 'U2' })).toEqual({ name: '张总', owner_id: 'U2' });
    const record: RecordData = { id: 'L1', version: 3, created_at: '', updated_at: '', name: '张总', owner_id: 'U1' };
    expect(buildPatchBody(leads, record, { ...recordToForm(leads, record), owner_id: 'U2', name: '张总总' })).toEqual({ name: '张总总' });
  });

  it('never sends read-only fields, even if a form had them', () => {
    const record: RecordData = { id: 'L1', version: 3, created_at: '', updated_at: '', name: 'a', response_hours: 2 };
    expect(buildPatchBody(leads, record, { name: 'a', response_hours: 9, version: 9 } as never)).toEqual({});
  });
});
