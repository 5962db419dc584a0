// The `reason` of a lead event in words. Assignment events carry an object ({kind: rule | manual |
// claim, …}), reclaims the rule's day counts, releases and archives a plain text.
import type { Lang } from '../i18n/I18nProvider';
import { strategyLabel } from '../admin/assignmentRules';

type Lookup = (id: string) => string | undefined;

export function reasonText(reason: unknown, lang: Lang, userName: Lookup = () => undefined, poolName: Lookup = () => undefined): string {
  if (reason === null || reason === undefined || reason === '') return '';
  if (typeof reason === 'string') return reason;
  if (typeof reason !== 'object' || Array.isArray(reason)) return String(reason);
  const r = reason as Record<string, unknown>;
  const en = lang === 'en';
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (r.kind) {
    case 'rule': {
      const name = str(r.rule_name) || str(r.rule_id).slice(0, 8);
      const how = r.strategy ? strategyLabel(str(r.strategy), lang) : '';
      return en ? `Assignment rule “${name}”${how ? ` (${how})` : ''}` : `分配规则「${name}」${how ? `(${how})` : ''}`;
    }
    case 'manual': {
      const by = userName(str(r.by)) ?? '';
      const note = str(r.note);
      const head = en ? `Assigned by hand${by ? ` by ${by}` : ''}` : `${by ? `${by} ` : ''}手动分配`;
      return note ? `${head}${en ? ': ' : ':'}${note}` : head;
    }
    case 'claim': {
      const pool = poolName(str(r.pool_id));
      return en ? `Claimed from ${pool ? `“${pool}”` : 'the public pool'}` : `从${pool ? `「${pool}」` : '公海'}领取`;
    }
    default:
      break;
  }
  const parts: string[] = [];
  if (typeof r.reclaim_days_without_followup === 'number')
    parts.push(en ? `${r.reclaim_days_without_followup} calendar days without follow-up` : `${r.reclaim_days_without_followup} 个自然日未跟进`);
  if (typeof r.reclaim_days_without_opportunity === 'number')
    parts.push(en ? `${r.reclaim_days_without_opportunity} calendar days without an opportunity` : `${r.reclaim_days_without_opportunity} 个自然日未转商机`);
  if (parts.length) return (en ? 'Reclaimed: ' : '自动回收:') + parts.join(en ? ' or ' : '或');
  return JSON.stringify(reason);
}
