// The condition builder's model and its two-way mapping to the rule language
// (docs/rule-language.md): rows of field / operator / value combined with 且 (and) or 或 (or).
// `rowsToExpr` writes the expression; `exprToRows` reads one back only when it is exactly such a
// flat list of simple tests (no parentheses, no mixed and/or, no comments) — otherwise it returns
// null and the editor stays in text mode. Pure functions; the server remains the checker.
import type { FieldDef } from '../api/types';

export type CondOp =
  | 'eq' // ==
  | 'ne' // !=
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'in' // x in [a, b]
  | 'not_in' // x not in [a, b]
  | 'contains' // text contains "s"
  | 'has' // "v" in entity.tags (multi-value holds v)
  | 'not_has' // "v" not in entity.tags
  | 'empty' // is_empty(x)
  | 'not_empty' // not is_empty(x)
  | 'days_gt' // days_since(x) > n
  | 'days_lt'; // days_since(x) < n

export type CondValue = string | number | boolean | string[] | null;

export interface CondRow {
  field: string;
  op: CondOp;
  value?: CondValue;
}

export type Join = 'and' | 'or';

export interface Conditions {
  join: Join;
  rows: CondRow[];
}

const NO_VALUE: CondOp[] = ['empty', 'not_empty'];

/** The operators the builder offers for a field, the most useful first. */
export function opsForField(field: FieldDef | undefined): CondOp[] {
  switch (field?.type) {
    case 'enum':
    case 'user':
    case 'reference':
      return ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'];
    case 'multi_enum':
    case 'tags':
      return ['has', 'not_has', 'empty', 'not_empty'];
    case 'number':
    case 'money':
      return ['gt', 'gte', 'lt', 'lte', 'eq', 'ne', 'empty', 'not_empty'];
    case 'date':
    case 'datetime':
      return ['days_gt', 'days_lt', 'gt', 'lt', 'empty', 'not_empty'];
    case 'bool':
      return ['eq', 'ne'];
    default:
      return ['eq', 'ne', 'contains', 'in', 'not_in', 'empty', 'not_empty'];
  }
}

const OP_WORDS: Record<CondOp, { zh: string; en: string }> = {
  eq: { zh: '等于', en: 'is' },
  ne: { zh: '不等于', en: 'is not' },
  gt: { zh: '大于', en: '>' },
  gte: { zh: '大于等于', en: '≥' },
  lt: { zh: '小于', en: '<' },
  lte: { zh: '小于等于', en: '≤' },
  in: { zh: '属于', en: 'is one of' },
  not_in: { zh: '不属于', en: 'is none of' },
  contains: { zh: '包含文字', en: 'contains' },
  has: { zh: '含有', en: 'has' },
  not_has: { zh: '不含', en: 'does not have' },
  empty: { zh: '为空', en: 'is empty' },
  not_empty: { zh: '不为空', en: 'is not empty' },
  days_gt: { zh: '距今超过(天)', en: 'more than N days ago' },
  days_lt: { zh: '距今不足(天)', en: 'less than N days ago' },
};

export function condOpLabel(op: CondOp, lang: 'zh' | 'en'): string {
  return OP_WORDS[op]?.[lang] ?? op;
}

export function opNeedsValue(op: CondOp): boolean {
  return !NO_VALUE.includes(op);
}

export function opTakesList(op: CondOp): boolean {
  return op === 'in' || op === 'not_in';
}

/** A string literal of the language, double-quoted with its escapes. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

function isNumeric(field: FieldDef | undefined): boolean {
  return field?.type === 'number' || field?.type === 'money';
}

/** A value literal for `field`: numbers bare (money: yuan on screen → fen), bools bare, else quoted. */
function literal(field: FieldDef | undefined, v: CondValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (field?.type === 'bool') return v === 'true' ? 'true' : 'false';
  if (isNumeric(field)) {
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n)) return quote(String(v));
    return String(field?.type === 'money' ? Math.round(n * 100) : n);
  }
  if (typeof v === 'number') return String(v);
  return quote(String(v));
}

