// Saved list views (保存视图): a view is a name for the list's URL query string, so applying one is
// navigating to `?<query>` and the view in force is the one whose query equals the URL's. Pure.
//   channel[in]=douyin_form&color[in]=red&sort=-created_at
import type { ListQuery } from '../api/endpoints';
import type { SavedView } from '../api/types';
import { queryFromSearch } from './filters';

/** Keys that are paging, not part of what a view shows. */
const PAGING = new Set(['cursor', 'limit', 'with_total']);

/** encodeURIComponent, but keeping the API's operator brackets and list commas readable. */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/%5B/gi, '[').replace(/%5D/gi, ']').replace(/%2C/gi, ',');
}

/** The list's query as a view's query string (no paging, no empty values, keys in the given order). */
export function viewQueryString(query: ListQuery): string {
  return Object.entries(query)
    .filter(([k, v]) => !PAGING.has(k) && v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(v as string)}`)
    .join('&');
}

/** A view's query string (with or without a leading "?") as the list's query. */
export function parseViewQuery(query: string): ListQuery {
  return queryFromSearch(new URLSearchParams(query.replace(/^\?/, '')));
}

/**
 * A comparable form of a query: paging and empty values dropped, the default sort dropped (the
 * list leaves it out of the URL), the values of `[in]` lists sorted, keys sorted.
 */
export function normalizeQuery(query: ListQuery, defaultSort?: string): string {
  const entries: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (PAGING.has(k) || v === undefined || v === '') continue;
    if (k === 'sort' && v === defaultSort) continue;
    const value = k.endsWith('[in]') ? v.split(',').filter(Boolean).sort().join(',') : v;
    entries.push([k, value]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Whether the view shows exactly the list under `query`. */
export function viewMatches(view: Pick<SavedView, 'query'>, query: ListQuery, defaultSort?: string): boolean {
  return normalizeQuery(parseViewQuery(view.query), defaultSort) === normalizeQuery(query, defaultSort);
}

/** The view in force for `query`: of those matching, mine before shared ones, then the latest saved. */
export function currentView<V extends Pick<SavedView, 'query' | 'mine'> & Partial<Pick<SavedView, 'updated_at'>>>(
  views: V[],
  query: ListQuery,
  defaultSort?: string,
): V | undefined {
  const matching = views.filter((v) => viewMatches(v, query, defaultSort));
  const at = (v: V) => Date.parse(v.updated_at ?? '') || 0;
  return matching.sort((a, b) => Number(b.mine) - Number(a.mine) || at(b) - at(a))[0];
}

/** My views and the others' shared views (my own shared views stay under mine). */
export function splitViews<V extends Pick<SavedView, 'mine'>>(views: V[]): { mine: V[]; shared: V[] } {
  return { mine: views.filter((v) => v.mine), shared: views.filter((v) => !v.mine) };
}

/** The URL search ("?…", or "" for none) that applies a view. */
export function viewSearch(view: Pick<SavedView, 'query'>): string {
  const s = viewQueryString(parseViewQuery(view.query));
  return s ? `?${s}` : '';
}
