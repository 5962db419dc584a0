// Batch loading of the records that reference fields point at, so a list page shows names with
// one request per referenced entity (id[in]=…) instead of one per cell.
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { recordTitle } from './schema';

/** entity name → (id → record) for every reference field among `fields` over `rows`. */
export type RefMaps = Map<string, Map<string, RecordData>>;

export function useReferenceMaps(fields: FieldDef[], rows: RecordData[]): RefMaps {
  const wanted = useMemo(() => {
    const byEntity = new Map<string, Set<string>>();
    for (const f of fields) {
      if (f.type !== 'reference' || !f.ref_entity) continue;
      const ids = byEntity.get(f.ref_entity) ?? new Set<string>();
      for (const r of rows) {
        const v = r[f.name];
        if (typeof v === 'string' && v) ids.add(v);
      }
      if (ids.size) byEntity.set(f.ref_entity, ids);
    }
    return Array.from(byEntity, ([entity, ids]) => ({ entity, ids: Array.from(ids).sort().slice(0, 200) }));
  }, [fields, rows]);

  const results = useQueries({
    queries: wanted.map(({ entity, ids }) => ({
      queryKey: keys.refs(entity, ids),
      staleTime: 60_000,
      queryFn: async () => {
        const page = await endpoints.list(entity, { 'id[in]': ids.join(','), limit: '200', include_archived: 'true' });
        return new Map<string, RecordData>(page.items.map((r) => [r.id, r]));
      },
    })),
  });

  const out: RefMaps = new Map();
  wanted.forEach(({ entity }, i) => {
    const data = results[i]?.data;
    if (data) out.set(entity, data);
  });
  return out;
}

/** The records that items (alerts, rule firings) name, per entity: ids sorted and unique, at most 200 each. */
export function recordsByEntity(items: { entity?: string | null; record_id?: string | null }[]): { entity: string; ids: string[] }[] {
  const byEntity = new Map<string, Set<string>>();
  for (const it of items) {
    if (!it.entity || !it.record_id) continue;
    const ids = byEntity.get(it.entity) ?? new Set<string>();
    ids.add(it.record_id);
    byEntity.set(it.entity, ids);
  }
  return Array.from(byEntity, ([entity, ids]) => ({ entity, ids: Array.from(ids).sort().slice(0, 200) }));
}

/**
 * (entity, id) → the record's title for the records `items` name, with one id[in] request per
 * entity; '' while loading or for a record the reader cannot see (show a short id then).
 */
export function useRecordTitles(items: { entity?: string | null; record_id?: string | null }[], entities: EntityDef[]): (entity: string, id: string) => string {
  const wanted = useMemo(() => recordsByEntity(items), [items]);
  const results = useQueries({
    queries: wanted.map(({ entity, ids }) => ({
      queryKey: keys.refs(entity, ids),
      staleTime: 60_000,
      queryFn: async () => {
        const page = await endpoints.list(entity, { 'id[in]': ids.join(','), limit: '200', include_archived: 'true' });
        return new Map<string, RecordData>(page.items.map((r) => [r.id, r]));
      },
    })),
  });
  return (entity, id) => {
    const record = results[wanted.findIndex((w) => w.entity === entity)]?.data?.get(id);
    return record ? recordTitle(entities.find((e) => e.name === entity), record) : '';
  };
}
