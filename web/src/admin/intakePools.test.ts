import { describe, expect, it } from 'vitest';
import type { Pool } from '../api/types';
import { DEFAULT_POOL_VALUE, poolBodyValue, poolFormValue, poolOptions, sourcePoolName } from './intakePools';

const pool = (id: string, name: string, extra: Partial<Pool> = {}): Pool => ({ id, name, is_default: false, enabled: true, rules: {}, ...extra });
const pools = [pool('P0', '公海', { is_default: true }), pool('P1', '抖音公海'), pool('P2', '旧展会池', { enabled: false })];
const labels = { defaultPool: '默认公海', disabled: (name: string) => `${name}(已停用)` };

describe('目标公海 of an intake source', () => {
  it('maps null to the default choice and back', () => {
    expect(poolFormValue(null)).toBe(DEFAULT_POOL_VALUE);
    expect(poolFormValue(undefined)).toBe(DEFAULT_POOL_VALUE);
    expect(poolFormValue('P1')).toBe('P1');
    expect(poolBodyValue(DEFAULT_POOL_VALUE)).toBeNull();
    expect(poolBodyValue(undefined)).toBeNull();
    expect(poolBodyValue('P1')).toBe('P1');
  });

  it('offers 默认公海 first, then the pools by name (a disabled one says so)', () => {
    expect(poolOptions(pools, null, labels)).toEqual([
      { value: DEFAULT_POOL_VALUE, label: '默认公海' },
      { value: 'P0', label: '公海' },
      { value: 'P1', label: '抖音公海' },
      { value: 'P2', label: '旧展会池(已停用)' },
    ]);
  });

  it('keeps an unknown current pool choosable', () => {
    expect(poolOptions(undefined, 'P9abcdefgh', labels)).toEqual([
      { value: DEFAULT_POOL_VALUE, label: '默认公海' },
      { value: 'P9abcdefgh', label: 'P9abcdef' },
    ]);
  });

  it('names the pool on the card', () => {
    expect(sourcePoolName(pools, null, '默认公海')).toBe('默认公海');
    expect(sourcePoolName(pools, 'P1', '默认公海')).toBe('抖音公海');
    expect(sourcePoolName(undefined, 'P1abcdefgh', '默认公海')).toBe('P1abcdef');
  });
});
