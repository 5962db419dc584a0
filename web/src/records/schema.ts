// Pure helpers over entity metadata: which fields a form edits, a list shows, a filter offers.
// Everything the generic screens do is decided here from the schema, never from entity names.
import type { EntityDef, FieldDef, RecordData } from '../api/types';

/** Fields a user may send on create/update: not read-only, not server bookkeeping (tags excepted). */
export function editableFields(entity: EntityDef): FieldDef[] {
  const business = entity.fields.filter((f) => !f.readonly && !f.system);
  const tags = entity.fields.filter((f) => f.system && !f.readonly && f.name === 'tags');
  return [...business, ...tags];
}

/**
 * Whether the field changes only through an action once the record exists (`changed_by`, e.g. a
 * lead's owner_id: 分配). Such a field is set on create and shown read-only on edit.
 */
export function changedByAction(field: FieldDef): boolean {
  return typeof field.changed_by === 'string' && field.changed_by !== '';
}

/** Fields a PATCH may change: the editable ones less those only an action changes. */
export function patchableFields(entity: EntityDef): FieldDef[] {
  return editableFields(entity).filter((f) => !changedByAction(f));
}

export function findField(entity: EntityDef, name: string): FieldDef | undefined {
  return entity.fields.find((f) => f.name === name);
}

/** The field that names a record in titles, links and reference pickers. */
export function titleField(entity: EntityDef): FieldDef | undefined {
  return (
    findField(entity, 'name') ??
    findField(entity, 'title') ??
    entity.fields.find((f) => f.type === 'text' && f.required && !f.system)
  );
}

/**
 * The field that names this record: the entity's title field, or — for an entity without one (a
 * follow-up) — its first business text field that has a value (the follow-up's content).
 */
export function namingField(entity: EntityDef | undefined, record: RecordData): FieldDef | undefined {
  if (!entity) return undefined;
  const f = titleField(entity);
  if (f) return f;
  return entity.fields.find((x) => !x.system && x.type === 'text' && typeof record[x.name] === 'string' && record[x.name] !== '');
}

/** What to call a record: its naming field's value (at most 40 characters), else its id. */
export function recordTitle(entity: EntityDef | undefined, record: RecordData | undefined): string {
  if (!record) return '';
  const f = namingField(entity, record);
  const v = f ? record[f.name] : undefined;
  if (typeof v !== 'string' || !v) return record.id;
  return v.length > 40 ? `${v.slice(0, 39)}…` : v;
}

/**
 * Fields shown as list columns: the title first, then the 三色漏斗 badge (so the colour is seen
 * without scrolling sideways), then every other business field, then created_at.
 */
export function listFields(entity: EntityDef): FieldDef[] {
  const title = titleField(entity);
  const business = entity.fields.filter((f) => !f.system && f !== title);
  const colors = business.filter(isColorEnum);
  const created = findField(entity, 'created_at');
  return [...(title ? [title] : []), ...colors, ...business.filter((f) => !colors.includes(f)), ...(created ? [created] : [])];
}

/** Fields offered as filters: business fields, tags and the creation time; never id or version. */
export function filterFields(entity: EntityDef): FieldDef[] {
  const sys = new Set(['tags', 'created_at', 'updated_at']);
  return entity.fields.filter((f) => !f.system || sys.has(f.name));
}

/**
 * Up to `max` filters shown inline on a wide screen (the rest sit under "more filters"): the
 * color funnel first, then the first person field (the owner), then other choices, then further
 * person fields (前负责人 …); shown in schema order.
 */
export function primaryFilterFields(entity: EntityDef, max = 5): FieldDef[] {
  const candidates = filterFields(entity).filter((f) => f.builtin && !f.system && (f.type === 'enum' || f.type === 'user'));
  const owner = candidates.find((f) => f.type === 'user');
  const rank = (f: FieldDef) => (isColorEnum(f) ? 0 : f === owner ? 1 : f.type === 'user' ? 3 : 2);
  const chosen = new Set([...candidates].sort((a, b) => rank(a) - rank(b)).slice(0, max));
  return candidates.filter((f) => chosen.has(f));
}

/**
 * The filter drawer's fields, most used first: the inline ones (colour, owner, choices), then tags
 * and the creation time, then the tenant's custom fields (an 「ESG评分」 just added is found at
 * once), then every other built-in field in schema order, then the update time. Fields `hidden`
 * says the user cannot use (an intake source without the right to list sources) are left out.
 */
export function drawerFilterFields(entity: EntityDef, hidden: (f: FieldDef) => boolean = () => false): FieldDef[] {
  const all = filterFields(entity).filter((f) => !hidden(f));
  const first = [...primaryFilterFields(entity).filter((f) => all.includes(f)), ...['tags', 'created_at'].map((n) => all.find((f) => f.name === n))].filter(
    (f): f is FieldDef => !!f,
  );
  const custom = all.filter((f) => !f.builtin && !first.includes(f));
  const last = all.filter((f) => f.system && !first.includes(f));
  return [...first, ...custom, ...all.filter((f) => !first.includes(f) && !custom.includes(f) && !last.includes(f)), ...last];
}

/**
 * Text fields of leads that hold the id of something the user picks by name: the 公海 a lead is in
 * (or returns to) and the intake source (进线入口) it came through.
 */
export function idFieldKind(entity: EntityDef, field: FieldDef): 'pool' | 'intake_source' | undefined {
  if (entity.name !== 'leads' || field.type !== 'text') return undefined;
  if (field.name === 'pool_id' || field.name === 'home_pool_id') return 'pool';
  if (field.name === 'intake_source_id') return 'intake_source';
  return undefined;
}

/** Fields worth a line on a phone card, most telling first: two choices, then the rest. */
export function cardFields(entity: EntityDef): FieldDef[] {
  const title = titleField(entity);
  const body = listFields(entity).filter((f) => f !== title && !isColorEnum(f) && f.name !== 'created_at');
  const choices = body.filter((f) => f.type === 'enum').slice(0, 2);
  return [...choices, ...body.filter((f) => !choices.includes(f))];
}

const COLOR_VALUES = new Set(['red', 'yellow', 'green']);

/** An enum whose options are red/yellow/green (the 三色漏斗) renders as a colored badge. */
export function isColorEnum(field: FieldDef): boolean {
  const opts = field.options ?? [];
  return field.type === 'enum' && opts.length >= 2 && opts.every((o) => COLOR_VALUES.has(o.value));
}

/** Text fields that hold prose get a multi-line editor (the schema has no length hint yet). */
export function isLongText(field: FieldDef): boolean {
  return field.type === 'text' && /^(content|description|notes?|remark|summary)$/.test(field.name);
}

/** Entities listed in the main menu, in schema order (tags are managed inline on records). */
export function menuEntities(entities: EntityDef[]): EntityDef[] {
  return entities.filter((e) => e.name !== 'tags');
}
