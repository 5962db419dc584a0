// Pure access logic for the UI: what a role may do (to hide buttons the server would refuse),
// editing a role's entity × action matrix, request/grant/rule bodies, and the explain checks in
// words. The server decides; nothing here grants anything.
import type {
  AccessAction,
  AccessPurpose,
  AccessRule,
  AccessRuleInput,
  DataScope,
  EntityRight,
  NewAccessRequest,
  NewGrant,
  RecordData,
  RecordEvent,
  Role,
} from '../api/types';
import type { Lang } from '../i18n/I18nProvider';

export const ACTIONS: AccessAction[] = ['create', 'read', 'update', 'archive', 'export'];
export const SCOPES: DataScope[] = ['none', 'self', 'subordinates', 'department', 'department_tree', 'all'];
export const PURPOSES: AccessPurpose[] = ['police_filing', 'quality_trace', 'tender', 'other'];
/** The key of a role's default rights, used by entities without their own entry. */
export const DEFAULT_ENTITY = '*';

const L = <T extends string>(m: Record<T, [string, string]>) => m;
const ACTION_LABELS = L<AccessAction>({ create: ['新建', 'Create'], read: ['查看', 'Read'], update: ['编辑', 'Update'], archive: ['归档', 'Archive'], export: ['导出', 'Export'] });
const SCOPE_LABELS = L<DataScope>({
  none: ['无', 'None'],
  self: ['仅本人', 'Own records'],
  subordinates: ['本人及下属', 'Own and subordinates'],
  department: ['本部门', 'Own department'],
  department_tree: ['本部门及下级部门', 'Department and below'],
  all: ['全部', 'Everything'],
});
const PURPOSE_LABELS = L<AccessPurpose>({
  police_filing: ['公安备案', 'Police filing'],
  quality_trace: ['质量追溯', 'Quality trace'],
  tender: ['招投标', 'Tender'],
  other: ['其他', 'Other'],
});
const pick = (pair: [string, string] | undefined, lang: Lang, fallback: string) => (pair ? pair[lang === 'en' ? 1 : 0] : fallback);
export const actionLabel = (a: string, lang: Lang) => pick(ACTION_LABELS[a as AccessAction], lang, a);
export const scopeLabel = (s: string | undefined, lang: Lang) => pick(SCOPE_LABELS[(s ?? 'none') as DataScope], lang, s ?? '');
export const purposeLabel = (p: string, lang: Lang) => pick(PURPOSE_LABELS[p as AccessPurpose], lang, p);

/** True when the role holds every permission ("*"). */
export function isSuperRole(role: Pick<Role, 'permissions'> | undefined): boolean {
  return !!role?.permissions?.includes('*');
}

/** The rights `role` has on `entity`: its own entry, else the "*" default, else none. */
export function rightFor(role: Pick<Role, 'entity_access'> | undefined, entity: string): EntityRight | undefined {
  const ea = role?.entity_access;
  if (!ea) return undefined;
  return ea[entity] ?? ea[DEFAULT_ENTITY];
}

/**
 * Whether `role` may perform `action` on `entity` at all (within its scope). An unknown role may
 * do nothing; a role with "*" permissions may do everything. Read also needs a scope other than
 * "none".
 */
export function can(role: Pick<Role, 'entity_access' | 'permissions'> | undefined, entity: string, action: AccessAction): boolean {
  if (!role) return false;
  if (isSuperRole(role)) return true;
  const right = rightFor(role, entity);
  if (!right?.actions?.includes(action)) return false;
  return action !== 'read' || (right.scope ?? 'self') !== 'none';
}

// ---- editing a role's matrix ----

export interface MatrixRow {
  entity: string;
  right: EntityRight;
  /** false when the entity follows the "*" default (no entry of its own). */
  own: boolean;
}

/** One row per entity (the "*" default first), showing the rights in force. */
export function matrixRows(access: Record<string, EntityRight>, entities: string[]): MatrixRow[] {
  const names = [DEFAULT_ENTITY, ...entities.filter((e) => e !== DEFAULT_ENTITY)];
  for (const e of Object.keys(access)) if (!names.includes(e)) names.push(e);
  return names.map((entity) => {
    const own = entity in access;
    return { entity, own, right: own ? access[entity] : access[DEFAULT_ENTITY] ?? { actions: [], scope: 'none' } };
  });
}

