// TanStack Query hooks and the query-key scheme. Keys:
//   ['me'] · ['schema'] · ['users'] · ['departments']
//   ['records', entity, 'list' | 'count' | 'get' | 'history' | 'refs', …]
//   ['duplicate-check', field, value] · ['intake-sources'] · ['lead-cleaning', 'runs'] · ['settings', 'leads']
//   ['pools'] · ['pools', id, 'reclaim-preview'] · ['assignment-rules'] · ['imports', id]
//   ['access', 'roles' | 'rules' | 'sensitive-fields' | 'grants' | 'requests']
//   ['alerts', state] · ['rules'] · ['rules', id] · ['rule-templates'] · ['rule-firings', query] · ['today']
//   ['records', entity, 'summary', query] (live) or ['summary', entity, query] · ['notification-channels'] · ['settings', 'outbound']
//   ['deliveries', query] · ['documents'] · ['records', entity, 'attachments', id] · ['views', entity]
//   ['notifications']
// so invalidating ['records', entity] refreshes everything shown about that entity.
import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { endpoints, type ListQuery } from './endpoints';
import type { Department, EntityDef, RecordData, Schema, User } from './types';

export const keys = {
  me: ['me'] as const,
  schema: ['schema'] as const,
  users: ['users'] as const,
  departments: ['departments'] as const,
  entity: (entity: string) => ['records', entity] as const,
  list: (entity: string, query: ListQuery) => ['records', entity, 'list', query] as const,
  count: (entity: string, query: ListQuery) => ['records', entity, 'count', query] as const,
  get: (entity: string, id: string) => ['records', entity, 'get', id] as const,
  history: (entity: string, id: string) => ['records', entity, 'history', id] as const,
  refs: (entity: string, ids: string[]) => ['records', entity, 'refs', ids] as const,
  duplicates: (field: string, value: string) => ['duplicate-check', field, value] as const,
  intakeSources: ['intake-sources'] as const,
  cleaningRuns: ['lead-cleaning', 'runs'] as const,
  leadSettings: ['settings', 'leads'] as const,
  pools: ['pools'] as const,
  reclaimPreview: (poolId: string) => ['pools', poolId, 'reclaim-preview'] as const,
  assignmentRules: ['assignment-rules'] as const,
  importJob: (id: string) => ['imports', id] as const,
  roles: ['access', 'roles'] as const,
  accessRules: ['access', 'rules'] as const,
  sensitiveFields: ['access', 'sensitive-fields'] as const,
  grants: ['access', 'grants'] as const,
  accessRequests: ['access', 'requests'] as const,
  alerts: (state: string) => ['alerts', state] as const,
  rules: ['rules'] as const,
  rule: (id: string) => ['rules', id] as const,
  ruleTemplates: ['rule-templates'] as const,
  firings: (query: Record<string, string | undefined>) => ['rule-firings', query] as const,
  today: ['today'] as const,
  /** Live: under ['records', entity], so each live event about the entity refreshes it too. */
  summary: (entity: string, query: ListQuery, live = true) => (live ? (['records', entity, 'summary', query] as const) : (['summary', entity, query] as const)),
  channels: ['notification-channels'] as const,
  outbound: ['settings', 'outbound'] as const,
  deliveries: (query: Record<string, string | undefined>) => ['deliveries', query] as const,
  documents: ['documents'] as const,
  /** Under ['records', entity]: a live event about the entity refreshes the attachments too. */
  attachments: (entity: string, id: string) => ['records', entity, 'attachments', id] as const,
  views: (entity: string) => ['views', entity] as const,
  notifications: ['notifications'] as const,
};

export function useSchema() {
  return useQuery({ queryKey: keys.schema, queryFn: endpoints.schema, staleTime: 60_000 });
}

/** The entity's metadata, or undefined while loading / when there is no such entity. */
export function useEntity(name: string | undefined): { entity?: EntityDef; schema?: Schema; isLoading: boolean; error: unknown } {
  const q = useSchema();
  const entity = useMemo(() => q.data?.entities.find((e) => e.name === name), [q.data, name]);
  return { entity, schema: q.data, isLoading: q.isLoading, error: q.error };
}

export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: endpoints.users, staleTime: 5 * 60_000, select: (d) => d.items });
}

/** id → user, for showing names where the API returns user ids. */
export function useUserMap(): Map<string, User> {
  const { data } = useUsers();
  return useMemo(() => new Map((data ?? []).map((u) => [u.id, u])), [data]);
}

