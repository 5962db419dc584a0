import { describe, expect, it } from 'vitest';
import type { Pool } from '../api/types';
import { allowsManualEntry, blocksAllClaims, claimRefusal, describeRules, homePoolChoice, rulesBody, rulesForm } from './poolRules';

describe('pool rules in words', () => {
  it('lists the rules that are set, in a fixed order', () => {
    const rules = { reclaim_days_without_followup: 15, daily_claim_quota: 10, cooldown_days: 3, hold_cap_person: 300, warn_days_ahead: 3, hold_cap_department: null };
    expect(describeRules(rules, 'zh')).toEqual(['每人每天最多领取 10 条', '放弃后 3 天内原负责人不能再领', '每人最多持有 300 条未成交线索', '15 个自然日未跟进自动收回', '提前 3 天预警']);
    expect(describeRules({ daily_claim_quota: 5 }, 'en')).toEqual(['at most 5 claims per person per day']);
    expect(describeRules({}, 'zh')).toEqual([]);
    expect(describeRules(undefined, 'zh')).toEqual([]);
  });
  it('names 关闭手工录入 first, and only when the rule is false', () => {
    expect(describeRules({ manual_entry: false, daily_claim_quota: 5 }, 'zh')).toEqual(['已关闭手工录入', '每人每天最多领取 5 条']);
    expect(describeRules({ manual_entry: false }, 'en')).toEqual(['manual entry off']);
    expect(describeRules({ manual_entry: true }, 'zh')).toEqual([]);
    expect(describeRules({ manual_entry: null }, 'zh')).toEqual([]);
  });
});

describe('rulesBody', () => {
  it('sends every rule; empty, zero or junk means no limit (null)', () => {
    expect(rulesBody({ daily_claim_quota: 10, cooldown_days: '', hold_cap_person: 0, warn_days_ahead: '3', reclaim_days_without_followup: 7.9 })).toEqual({
      daily_claim_quota: 10,
      cooldown_days: null,
      hold_cap_person: null,
      hold_cap_department: null,
      reclaim_days_without_followup: 7,
      reclaim_days_without_opportunity: null,
      warn_days_ahead: 3,
      manual_entry: true,
    });
  });
  it('sends 允许手工录入 as a boolean: only a switch turned off closes manual entry', () => {
    expect(rulesBody({ manual_entry: false }).manual_entry).toBe(false);
    expect(rulesBody({ manual_entry: true }).manual_entry).toBe(true);
    expect(rulesBody({ manual_entry: null }).manual_entry).toBe(true);
  });
});

describe('rulesForm', () => {
  it('fills every limit (null = no limit) and turns 允许手工录入 on unless the rule is false', () => {
    expect(rulesForm({ daily_claim_quota: 10 })).toEqual({
      daily_claim_quota: 10,
      cooldown_days: null,
      hold_cap_person: null,
      hold_cap_department: null,
      reclaim_days_without_followup: null,
      reclaim_days_without_opportunity: null,
      warn_days_ahead: null,
      manual_entry: true,
    });
    expect(rulesForm({ manual_entry: false }).manual_entry).toBe(false);
    expect(rulesForm({ manual_entry: null }).manual_entry).toBe(true);
    expect(rulesForm(undefined).manual_entry).toBe(true);
  });
  it('round-trips through rulesBody', () => {
    const rules = { daily_claim_quota: 10, cooldown_days: null, hold_cap_person: null, hold_cap_department: 50, reclaim_days_without_followup: null, reclaim_days_without_opportunity: 30, warn_days_ahead: null, manual_entry: false };
    expect(rulesBody(rulesForm(rules))).toEqual(rules);
  });
});

describe('归属公海 of a lead entered by hand', () => {
  const pool = (id: string, extra: Partial<Pool> = {}): Pool => ({ id, name: `公海${id}`, is_default: false, enabled: true, rules: {}, ...extra });
  const closed = { rules: { manual_entry: false } };

  it('allows manual entry unless the rule is false', () => {
    expect(allowsManualEntry(pool('a'))).toBe(true);
    expect(allowsManualEntry(pool('a', { rules: { manual_entry: true } }))).toBe(true);
    expect(allowsManualEntry(pool('a', { rules: { manual_entry: null } }))).toBe(true);
    expect(allowsManualEntry(pool('a', closed))).toBe(false);
  });

  it('one pool: no picker, nothing to choose', () => {
    expect(homePoolChoice([pool('a', { is_default: true })])).toEqual({ options: [{ value: 'a', name: '公海a', disabled: false }], show: false, initial: 'a', closed: false });
  });

  it('several pools: the picker preselects the default pool and shows closed pools disabled', () => {
    const c = homePoolChoice([pool('a', closed), pool('b', { is_default: true }), pool('c')]);
    expect(c.show).toBe(true);
    expect(c.initial).toBe('b');
    expect(c.closed).toBe(false);
    expect(c.options).toEqual([
      { value: 'a', name: '公海a', disabled: true },
      { value: 'b', name: '公海b', disabled: false },
      { value: 'c', name: '公海c', disabled: false },
    ]);
  });

  it('the default pool closed: the first pool that allows manual entry is preselected', () => {
    const c = homePoolChoice([pool('a', { is_default: true, ...closed }), pool('b', closed), pool('c'), pool('d')]);
    expect(c.initial).toBe('c');
    expect(c.closed).toBe(false);
  });

  it('no pool allows manual entry: closed, nothing preselected', () => {
    for (const pools of [[pool('a', { is_default: true, ...closed }), pool('b', closed)], [pool('a', { is_default: true, ...closed })]]) {
      const c = homePoolChoice(pools);
      expect(c.closed).toBe(true);
      expect(c.initial).toBeUndefined();
    }
  });

  it('pools closed for claims are not offered, except the default pool', () => {
    const c = homePoolChoice([pool('a', { is_default: true, enabled: false }), pool('b', { enabled: false }), pool('c')]);
    expect(c.options.map((o) => o.value)).toEqual(['a', 'c']);
    expect(homePoolChoice([pool('a', { is_default: true }), pool('b', { enabled: false })]).show).toBe(false);
  });

  it('pools not loaded (or not readable): no picker, not closed — the server decides', () => {
    expect(homePoolChoice(undefined)).toEqual({ options: [], show: false, initial: undefined, closed: false });
    expect(homePoolChoice([])).toEqual({ options: [], show: false, initial: undefined, closed: false });
  });
});

describe('refused claims', () => {
  it('maps the stable codes', () => {
    expect(claimRefusal('pool.cooldown')).toBe('cooldown');
    expect(claimRefusal('pool.quota_reached')).toBe('quota');
    expect(claimRefusal('pool.hold_cap')).toBe('hold_cap');
    expect(claimRefusal('pool.department_cap')).toBe('department_cap');
    expect(claimRefusal('pool.not_in_pool')).toBe('taken');
    expect(claimRefusal('pool.disabled')).toBe('closed');
    expect(claimRefusal('access.forbidden')).toBe('other');
  });
  it('stops further claims only for limits, not for one lead’s cooldown or a lost race', () => {
    expect(blocksAllClaims('quota')).toBe(true);
    expect(blocksAllClaims('hold_cap')).toBe(true);
    expect(blocksAllClaims('cooldown')).toBe(false);
    expect(blocksAllClaims('taken')).toBe(false);
  });
});