/** Drops empty optional parts so the body stays what the server shows back. */
function tidy(r: EntityRight): EntityRight {
  const out: EntityRight = { actions: ACTIONS.filter((a) => r.actions?.includes(a)), scope: r.scope ?? 'self' };
  if (r.inherit && r.inherit.length) out.inherit = [...r.inherit];
  if (r.shared_field) out.shared_field = r.shared_field;
  return out;
}

/**
 * Returns a copy of `access` with `entity`'s rights changed by `change`; an entity that followed
 * the "*" default gets an entry of its own, starting from that default.
 */
export function updateRight(access: Record<string, EntityRight>, entity: string, change: Partial<EntityRight>): Record<string, EntityRight> {
  const base = access[entity] ?? access[DEFAULT_ENTITY] ?? { actions: [], scope: 'none' };
  return { ...access, [entity]: tidy({ ...base, ...change }) };
}

/** `action` switched on or off for `entity`. */
export function toggleAction(access: Record<string, EntityRight>, entity: string, action: AccessAction, on: boolean): Record<string, EntityRight> {
  const current = rightFor({ entity_access: access }, entity)?.actions ?? [];
  const actions = on ? [...current.filter((a) => a !== action), action] : current.filter((a) => a !== action);
  return updateRight(access, entity, { actions });
}

/** `entity` back to the "*" default (its own entry removed); the default itself stays. */
export function resetRight(access: Record<string, EntityRight>, entity: string): Record<string, EntityRight> {
  if (entity === DEFAULT_ENTITY) return access;
  const { [entity]: _dropped, ...rest } = access;
  return rest;
}

// ---- request and grant bodies ----

export interface AccessRequestForm {
  fields: string[];
  purpose: AccessPurpose;
  purpose_text?: string;
  /** "manager" | "department_head" | "user" (then approver_id names the person). */
  approver: 'manager' | 'department_head' | 'user';
  approver_id?: string;
  hours: number;
}

/** The POST /access-requests body, or the name of the first form field that is missing. */
export function accessRequestBody(entity: string, recordId: string, f: AccessRequestForm): NewAccessRequest | { missing: keyof AccessRequestForm } {
  if (!f.fields?.length) return { missing: 'fields' };
  if (!f.purpose) return { missing: 'purpose' };
  const text = f.purpose_text?.trim() ?? '';
  if (f.purpose === 'other' && !text) return { missing: 'purpose_text' };
  if (f.approver === 'user' && !f.approver_id) return { missing: 'approver_id' };
  if (!(f.hours > 0)) return { missing: 'hours' };
  const body: NewAccessRequest = {
    entity,
    record_id: recordId,
    fields: [...f.fields],
    purpose: f.purpose,
    approver: f.approver === 'user' ? (f.approver_id as string) : f.approver,
    hours: Math.round(f.hours),
  };
  if (text) body.purpose_text = text;
  return body;
}

export interface InviteForm {
  grantee_id: string;
  mode: 'read' | 'write';
  hours: number;
  /** 包含跟进记录: the grant also opens the record's follow-ups (relations ["activities"]). */
  include_followups: boolean;
  reason?: string;
}

export function grantBody(entity: string, recordId: string, f: InviteForm): NewGrant {
  const body: NewGrant = { entity, record_id: recordId, grantee_id: f.grantee_id, mode: f.mode, hours: Math.round(f.hours) };
  if (f.include_followups) body.relations = ['activities'];
  const reason = f.reason?.trim();
  if (reason) body.reason = reason;
  return body;
}

// ---- access rules ----

export interface AccessRuleForm {
  name: string;
  entity: string;
  by: 'tag' | 'field';
  tag?: string;
  via?: string;
  field?: string;
  values?: string[];
  departments?: string[];
  roles?: string[];
  users?: string[];
  user_fields?: string[];
  enabled?: boolean;
}

export function accessRuleBody(f: AccessRuleForm): AccessRuleInput {
  const match = f.by === 'tag' ? { tag: (f.tag ?? '').trim(), ...(f.via ? { via: f.via } : {}) } : { field: f.field ?? '', in: [...(f.values ?? [])] };
  const allow: AccessRule['allow'] = {};
  for (const k of ['departments', 'roles', 'users', 'user_fields'] as const) if (f[k]?.length) allow[k] = [...(f[k] as string[])];
  return { name: f.name.trim(), entity: f.entity, match, allow, ...(f.enabled === undefined ? {} : { enabled: f.enabled }) };
}

