// List filters live in the URL (shareable, survive reload) using the API's own query syntax:
//   channel[in]=douyin_form,baidu_ads  color[in]=red  owner_id[in]=ID  tags[in]=VIP
//   esg_score[gte]=3  created_at[gte]=2026-01-01T00:00:00+08:00  company[contains]=科技  q=张
// so the URL query (minus paging keys) IS the list request. Helpers here are pure.
import dayjs from 'dayjs';
import type { FieldDef } from '../api/types';
import type { ListQuery } from '../api/endpoints';

/** Keys that are not filters. */
const NON_FILTER = new Set(['q', 'sort', 'cursor', 'limit', 'with_total', 'include_archived']);

export function queryFromSearch(search: URLSearchParams): ListQuery {
  const out: ListQuery = {};
  search.forEach((value, key) => {
    if (key === 'cursor' || key === 'limit' || key === 'with_total') return;
    if (value !== '') out[key] = value;
  });
  return out;
}

/** The field name a query key filters on ("esg_score[gte]" → "esg_score"), or null. */
export function filterFieldOf(key: string): string | null {
  if (NON_FILTER.has(key)) return null;
  const lb = key.indexOf('[');
  return lb < 0 ? key : key.slice(0, lb);
}

/** How many fields the query filters on (q counts as one). */
export function activeFilterCount(query: ListQuery): number {
  const fields = new Set<string>();
  for (const key of Object.keys(query)) {
    const f = key === 'q' ? 'q' : filterFieldOf(key);
    if (f) fields.add(f);
  }
  return fields.size;
}

/** The query keys a field's filter control writes, by type. */
export function filterKeys(field: FieldDef): string[] {
  switch (field.type) {
    case 'enum':
    case 'multi_enum':
    case 'tags':
    case 'user':
    case 'reference':
      return [`${field.name}[in]`];
    case 'bool':
      return [field.name];
    case 'number':
    case 'money':
    case 'date':
      return [`${field.name}[gte]`, `${field.name}[lte]`];
    case 'datetime':
      return [`${field.name}[gte]`, `${field.name}[lt]`];
    default:
      return [`${field.name}[contains]`];
  }
}

/** Returns a copy of `query` with `changes` applied (undefined/''/[] removes a key). */
export function withParams(query: ListQuery, changes: Record<string, string | string[] | undefined | null>): ListQuery {
  const next: ListQuery = { ...query };
  for (const [k, v] of Object.entries(changes)) {
    const s = Array.isArray(v) ? v.join(',') : v;
    if (s === undefined || s === null || s === '') delete next[k];
    else next[k] = s;
  }
  return next;
}

/** Removes every filter key of `field`. */
export function clearField(query: ListQuery, field: string): ListQuery {
  const next: ListQuery = {};
  for (const [k, v] of Object.entries(query)) if (filterFieldOf(k) !== field) next[k] = v;
  return next;
}

export function splitList(value: string | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

/** Day range → [gte, lt) instants with the browser's offset, for datetime filters. */
export function dayRangeToInstants(from: string, to: string): [string, string] {
  return [dayjs(from).startOf('day').format(), dayjs(to).add(1, 'day').startOf('day').format()];
}

/** The list's query as an export request's filters: the same filters, search and sort, no paging. */
export function exportQuery(query: ListQuery): ListQuery {
  const out: ListQuery = {};
  for (const [k, v] of Object.entries(query)) {
    if (k === 'cursor' || k === 'limit' || k === 'with_total' || v === undefined || v === '') continue;
    out[k] = v;
  }
  return out;
}
