import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { recordTitle } from './schema';

const f = (name: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({ name, label_zh: name, label_en: name, type, required: false, readonly: false, builtin: true, ...extra });
const entity = (name: string, fields: FieldDef[]): EntityDef => ({ name, label_zh: name, label_en: name, fields }) as EntityDef;
const rec = (values: Record<string, unknown>): RecordData => ({ id: '01a20e7b-d35e-7082-9265-90b85c6d7dc8', created_at: '2026-11-25T00:55:00+08:00', updated_at: '2026-11-25T00:55:00+08:00', version: 1, ...values }) as RecordData;

describe('recordTitle', () => {
  it('uses the title field', () => {
    expect(recordTitle(entity('leads', [f('id', 'text', { system: true }), f('name', 'text')]), rec({ name: '周总' }))).toBe('周总');
  });
  it('names a follow-up (no title field) by its content, not its id', () => {
    const activities = entity('activities', [f('id', 'text', { system: true }), f('kind', 'enum', { required: true }), f('content', 'text')]);
    expect(recordTitle(activities, rec({ kind: 'note', content: '客户确认Q3招标' }))).toBe('客户确认Q3招标');
    expect(recordTitle(activities, rec({ kind: 'note', content: '长'.repeat(60) }))).toBe(`${'长'.repeat(39)}…`);
    expect(recordTitle(activities, rec({ kind: 'note', content: '' }))).toBe('01a20e7b-d35e-7082-9265-90b85c6d7dc8');
  });
});
