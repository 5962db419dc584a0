// Pure helpers of the public pool (公海): the rules in words, the rule form ↔ PATCH body, what a
// refused claim means to the person who tried (quota, cooldown, caps, someone was faster), and
// which pools a lead entered by hand may belong to (归属公海, 关闭手工录入).
import type { Pool, PoolRules } from '../api/types';
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

const MANUAL_ENTRY_OFF = { zh: '已关闭手工录入', en: 'manual entry off' };

/** The rules that are set, each as a short phrase, in a fixed order (关闭手工录入 first). */
export function describeRules(rules: PoolRules | undefined, lang: Lang): string[] {
  if (!rules) return [];
  const out: string[] = [];
  if (rules.manual_entry === false) out.push(MANUAL_ENTRY_OFF[lang]);
  for (const k of RULE_KEYS) {
    const v = rules[k];
    if (typeof v === 'number' && v > 0) out.push(WORDS[k][lang](v));
  }
  return out;
}

/** The rule form's values: the limits, and the 允许手工录入 switch. */
export type RuleValues = Partial<Record<RuleKey, number | string | null | undefined>> & { manual_entry?: boolean | null };

/** A pool's rules → the rule form's initial values (允许手工录入 on unless switched off). */
export function rulesForm(rules: PoolRules | undefined): RuleValues {
  const out: RuleValues = {};
  for (const k of RULE_KEYS) out[k] = rules?.[k] ?? null;
  out.manual_entry = rules?.manual_entry !== false;
  return out;
}

/**
 * Form values (numbers, or null/undefined/'' for "no limit") → the PATCH `rules` object. The
 * 允许手工录入 switch is sent as a boolean: only an explicit false closes manual entry.
 */
export function rulesBody(values: RuleValues): PoolRules {
  const out: PoolRules = {};
  for (const k of RULE_KEYS) {
    const v = values[k];
    const n = typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v)) : v;
    out[k] = typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : null;
  }
  out.manual_entry = values.manual_entry !== false;
  return out;
}

/** Whether people may enter leads by hand into `pool` (the rule absent, null or true). */
export function allowsManualEntry(pool: Pick<Pool, 'rules'>): boolean {
  return pool.rules?.manual_entry !== false;
}

/** One entry of the 归属公海 picker. */
export interface HomePoolOption {
  value: string;
  name: string;
  /** 已关闭手工录入: shown, but cannot be chosen. */
  disabled: boolean;
}

/** What a manual lead form offers as 归属公海, from the tenant's pools. */
export interface HomePoolChoice {
  /** The pools to pick from: the open ones (and the default pool), in the server's order. */
  options: HomePoolOption[];
  /** Show the picker: there is more than one pool to choose from. */
  show: boolean;
  /** The preselected pool: the default one if it allows manual entry, else the first that does. */
  initial?: string;
  /** No pool allows manual entry: the form cannot create a lead (a notice instead). */
  closed: boolean;
}

/**
 * The 归属公海 choice of a lead entered by hand. Pools closed for claims are left out (a lead
 * released there could not be claimed), except the default pool, which is where a lead goes
 * anyway when none is named. `pools` undefined (not loaded, or not readable) offers nothing
 * and closes nothing: the server decides.
 */
export function homePoolChoice(pools: Pool[] | undefined): HomePoolChoice {
  const listed = (pools ?? []).filter((p) => p.enabled || p.is_default);
  const options = listed.map((p) => ({ value: p.id, name: p.name, disabled: !allowsManualEntry(p) }));
  const open = options.filter((o) => !o.disabled);
  const fallback = listed.find((p) => p.is_default && allowsManualEntry(p))?.id ?? open[0]?.value;
  return { options, show: options.length > 1, initial: fallback, closed: listed.length > 0 && open.length === 0 };
}

/** The stable code of a manual create refused because the pool has 关闭手工录入. */
export const MANUAL_ENTRY_DISABLED = 'leads.manual_entry_disabled';

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