function listOf(v: CondValue | undefined): string[] {
  if (Array.isArray(v)) return v.map(String).filter((s) => s !== '');
  if (v === null || v === undefined || v === '') return [];
  return String(v)
    .split(/[,,、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One row as an expression, `subject` being the entity's singular ("lead"). */
export function rowToExpr(row: CondRow, subject: string, field?: FieldDef): string {
  const path = `${subject}.${row.field}`;
  const v = row.value;
  switch (row.op) {
    case 'eq':
      return `${path} == ${literal(field, v)}`;
    case 'ne':
      return `${path} != ${literal(field, v)}`;
    case 'gt':
      return `${path} > ${literal(field, v)}`;
    case 'gte':
      return `${path} >= ${literal(field, v)}`;
    case 'lt':
      return `${path} < ${literal(field, v)}`;
    case 'lte':
      return `${path} <= ${literal(field, v)}`;
    case 'in':
    case 'not_in': {
      const items = listOf(v).map((x) => literal(field, x));
      return `${path} ${row.op === 'in' ? 'in' : 'not in'} [${items.join(', ')}]`;
    }
    case 'contains':
      return `${path} contains ${quote(String(v ?? ''))}`;
    case 'has':
      return `${quote(String(v ?? ''))} in ${path}`;
    case 'not_has':
      return `${quote(String(v ?? ''))} not in ${path}`;
    case 'empty':
      return `is_empty(${path})`;
    case 'not_empty':
      return `not is_empty(${path})`;
    case 'days_gt':
      return `days_since(${path}) > ${Number(v ?? 0)}`;
    case 'days_lt':
      return `days_since(${path}) < ${Number(v ?? 0)}`;
  }
}

/** The builder's rows as one expression ("" when there are none). */
export function rowsToExpr(c: Conditions, subject: string, fields: FieldDef[] = []): string {
  const byName = new Map(fields.map((f) => [f.name, f]));
  return c.rows
    .filter((r) => r.field)
    .map((r) => rowToExpr(r, subject, byName.get(r.field)))
    .join(c.join === 'or' ? ' or ' : ' and ');
}

// ---- reading an expression back into rows ----

type Tok =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'id'; v: string } // identifiers and keywords, dotted paths included ("lead.channel")
  | { k: 'op'; v: string }; // == != < <= > >= ( ) [ ] ,

/** Tokens of `text`, or null for anything outside what simple rows use (comments, durations…). */
export function tokenize(text: string): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) return null;
        const d = text[i];
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1];
          const map: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r' };
          if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
            s += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          if (!(e in map)) return null;
          s += map[e];
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      out.push({ k: 'str', v: s });
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![\w.])/.exec(text.slice(i));
    if (num && (c !== '-' || out.length === 0 || out[out.length - 1].k === 'op')) {
      out.push({ k: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      out.push({ k: 'op', v: two });
      i += 2;
      continue;
    }
    if ('<>()[],'.includes(c)) {
      out.push({ k: 'op', v: c });
      i++;
      continue;
    }
    return null; // '#' comments, '=', '&&' … belong to text mode
  }
  return out;
}

const CMP: Record<string, CondOp> = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };

/**
 * Parses `text` into builder rows about `subject`, or null when it is not a flat list of simple
 * tests joined by one kind of connective. Money literals come back in yuan (fen / 100).
 */
export function exprToRows(text: string, subject: string, fields: FieldDef[] = []): Conditions | null {
  const toks = tokenize(text);
  if (!toks) return null;
  if (toks.length === 0) return { join: 'and', rows: [] };
  const byName = new Map(fields.map((f) => [f.name, f]));
  // Split on top-level and/or; parentheses only appear as function calls in simple rows.
  const parts: Tok[][] = [[]];
  let join: Join | null = null;
  let depth = 0;
  for (const t of toks) {
    if (t.k === 'op' && (t.v === '(' || t.v === '[')) depth++;
    if (t.k === 'op' && (t.v === ')' || t.v === ']')) depth--;
    if (depth === 0 && t.k === 'id' && (t.v === 'and' || t.v === 'or')) {
      if (join && join !== t.v) return null;
      join = t.v;
      parts.push([]);
      continue;
    }
    parts[parts.length - 1].push(t);
  }
  const rows: CondRow[] = [];
  for (const p of parts) {
    const row = parseRow(p, subject, byName);
    if (!row) return null;
    rows.push(row);
  }
  return { join: join ?? 'and', rows };
}

function fieldOf(t: Tok | undefined, subject: string): string | null {
  if (!t || t.k !== 'id') return null;
  const prefix = `${subject}.`;
  if (!t.v.startsWith(prefix)) return null;
  const name = t.v.slice(prefix.length);
  return name && !name.includes('.') ? name : null;
}

function litValue(t: Tok | undefined, field: FieldDef | undefined): { ok: boolean; v: CondValue } {
  if (!t) return { ok: false, v: null };
  if (t.k === 'str') return { ok: true, v: t.v };
  if (t.k === 'num') return { ok: true, v: field?.type === 'money' ? t.v / 100 : t.v };
  if (t.k === 'id' && (t.v === 'true' || t.v === 'false')) return { ok: true, v: t.v === 'true' };
  if (t.k === 'id' && t.v === 'null') return { ok: true, v: null };
  return { ok: false, v: null };
}

function isOp(t: Tok | undefined, v: string): boolean {
  return !!t && t.k === 'op' && t.v === v;
}
function isId(t: Tok | undefined, v: string): boolean {
  return !!t && t.k === 'id' && t.v === v;
}

