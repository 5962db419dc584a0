import { describe, expect, it } from 'vitest';
import { blocksAllClaims, claimRefusal, describeRules, rulesBody } from './poolRules';

describe('pool rules in words', () => {
  it('lists the rules that are set, in a fixed order', () => {
    const rules = { reclaim_days_without_followup: 15, daily_claim_quota: 10, cooldown_days: 3, hold_cap_person: 300, warn_days_ahead: 3, hold_cap_department: null };
    expect(describeRules(rules, 'zh')).toEqual(['每人每天最多领取 10 条', '放弃后 3 天内原负责人不能再领', '每人最多持有 300 条未成交线索', '15 个自然日未跟进自动收回', '提前 3 天预警']);
    expect(describeRules({ daily_claim_quota: 5 }, 'en')).toEqual(['at most 5 claims per person per day']);
    expect(describeRules({}, 'zh')).toEqual([]);
    expect(describeRules(undefined, 'zh')).toEqual([]);
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
    });
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
