// Pure helpers of the public pool (公海): the rules in words, the rule form ↔ PATCH body, and what
// a refused claim means to the person who tried (quota, cooldown, caps, someone was faster).
import type { PoolRules } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';

export const RULE_KEYS = [
  'daily_claim_quota',
  'cooldown_days',
  'hold_cap_person',
  'hold_cap_department',
  'reclaim_days_without_followup',
  'reclaim_days_without_opportunity',
  'warn_days_ahead',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

const WORDS: Record<RuleKey, { zh: (n: number) => string; en: (n: number) => string }> = {
  daily_claim_quota: { zh: (n) => `每人每天最多领取 ${n} 条`, en: (n) => `at most ${n} claims per person per day` },
  cooldown_days: { zh: (n) => `放弃后 ${n} 天内原负责人不能再领`, en: (n) => `the previous owner waits ${n} days to reclaim` },
  hold_cap_person: { zh: (n) => `每人最多持有 ${n} 条未成交线索`, en: (n) => `at most ${n} open leads per person` },
  hold_cap_department: { zh: (n) => `每个部门最多持有 ${n} 条`, en: (n) => `at most ${n} open leads per department` },
  reclaim_days_without_followup: { zh: (n) => `${n} 个自然日未跟进自动收回`, en: (n) => `reclaimed after ${n} calendar days without follow-up` },
  reclaim_days_without_opportunity: { zh: (n) => `${n} 个自然日未转商机自动收回`, en: (n) => `reclaimed after ${n} calendar days without an opportunity` },
  warn_days_ahead: { zh: (n) => `提前 ${n} 天预警`, en: (n) => `warned ${n} days ahead` },
};

/** The rules that are set, each as a short phrase, in a fixed order. */
export function describeRules(rules: PoolRules | undefined, lang: Lang): string[] {
  if (!rules) return [];
  const out: string[] = [];
  for (const k of RULE_KEYS) {
    const v = rules[k];
    if (typeof v === 'number' && v > 0) out.push(WORDS[k][lang](v));
  }
  return out;
}

/** Form values (numbers, or null/undefined/'' for "no limit") → the PATCH `rules` object. */
export function rulesBody(values: Partial<Record<RuleKey, number | string | null | undefined>>): PoolRules {
  const out: PoolRules = {};
  for (const k of RULE_KEYS) {
    const v = values[k];
    const n = typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v)) : v;
    out[k] = typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : null;
  }
  return out;
}

export type ClaimRefusal = 'cooldown' | 'quota' | 'hold_cap' | 'department_cap' | 'taken' | 'closed' | 'other';

/** The kind of a refused claim, from the problem's stable code. */
export function claimRefusal(code: string | undefined): ClaimRefusal {
  switch (code) {
    case 'pool.cooldown':
      return 'cooldown';
    case 'pool.quota_reached':
      return 'quota';
    case 'pool.hold_cap':
      return 'hold_cap';
    case 'pool.department_cap':
      return 'department_cap';
    case 'pool.not_in_pool':
      return 'taken';
    case 'pool.disabled':
      return 'closed';
    default:
      return 'other';
  }
}

/**
 * A limit refusal (quota, caps) stops every further claim today, so the list disables its claim
 * buttons; a cooldown or a lost race concerns only that lead.
 */
export function blocksAllClaims(kind: ClaimRefusal): boolean {
  return kind === 'quota' || kind === 'hold_cap' || kind === 'department_cap' || kind === 'closed';
}
