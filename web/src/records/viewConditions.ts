// A list query in words, for the 保存视图 dialog: 「来源渠道 等于 抖音表单」「负责人 属于 张伟、刘洋」
// 「创建时间 介于 2026-11-01 至 2026-11-30」 instead of `channel[in]=douyin_form`. Labels come from
// the schema (label_zh / label_en), enum values read as their option labels, people and linked
// records by name (the caller resolves ids). Pure.
import type { ListQuery } from '../api/endpoints';
import type { EntityDef, FieldDef } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';
import { formatDateTime, formatMoney } from './values';

/** One condition of a view in words: `${label} ${op} ${value}` (value may be empty: 为空). */
export interface ViewCondition {
  /** The query keys it stands for ("channel[in]"; two for a range). */
  keys: string[];
  /** The field's name ("channel"), or "q" / "sort" / "include_archived". */
  field: string;
  label: string;
  op: string;
  value: string;
}

export interface DescribeOptions {
  lang: Lang;
  /** The list's entity, for field labels, types and options; unknown fields read as their names. */
  entity?: EntityDef;
  /** A user's display name by id (owner fields); undefined shows the id. */
  userName?: (id: string) => string | undefined;
  /** A linked record's (or pool's) name by id for `field`; undefined shows the id. */
  refName?: (field: FieldDef, id: string) => string | undefined;
  /** The list's default sort, which is not a condition of the view. */
  defaultSort?: string;
}

type Op = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'null';

const WORDS = {
  eq: { zh: '等于', en: 'is' },
  ne: { zh: '不等于', en: 'is not' },
  gt: { zh: '大于', en: 'greater than' },
  gte: { zh: '大于等于', en: 'at least' },
  lt: { zh: '小于', en: 'less than' },
  lte: { zh: '小于等于', en: 'at most' },
  in: { zh: '属于', en: 'is one of' },
  contains: { zh: '包含', en: 'contains' },
  empty: { zh: '为空', en: 'is empty' },
  notEmpty: { zh: '不为空', en: 'is not empty' },
  between: { zh: '介于', en: 'between' },
  // Times read as before / after rather than greater / less.
  after: { zh: '晚于', en: 'after' },
  from: { zh: '不早于', en: 'from' },
  before: { zh: '早于', en: 'before' },
  until: { zh: '不晚于', en: 'until' },
  // Tags and multi-choice fields: `field=v` and `field[in]` mean "has".
  has: { zh: '含有', en: 'has' },
  hasAny: { zh: '含有任一', en: 'has any of' },
  search: { zh: '关键词', en: 'Search' },
  sort: { zh: '排序', en: 'Sorted by' },
  asc: { zh: '升序', en: 'ascending' },
  desc: { zh: '降序', en: 'descending' },
  archived: { zh: '包含已归档', en: 'Including archived' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  and: { zh: ' 至 ', en: ' and ' },
  list: { zh: '、', en: ', ' },
} as const;

type Word = keyof typeof WORDS;
const w = (lang: Lang, k: Word) => WORDS[k][lang];

const OPS = new Set<Op>(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'null']);
const PAGING = new Set(['cursor', 'limit', 'with_total']);

/** "esg[gte]" → ["esg", "gte"]; a plain key is "eq"; an unknown bracket stays part of the name. */
function splitKey(key: string): [string, Op] {
  const m = /^(.+)\[(\w+)\]$/.exec(key);
  if (m && OPS.has(m[2] as Op)) return [m[1], m[2] as Op];
  return [key, 'eq'];
}

const isTime = (f: FieldDef | undefined) => f?.type === 'date' || f?.type === 'datetime';
const isMany = (f: FieldDef | undefined) => f?.type === 'tags' || f?.type === 'multi_enum';
const MIDNIGHT = /^(\d{4})-(\d{2})-(\d{2})T00:00(:00(\.0+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The calendar day before a midnight instant's day ("2026-12-01T00:00+08:00" → "2026-11-30"). */
function dayBefore(instant: string): string | undefined {
  const m = MIDNIGHT.exec(instant);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) - 1));
  return d.toISOString().slice(0, 10);
}

/** One value as a person reads it, by the field's type. */
function valueWords(field: FieldDef | undefined, raw: string, o: DescribeOptions): string {
  const { lang } = o;
  if (!field) return raw;
  switch (field.type) {
    case 'enum':
    case 'multi_enum': {
      const opt = field.options?.find((x) => x.value === raw);
      return opt ? pickLabel(lang, opt, raw) : raw;
    }
    case 'user':
      return o.userName?.(raw) ?? raw;
    case 'reference':
      return o.refName?.(field, raw) ?? raw;
    case 'money': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? formatMoney(n) : raw;
    }
    case 'bool':
      return raw === 'true' ? w(lang, 'yes') : raw === 'false' ? w(lang, 'no') : raw;
    case 'datetime': {
      // Midnight reads as the day; other instants as day and time, as written (tenant's zone).
      const m = MIDNIGHT.exec(raw);
      return m ? `${m[1]}-${m[2]}-${m[3]}` : formatDateTime(raw);
    }
    default:
      return o.refName?.(field, raw) ?? raw;
  }
}

