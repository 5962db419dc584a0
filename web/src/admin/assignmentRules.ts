// Pure helpers of the assignment-rule editor (分配规则): which operators a lead field offers, the
// editor's condition rows ↔ the API's {field, op, value}, a rule in words, and the request body.
import type { AssignmentRuleInput, AssignmentStrategy, ConditionOp, EntityDef, FieldDef, FieldValue, RuleCondition, RuleMember } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';

export const STRATEGIES: AssignmentStrategy[] = ['round_robin', 'weighted', 'least_loaded'];

const STRATEGY_WORDS: Record<AssignmentStrategy, { zh: string; en: string }> = {
  round_robin: { zh: '轮流分配', en: 'Round robin' },
  weighted: { zh: '按权重分配', en: 'Weighted' },
  least_loaded: { zh: '负载最少优先', en: 'Least loaded' },
};

export function strategyLabel(s: string, lang: Lang): string {
  return STRATEGY_WORDS[s as AssignmentStrategy]?.[lang] ?? s;
}

const OP_WORDS: Record<ConditionOp, { zh: string; en: string }> = {
  eq: { zh: '等于', en: 'is' },
  ne: { zh: '不等于', en: 'is not' },
  in: { zh: '属于', en: 'is one of' },
  not_in: { zh: '不属于', en: 'is none of' },
  contains: { zh: '包含', en: 'contains' },
  gt: { zh: '大于', en: '>' },
  gte: { zh: '大于等于', en: '≥' },
  lt: { zh: '小于', en: '<' },
  lte: { zh: '小于等于', en: '≤' },
  exists: { zh: '已填写', en: 'is filled' },
};

export function opLabel(op: ConditionOp, lang: Lang): string {
  return OP_WORDS[op]?.[lang] ?? op;
}

/** Lead fields a condition may test: business fields (custom ones too), not bookkeeping. */
export function conditionFields(leads: EntityDef): FieldDef[] {
  return leads.fields.filter((f) => !f.system || f.name === 'tags');
}

/** The operators that make sense for a field's type, the most useful first. */
export function opsFor(field: FieldDef | undefined): ConditionOp[] {
  switch (field?.type) {
    case 'enum':
    case 'multi_enum':
    case 'tags':
    case 'user':
    case 'reference':
      return ['in', 'not_in', 'eq', 'ne', 'exists'];
    case 'number':
    case 'money':
    case 'date':
    case 'datetime':
      return ['gte', 'lte', 'gt', 'lt', 'eq', 'ne', 'exists'];
    case 'bool':
      return ['eq', 'exists'];
    default:
      return ['eq', 'contains', 'in', 'ne', 'not_in', 'exists'];
  }
}

/** One condition as the editor holds it: a list for in/not_in, yuan for money, text otherwise. */
export interface ConditionRow {
  field: string;
  op: ConditionOp;
  value?: string | number | boolean | string[] | null;
}

function scalarIn(field: FieldDef | undefined, v: unknown): FieldValue {
  if (field?.type === 'number') return typeof v === 'number' ? v : Number(v);
  if (field?.type === 'money') return Math.round((typeof v === 'number' ? v : Number(v)) * 100);
  if (field?.type === 'bool') return v === true || v === 'true';
  return typeof v === 'string' ? v.trim() : String(v ?? '');
}

/** Editor row → the API's condition (money in fen, numbers as numbers, lists as arrays). */
export function conditionBody(row: ConditionRow, field: FieldDef | undefined): RuleCondition {
  if (row.op === 'exists') return { field: row.field, op: 'exists', value: row.value === false ? false : true };
  if (row.op === 'in' || row.op === 'not_in') {
    const list = Array.isArray(row.value) ? row.value : typeof row.value === 'string' ? row.value.split(/[,,、]/) : [];
    const items = list.map((x) => String(x).trim()).filter(Boolean);
    return { field: row.field, op: row.op, value: items.map((x) => scalarIn(field, x)) as string[] };
  }
  return { field: row.field, op: row.op, value: scalarIn(field, row.value) };
}

