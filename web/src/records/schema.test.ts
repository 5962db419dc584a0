import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { changedByAction, drawerFilterFields, editableFields, idFieldKind, listFields, patchableFields, primaryFilterFields, recordTitle } from './schema';

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

describe('list columns and inline filters', () => {
  const colors = [
    { value: 'red', label_zh: '红', label_en: 'red' },
    { value: 'yellow', label_zh: '黄', label_en: 'yellow' },
    { value: 'green', label_zh: '绿', label_en: 'green' },
  ];
  const leads = entity('leads', [
    f('id', 'text', { system: true }),
    f('created_at', 'datetime', { system: true }),
    f('name', 'text'),
    f('phone', 'phone'),
    f('channel', 'enum'),
    f('first_touch', 'enum'),
    f('color', 'enum', { options: colors }),
    f('stage', 'enum'),
    f('owner_id', 'user'),
    f('last_owner_id', 'user'),
    f('esg', 'number', { builtin: false }),
  ]);
  it('shows the colour badge right after the title, created_at last', () => {
    expect(listFields(leads).map((x) => x.name)).toEqual(['name', 'color', 'phone', 'channel', 'first_touch', 'stage', 'owner_id', 'last_owner_id', 'esg', 'created_at']);
  });
  it('orders the filter drawer by use: inline ones, tags and created_at, custom fields, the rest, updated_at last', () => {
    const withTags = entity('leads', [f('tags', 'tags', { system: true }), f('updated_at', 'datetime', { system: true }), ...leads.fields, f('pool_id', 'text'), f('intake_source_id', 'text')]);
    expect(drawerFilterFields(withTags).map((x) => x.name)).toEqual([
      'channel', 'first_touch', 'color', 'stage', 'owner_id', 'tags', 'created_at', 'esg',
      'name', 'phone', 'last_owner_id', 'pool_id', 'intake_source_id', 'updated_at',
    ]);
    expect(drawerFilterFields(withTags, (x) => x.name === 'intake_source_id').map((x) => x.name)).not.toContain('intake_source_id');
    expect(idFieldKind(withTags, f('pool_id', 'text'))).toBe('pool');
    expect(idFieldKind(withTags, f('home_pool_id', 'text'))).toBe('pool');
    expect(idFieldKind(withTags, f('intake_source_id', 'text'))).toBe('intake_source');
    expect(idFieldKind(withTags, f('region', 'text'))).toBeUndefined();
    expect(idFieldKind(entity('customers', []), f('pool_id', 'text'))).toBeUndefined();
  });
  it('offers colour, owner and the choices inline before a second person field', () => {
    expect(primaryFilterFields(leads).map((x) => x.name)).toEqual(['channel', 'first_touch', 'color', 'stage', 'owner_id']);
    expect(primaryFilterFields(leads, 3).map((x) => x.name)).toEqual(['channel', 'color', 'owner_id']);
  });
});

describe('fields only an action changes (changed_by)', () => {
  const fd = (name: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, label_zh: name, label_en: name, type: 'text', required: false, readonly: false, builtin: true, ...extra });
  const leads: EntityDef = { name: 'leads', label_zh: '线索', label_en: 'Leads', fields: [fd('name'), fd('owner_id', { type: 'user', changed_by: 'assign' }), fd('id', { readonly: true, system: true })] };

  it('are editable on create but not patchable', () => {
    expect(changedByAction(leads.fields[1])).toBe(true);
    expect(changedByAction(leads.fields[0])).toBe(false);
    expect(changedByAction(fd('x', { changed_by: '' }))).toBe(false);
    expect(editableFields(leads).map((f) => f.name)).toEqual(['name', 'owner_id']);
    expect(patchableFields(leads).map((f) => f.name)).toEqual(['name']);
  });
});