export function accessRuleForm(r: AccessRule): AccessRuleForm {
  const byTag = r.match.tag !== undefined;
  return {
    name: r.name,
    entity: r.entity,
    enabled: r.enabled,
    by: byTag ? 'tag' : 'field',
    tag: r.match.tag,
    via: r.match.via,
    field: r.match.field,
    values: r.match.in,
    departments: r.allow.departments ?? [],
    roles: r.allow.roles ?? [],
    users: r.allow.users ?? [],
    user_fields: r.allow.user_fields ?? [],
  };
}

export interface Names {
  entity: (name: string) => string;
  field: (entity: string, name: string) => string;
  department: (id: string) => string;
  role: (name: string) => string;
  user: (id: string) => string;
  rule?: (id: string) => string;
}

/** 「客户(经 客户)带标签「战略客户」的合同仅对 战略部、负责人 可见」, in the UI language. */
export function ruleSummary(r: Pick<AccessRule, 'entity' | 'match' | 'allow'>, n: Names, lang: Lang): string {
  const zh = lang !== 'en';
  const who = [
    ...(r.allow.departments ?? []).map(n.department),
    ...(r.allow.roles ?? []).map(n.role),
    ...(r.allow.users ?? []).map(n.user),
    ...(r.allow.user_fields ?? []).map((f) => n.field(r.entity, f)),
  ];
  const whom = who.length ? who.join(zh ? '、' : ', ') : zh ? '(无人)' : '(nobody)';
  const ent = n.entity(r.entity);
  if (r.match.tag !== undefined) {
    const via = r.match.via ? n.field(r.entity, r.match.via) : '';
    if (zh) return `${via ? `${via}带` : '带'}标签「${r.match.tag}」的${ent}仅对 ${whom} 可见`;
    return `${ent} ${via ? `whose ${via} is` : ''} tagged "${r.match.tag}" are visible only to ${whom}`.replace(/\s+/g, ' ');
  }
  const field = n.field(r.entity, r.match.field ?? '');
  const values = (r.match.in ?? []).join(zh ? '、' : ', ');
  return zh ? `${field}属于 ${values} 的${ent}仅对 ${whom} 可见` : `${ent} with ${field} in ${values} are visible only to ${whom}`;
}

// ---- explain ----

/** One explain check ("scope:self", "shared:pool_id", "inherit:lead_id", "grant:…", "rule:<id>") in words. */
export function describeCheck(check: string, entity: string, n: Names, lang: Lang): string {
  const zh = lang !== 'en';
  const i = check.indexOf(':');
  const kind = i < 0 ? check : check.slice(0, i);
  const arg = i < 0 ? '' : check.slice(i + 1);
  switch (kind) {
    case 'scope':
      return zh ? `数据范围:${scopeLabel(arg, lang)}` : `Data scope: ${scopeLabel(arg, lang)}`;
    case 'shared':
      return zh ? `共享字段「${n.field(entity, arg)}」有值(如在公海中)` : `Shared through "${n.field(entity, arg)}" (e.g. in a public pool)`;
    case 'inherit':
      return zh ? `经关联「${n.field(entity, arg)}」继承可见` : `Visible through its "${n.field(entity, arg)}"`;
    case 'grant':
      return zh ? '临时协作授权' : 'Temporary grant';
    case 'rule': {
      const name = n.rule?.(arg) ?? arg;
      return zh ? `访问规则「${name}」允许` : `Access rule "${name}" allows`;
    }
    case 'role':
      return zh ? `角色「${n.role(arg)}」` : `Role "${n.role(arg)}"`;
    case 'access_request':
      return zh ? '已批准的查看申请' : 'An approved access request';
    case 'permission':
      return zh ? `权限 ${arg}` : `Permission ${arg}`;
    default:
      return check;
  }
}

// ---- records and live events ----

/** The fields this reader got masked on `record`. */
export function maskedFields(record: Pick<RecordData, '_masked'> | undefined): string[] {
  return Array.isArray(record?._masked) ? record._masked : [];
}

/**
 * Which access notice a live event is for the signed-in user: "changed" (their access changed),
 * "approval" (a request waits for their decision) or null (not about them).
 */
export function accessNotice(e: RecordEvent, myId: string | undefined): 'changed' | 'approval' | null {
  if (!myId || e.entity !== 'users' || e.id !== myId) return null;
  if (e.type === 'access.changed') return 'changed';
  if (e.type === 'access.approval_needed') return 'approval';
  return null;
}