/** The API's condition → an editor row (fen shown as yuan). */
export function conditionRow(c: RuleCondition, field: FieldDef | undefined): ConditionRow {
  const v = c.value;
  if (c.op === 'exists') return { field: c.field, op: c.op, value: v !== false };
  if (Array.isArray(v)) return { field: c.field, op: c.op, value: v.map((x) => (field?.type === 'money' ? String(Number(x) / 100) : String(x))) };
  if (field?.type === 'money' && typeof v === 'number') return { field: c.field, op: c.op, value: v / 100 };
  return { field: c.field, op: c.op, value: v as ConditionRow['value'] };
}

/** Whether a row is complete enough to send. */
export function rowComplete(row: ConditionRow): boolean {
  if (!row.field || !row.op) return false;
  if (row.op === 'exists') return true;
  if (Array.isArray(row.value)) return row.value.length > 0;
  return row.value !== undefined && row.value !== null && String(row.value).trim() !== '';
}

function valueWords(field: FieldDef | undefined, v: unknown, lang: Lang, userName: (id: string) => string | undefined): string {
  const one = (x: unknown): string => {
    if (field?.type === 'user') return userName(String(x)) ?? String(x);
    if (field?.type === 'money' && typeof x === 'number') return `¥${(x / 100).toLocaleString('zh-CN')}`;
    if (field?.type === 'bool') return x === true ? (lang === 'en' ? 'yes' : '是') : lang === 'en' ? 'no' : '否';
    const opt = field?.options?.find((o) => o.value === x);
    return opt ? pickLabel(lang, opt, String(x)) : String(x);
  };
  return Array.isArray(v) ? v.map(one).join(lang === 'en' ? ', ' : '、') : one(v);
}

/** 「来源渠道 属于 抖音表单、小红书私信」 / "Source channel is one of Douyin form, …". */
export function describeCondition(c: RuleCondition, leads: EntityDef, lang: Lang, userName: (id: string) => string | undefined = () => undefined): string {
  const field = leads.fields.find((f) => f.name === c.field);
  const name = field ? pickLabel(lang, field, c.field) : c.field;
  if (c.op === 'exists') return c.value === false ? `${name} ${lang === 'en' ? 'is empty' : '未填写'}` : `${name} ${opLabel('exists', lang)}`;
  return `${name} ${opLabel(c.op, lang)} ${valueWords(field, c.value, lang, userName)}`;
}

/** All conditions in words; a rule without conditions takes every lead. */
export function describeConditions(conditions: RuleCondition[], leads: EntityDef, lang: Lang, userName?: (id: string) => string | undefined): string {
  if (!conditions.length) return lang === 'en' ? 'Every lead' : '所有线索';
  return conditions.map((c) => describeCondition(c, leads, lang, userName)).join(lang === 'en' ? ' and ' : ' 且 ');
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  strategy: AssignmentStrategy;
  cap?: number | null;
  conditions: ConditionRow[];
  members: Array<{ user_id?: string; weight?: number | null }>;
}

/** The editor's values → POST/PATCH body; incomplete condition rows and empty members are left out. */
export function ruleBody(form: RuleForm, leads: EntityDef): AssignmentRuleInput {
  const fieldOf = (n: string) => leads.fields.find((f) => f.name === n);
  const members: RuleMember[] = form.members
    .filter((m): m is { user_id: string; weight?: number | null } => !!m.user_id)
    .map((m) => ({ user_id: m.user_id, weight: m.weight && m.weight > 0 ? Math.floor(m.weight) : 1 }));
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    strategy: form.strategy,
    cap: form.cap && form.cap > 0 ? Math.floor(form.cap) : null,
    conditions: form.conditions.filter(rowComplete).map((r) => conditionBody(r, fieldOf(r.field))),
    members,
  };
}

/** Share of leads each member gets under the weighted strategy, in percent (rounded). */
export function weightShares(members: RuleMember[]): Map<string, number> {
  const total = members.reduce((s, m) => s + (m.weight > 0 ? m.weight : 0), 0);
  return new Map(members.map((m) => [m.user_id, total ? Math.round(((m.weight > 0 ? m.weight : 0) / total) * 100) : 0]));
}
