// 线索清洗 wording: the cutoff is midnight N calendar days ago in the company's zone, as the
// server computed it; it is shown as that wall-clock time plus the zone name, never re-counted
// in hours or in the browser's zone (the UTC/UTC+8 incident in the seeds). Pure functions.
import type { EntityDef } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';

/** 「2026-01-23 00:00(Asia/Shanghai)」 from "2026-01-23T00:00:00+08:00" and the zone. */
export function cutoffLabel(cutoff: string, timeZone: string | undefined, lang: Lang): string {
  const at = formatDateTime(cutoff);
  if (!timeZone) return at;
  return lang === 'en' ? `${at} (${timeZone})` : `${at}(${timeZone})`;
}

/**
 * The sentence under a preview or a run:
 *   preview: 「将归档 2026-01-23 00:00(Asia/Shanghai)之前创建的线索」
 *   run:     「已归档 2026-01-23 00:00(Asia/Shanghai)之前创建的线索」
 */
export function cutoffSentence(cutoff: string, timeZone: string | undefined, lang: Lang, done = false): string {
  const at = cutoffLabel(cutoff, timeZone, lang);
  if (lang === 'en') return `${done ? 'Archived' : 'Will archive'} leads created before ${at}`;
  return `${done ? '已归档' : '将归档'} ${at}之前创建的线索`;
}

/** 「超过 30 个自然日:按公司时区的日历日计算,不按小时」. */
export function daysSentence(days: number, timeZone: string | undefined, lang: Lang): string {
  if (lang === 'en') return `Older than ${days} calendar day${days === 1 ? '' : 's'}, counted in whole days in the company's time zone${timeZone ? ` (${timeZone})` : ''}, not in hours`;
  return `超过 ${days} 个自然日:按公司时区${timeZone ? `(${timeZone})` : ''}的日历日计算,不按小时`;
}

/** The filters of a request in words, e.g. 「来源渠道:知乎、百度推广 · 意向分级:红色高意向」. */
export function describeFilters(
  filters: Record<string, string> | undefined,
  entity: EntityDef | undefined,
  lang: Lang,
  userName: (id: string) => string | undefined = () => undefined,
): string {
  if (!filters) return '';
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(filters)) {
    const name = key.includes('[') ? key.slice(0, key.indexOf('[')) : key;
    const field = entity?.fields.find((f) => f.name === name);
    const values = String(raw)
      .split(',')
      .filter(Boolean)
      .map((v) => {
        if (field?.type === 'user') return userName(v) ?? v;
        const o = field?.options?.find((opt) => opt.value === v);
        return o ? pickLabel(lang, o, v) : v;
      });
    const sep = lang === 'en' ? ', ' : '、';
    parts.push(`${field ? pickLabel(lang, field, name) : name}${lang === 'en' ? ': ' : ':'}${values.join(sep)}`);
  }
  return parts.join(' · ');
}