function listWords(field: FieldDef | undefined, raw: string, o: DescribeOptions): string[] {
  return raw
    .split(',')
    .filter(Boolean)
    .map((v) => valueWords(field, v, o));
}

/** The operator in words for a field (times read as before / after). */
function opWords(op: Op, field: FieldDef | undefined, lang: Lang, values: number): string {
  if (isTime(field)) {
    if (op === 'gt') return w(lang, 'after');
    if (op === 'gte') return w(lang, 'from');
    if (op === 'lt') return w(lang, 'before');
    if (op === 'lte') return w(lang, 'until');
  }
  if (isMany(field) && (op === 'eq' || op === 'in')) return w(lang, op === 'in' && values > 1 ? 'hasAny' : 'has');
  if (op === 'in') return w(lang, values > 1 ? 'in' : 'eq');
  return w(lang, op as Exclude<Op, 'null' | 'in'>);
}

/**
 * The conditions of a list query in words, in the query's key order: filters (a field's lower and
 * upper bound read as one 介于 range), then 关键词, 排序 (unless it is the default) and 包含已归档.
 * Paging keys and empty values are left out.
 */
export function describeConditions(query: ListQuery, o: DescribeOptions): ViewCondition[] {
  const { lang, entity } = o;
  const fieldOf = (name: string) => entity?.fields.find((f) => f.name === name);
  const labelOf = (name: string, f: FieldDef | undefined) => (f ? pickLabel(lang, f, name) : name);
  const entries = Object.entries(query).filter((e): e is [string, string] => !PAGING.has(e[0]) && e[1] !== undefined && e[1] !== '');
  const out: ViewCondition[] = [];
  const tail: ViewCondition[] = [];
  const used = new Set<string>();

  for (const [key, raw] of entries) {
    if (used.has(key)) continue;
    if (key === 'q') {
      tail.push({ keys: [key], field: 'q', label: w(lang, 'search'), op: '', value: lang === 'en' ? `“${raw}”` : `「${raw}」` });
      continue;
    }
    if (key === 'sort') {
      if (raw === o.defaultSort) continue;
      const desc = raw.startsWith('-');
      const name = raw.replace(/^[-+]/, '');
      tail.push({ keys: [key], field: 'sort', label: w(lang, 'sort'), op: '', value: `${labelOf(name, fieldOf(name))} ${w(lang, desc ? 'desc' : 'asc')}` });
      continue;
    }
    if (key === 'include_archived') {
      if (raw === 'true') tail.push({ keys: [key], field: 'include_archived', label: w(lang, 'archived'), op: '', value: '' });
      continue;
    }
    const [name, op] = splitKey(key);
    const field = fieldOf(name);
    const label = labelOf(name, field);

    if (op === 'null') {
      const empty = raw !== 'false';
      out.push({ keys: [key], field: name, label, op: w(lang, empty ? 'empty' : 'notEmpty'), value: '' });
      continue;
    }
    // A lower bound with an upper bound of the same field: one range, both ends inclusive.
    if (op === 'gte') {
      const lte = `${name}[lte]`;
      const lt = `${name}[lt]`;
      const upperKey = query[lte] ? lte : query[lt] ? lt : undefined;
      const upper = upperKey ? (query[upperKey] as string) : undefined;
      // [lt] at midnight is "through the day before" for times (the list's date-range filter).
      const upperDay = upperKey === lt && field?.type === 'datetime' ? dayBefore(upper as string) : undefined;
      if (upperKey && upper && (upperKey === lte || upperDay)) {
        used.add(upperKey);
        const to = upperDay ?? valueWords(field, upper, o);
        out.push({ keys: [key, upperKey], field: name, label, op: w(lang, 'between'), value: `${valueWords(field, raw, o)}${w(lang, 'and')}${to}` });
        continue;
      }
    }
    const values = op === 'in' ? listWords(field, raw, o) : [valueWords(field, raw, o)];
    out.push({ keys: [key], field: name, label, op: opWords(op, field, lang, values.length), value: values.join(w(lang, 'list')) });
  }
  return [...out, ...tail];
}

/** One condition as a line: 「来源渠道 等于 抖音表单」, 「关键词「张」」, 「包含已归档」. */
export function conditionLine(c: ViewCondition): string {
  return [c.label, c.op, c.value].filter(Boolean).join(' ');
}

/** All conditions on one line, joined by 「;」 (empty for none). */
export function conditionsText(query: ListQuery, o: DescribeOptions): string {
  return describeConditions(query, o)
    .map(conditionLine)
    .join(o.lang === 'en' ? '; ' : ';');
}
