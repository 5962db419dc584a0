// Conversions between API values and form/display values, by field type. Contracts:
// - money is integer fen in the API and yuan with 2 decimals on screen;
// - datetime is RFC 3339 with an offset both ways (dayjs().format() → "…+08:00");
// - date is "YYYY-MM-DD";
// - an empty input is absent on create and null on update (clears the field).
import dayjs, { type Dayjs } from 'dayjs';
import type { EntityDef, FieldDef, FieldValue, RecordData } from '../api/types';
import { editableFields, patchableFields } from './schema';

/** fen (integer) → yuan (number with at most 2 decimals). */
export function fenToYuan(fen: number): number {
  return fen / 100;
}

/** yuan → integer fen, exact for 2-decimal inputs (decimal string arithmetic, no float drift). */
export function yuanToFen(yuan: number): number {
  if (!Number.isFinite(yuan)) throw new RangeError('amount is not a finite number');
  const [whole, frac = ''] = Math.abs(yuan).toFixed(2).split('.');
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return yuan < 0 ? -fen : fen;
}

/** "¥1,234.50" from fen. */
export function formatMoney(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${whole}.${cents}`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * "2026-11-24 16:16" from "2026-11-24T16:16:02+08:00": the wall-clock time the server wrote in the
 * tenant's zone, not re-interpreted in the browser's zone.
 */
export function formatDateTime(value: string): string {
  const m = RFC3339.exec(value);
  if (m) return `${m[1]} ${m[2]}`;
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}

export type FormValue = string | number | boolean | string[] | Dayjs | null | undefined;

/** The value an antd form control edits, from the API value. */
export function toFormValue(field: FieldDef, value: FieldValue | undefined): FormValue {
  if (value === null || value === undefined) return field.type === 'multi_enum' || field.type === 'tags' ? [] : undefined;
  switch (field.type) {
    case 'money':
      return typeof value === 'number' ? fenToYuan(value) : undefined;
    case 'date':
      return typeof value === 'string' ? dayjs(value) : undefined;
    case 'datetime':
      return typeof value === 'string' ? dayjs(value) : undefined;
    default:
      return value;
  }
}

/** The API value from a form control's value; null when empty. */
export function fromFormValue(field: FieldDef, value: FormValue): FieldValue {
  if (value === undefined || value === null || value === '') return null;
  switch (field.type) {
    case 'money':
      return typeof value === 'number' ? yuanToFen(value) : null;
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return dayjs.isDayjs(value) ? value.format('YYYY-MM-DD') : String(value);
    case 'datetime':
      return dayjs.isDayjs(value) ? value.format() : String(value);
    case 'bool':
      return Boolean(value);
    case 'multi_enum':
    case 'tags':
      return Array.isArray(value) ? value : [String(value)];
    case 'text':
    case 'phone':
    case 'email':
      return typeof value === 'string' ? value.trim() || null : String(value);
    default:
      return value as FieldValue;
  }
}

function isEmpty(v: FieldValue): boolean {
  return v === null || (Array.isArray(v) && v.length === 0);
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const na = a === undefined || (Array.isArray(a) && a.length === 0) ? null : a;
  const nb = b === undefined || (Array.isArray(b) && b.length === 0) ? null : b;
  return JSON.stringify(na) === JSON.stringify(nb);
}

/** Form values for editing `record` (or an empty form when undefined), keyed by field name. */
export function recordToForm(entity: EntityDef, record?: RecordData): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const f of editableFields(entity)) out[f.name] = toFormValue(f, record?.[f.name]);
  return out;
}

/** POST body: every editable field that has a value; read-only and unknown keys never sent. */
export function buildCreateBody(entity: EntityDef, values: Record<string, FormValue>): Record<string, FieldValue> {
  const body: Record<string, FieldValue> = {};
  for (const f of editableFields(entity)) {
    if (!(f.name in values)) continue;
    const v = fromFormValue(f, values[f.name]);
    if (!isEmpty(v)) body[f.name] = v;
  }
  return body;
}

/**
 * PATCH body: only the editable fields whose value differs from `record` (cleared → null); never a
 * field only an action changes (`changed_by`: the server refuses it).
 */
export function buildPatchBody(
  entity: EntityDef,
  record: RecordData,
  values: Record<string, FormValue>,
): Record<string, FieldValue> {
  const body: Record<string, FieldValue> = {};
  for (const f of patchableFields(entity)) {
    if (!(f.name in values)) continue;
    const v = fromFormValue(f, values[f.name]);
    if (!sameValue(v, record[f.name])) body[f.name] = f.type === 'tags' && v === null ? [] : v;
  }
  return body;
}