function parseList(toks: Tok[], field: FieldDef | undefined): string[] | null {
  // [ lit (, lit)* ]
  if (!isOp(toks[0], '[') || !isOp(toks[toks.length - 1], ']')) return null;
  const inner = toks.slice(1, -1);
  const out: string[] = [];
  for (let i = 0; i < inner.length; i += 2) {
    const lit = litValue(inner[i], field);
    if (!lit.ok || lit.v === null || typeof lit.v === 'boolean') return null;
    out.push(String(lit.v));
    if (i + 1 < inner.length && !isOp(inner[i + 1], ',')) return null;
  }
  return out;
}

function parseRow(t: Tok[], subject: string, fields: Map<string, FieldDef>): CondRow | null {
  // not is_empty(x)
  if (t.length === 5 && isId(t[0], 'not') && isId(t[1], 'is_empty') && isOp(t[2], '(') && isOp(t[4], ')')) {
    const f = fieldOf(t[3], subject);
    return f ? { field: f, op: 'not_empty' } : null;
  }
  // is_empty(x)
  if (t.length === 4 && isId(t[0], 'is_empty') && isOp(t[1], '(') && isOp(t[3], ')')) {
    const f = fieldOf(t[2], subject);
    return f ? { field: f, op: 'empty' } : null;
  }
  // has_tag("v")
  if (t.length === 4 && isId(t[0], 'has_tag') && isOp(t[1], '(') && t[2].k === 'str' && isOp(t[3], ')')) {
    const tagsField = [...fields.values()].find((f) => f.type === 'tags')?.name ?? 'tags';
    return { field: tagsField, op: 'has', value: t[2].v };
  }
  // days_since(x) > n / < n
  if (t.length === 6 && isId(t[0], 'days_since') && isOp(t[1], '(') && isOp(t[3], ')') && t[5].k === 'num') {
    const f = fieldOf(t[2], subject);
    if (!f) return null;
    if (isOp(t[4], '>')) return { field: f, op: 'days_gt', value: t[5].v };
    if (isOp(t[4], '<')) return { field: f, op: 'days_lt', value: t[5].v };
    return null;
  }
  // "v" in x / "v" not in x
  if (t[0]?.k === 'str') {
    if (t.length === 3 && isId(t[1], 'in')) {
      const f = fieldOf(t[2], subject);
      return f ? { field: f, op: 'has', value: t[0].v } : null;
    }
    if (t.length === 4 && isId(t[1], 'not') && isId(t[2], 'in')) {
      const f = fieldOf(t[3], subject);
      return f ? { field: f, op: 'not_has', value: t[0].v } : null;
    }
    return null;
  }
  const name = fieldOf(t[0], subject);
  if (!name) return null;
  const field = fields.get(name);
  // x == v, x != v, x > v …
  if (t.length === 3 && t[1].k === 'op' && CMP[t[1].v]) {
    const lit = litValue(t[2], field);
    if (!lit.ok) return null;
    const op = CMP[t[1].v];
    if (lit.v === null) {
      if (op === 'eq') return { field: name, op: 'empty' };
      if (op === 'ne') return { field: name, op: 'not_empty' };
      return null;
    }
    return { field: name, op, value: lit.v };
  }
  // x contains "s" (a multi-value field: membership)
  if (t.length === 3 && isId(t[1], 'contains') && t[2].k === 'str') {
    const multi = field?.type === 'tags' || field?.type === 'multi_enum';
    return { field: name, op: multi ? 'has' : 'contains', value: t[2].v };
  }
  // x in [..] / x not in [..]
  if (isId(t[1], 'in')) {
    const list = parseList(t.slice(2), field);
    return list ? { field: name, op: 'in', value: list } : null;
  }
  if (isId(t[1], 'not') && isId(t[2], 'in')) {
    const list = parseList(t.slice(3), field);
    return list ? { field: name, op: 'not_in', value: list } : null;
  }
  return null;
}

/** Where the server says a condition is wrong: "line 2, column 9: …" / "第 2 行第 9 列: …". */
export function errorPosition(detail: string): { line: number; column: number } | null {
  const en = /line (\d+), column (\d+)/.exec(detail);
  if (en) return { line: Number(en[1]), column: Number(en[2]) };
  const zh = /第\s*(\d+)\s*行第\s*(\d+)\s*列/.exec(detail);
  if (zh) return { line: Number(zh[1]), column: Number(zh[2]) };
  return null;
}

/** The offending line of `text` and a caret under the column (columns count characters from 1). */
export function caretSnippet(text: string, pos: { line: number; column: number }): string | null {
  const lines = text.split('\n');
  const line = lines[pos.line - 1];
  if (line === undefined) return null;
  const chars = Array.from(line);
  const pad = chars
    .slice(0, Math.max(0, pos.column - 1))
    .map((c) => (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? '  ' : c === '\t' ? '\t' : ' '))
    .join('');
  return `${line}\n${pad}^`;
}