export function useDepartments() {
  return useQuery({
    queryKey: keys.departments,
    queryFn: endpoints.departments,
    staleTime: 5 * 60_000,
    select: (d): Department[] => d.items,
  });
}

/** Every role's permissions and entity rights; what the UI hides follows it (access/rights.ts). */
export function useRoles(enabled = true) {
  return useQuery({ queryKey: keys.roles, queryFn: endpoints.roles, enabled, staleTime: 5 * 60_000, select: (d) => d.items });
}

/** The public pools (公海) with their rules and lead counts; `enabled` false fetches nothing. */
export function usePools(enabled = true) {
  return useQuery({ queryKey: keys.pools, queryFn: endpoints.pools, enabled, staleTime: 30_000, select: (d) => d.items });
}

export const PAGE_SIZE = 50;

/** Cursor-paginated list; pages are appended by fetchNextPage(). The first page carries `total`. */
export function useRecordList(entity: string, query: ListQuery, enabled = true) {
  return useInfiniteQuery({
    queryKey: keys.list(entity, query),
    enabled,
    initialPageParam: '' as string,
    queryFn: ({ pageParam, signal }) =>
      endpoints.list(
        entity,
        { ...query, limit: String(PAGE_SIZE), cursor: pageParam || undefined, with_total: pageParam ? undefined : 'true' },
        signal,
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useRecord(entity: string, id: string | undefined) {
  return useQuery({
    queryKey: keys.get(entity, id ?? ''),
    queryFn: () => endpoints.get(entity, id as string),
    enabled: !!id,
  });
}

export function useHistory(entity: string, id: string) {
  return useQuery({ queryKey: keys.history(entity, id), queryFn: () => endpoints.history(entity, id), select: (d) => d.items });
}

/**
 * The query that loads the records `ids` of `entity` in one request (id[in]=…) as id → record;
 * `ids` must be distinct and sorted (the key). For useQuery / useQueries.
 */
export function refsQuery(entity: string | undefined, ids: string[]) {
  return {
    queryKey: keys.refs(entity ?? '', ids),
    enabled: !!entity && ids.length > 0,
    staleTime: 60_000,
    queryFn: async () => {
      const page = await endpoints.list(entity as string, { 'id[in]': ids.join(','), limit: '200', include_archived: 'true' });
      return new Map<string, RecordData>(page.items.map((r) => [r.id, r]));
    },
  };
}

/** Loads the records `ids` of `entity` in one request (id[in]=…), for showing reference names. */
export function useRecordsByIds(entity: string | undefined, ids: string[]) {
  const sorted = useMemo(() => Array.from(new Set(ids.filter(Boolean))).sort().slice(0, 200), [ids]);
  return useQuery(refsQuery(entity, sorted));
}

/** Refreshes what is shown about `entity` after a change made here or reported live. */
export function invalidateEntity(qc: QueryClient, entity: string): Promise<void> {
  return qc.invalidateQueries({ queryKey: keys.entity(entity) });
}

/**
 * GET /{entity}/summary under `query` (filters, group_by, avg). `live`: refreshed by every live
 * event about the entity (the workbench); otherwise by time only (the dashboard's aggregates over
 * whole months are not worth recounting on every change).
 */
export function useSummary(entity: string, query: ListQuery, opts: { live?: boolean; enabled?: boolean } = {}) {
  const live = opts.live ?? true;
  return useQuery({
    queryKey: keys.summary(entity, query, live),
    enabled: opts.enabled ?? true,
    staleTime: live ? 15_000 : 60_000,
    queryFn: ({ signal }) => endpoints.summary(entity, query, signal),
  });
}

export function useChannels(enabled = true) {
  return useQuery({ queryKey: keys.channels, queryFn: endpoints.channels, enabled, staleTime: 30_000, select: (d) => d.items });
}

export function useDocuments(enabled = true) {
  return useQuery({ queryKey: keys.documents, queryFn: endpoints.documents, enabled, staleTime: 30_000, select: (d) => d.items });
}

/** The files attached to a record, newest as the server orders them. */
export function useAttachments(entity: string, id: string) {
  return useQuery({ queryKey: keys.attachments(entity, id), queryFn: () => endpoints.attachments(entity, id), select: (d) => d.items });
}

/** The saved views of `entity`'s list: mine and the shared ones. */
export function useViews(entity: string, enabled = true) {
  return useQuery({ queryKey: keys.views(entity), queryFn: () => endpoints.views(entity), enabled, staleTime: 30_000, select: (d) => d.items });
}
