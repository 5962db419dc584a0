// 目标公海 of an intake source (its `pool_id`): null means the tenant's default pool. Pure helpers for
// the source's form (a Select cannot hold null, so the default is a sentinel value) and its card.
import type { Pool } from '../api/types';

/** The Select value that stands for pool_id null (the default pool). */
export const DEFAULT_POOL_VALUE = '__default__';

/** pool_id → the form's value. */
export function poolFormValue(poolId: string | null | undefined): string {
  return poolId ? poolId : DEFAULT_POOL_VALUE;
}

/** The form's value → pool_id for POST / PATCH. */
export function poolBodyValue(value: string | null | undefined): string | null {
  return !value || value === DEFAULT_POOL_VALUE ? null : value;
}

/**
 * The choices: 默认公海 first, then every pool by name (a disabled one says so); a `current` id no
 * listed pool has (the pools could not be read) stays choosable under its id's start.
 */
export function poolOptions(
  pools: Pool[] | undefined,
  current: string | null | undefined,
  labels: { defaultPool: string; disabled: (name: string) => string },
): { value: string; label: string }[] {
  const list = pools ?? [];
  const out = [{ value: DEFAULT_POOL_VALUE, label: labels.defaultPool }, ...list.map((p) => ({ value: p.id, label: p.enabled ? p.name : labels.disabled(p.name) }))];
  if (current && !list.some((p) => p.id === current)) out.push({ value: current, label: current.slice(0, 8) });
  return out;
}

/** What the source's card calls its 目标公海: the pool's name, 默认公海 for null, else the id's start. */
export function sourcePoolName(pools: Pool[] | undefined, poolId: string | null | undefined, defaultPool: string): string {
  if (!poolId) return defaultPool;
  return pools?.find((p) => p.id === poolId)?.name ?? poolId.slice(0, 8);
}
