// 查重 wording: what the duplicate check's matches mean for the person typing, without naming
// or linking the matching record (the API only says who owns it). Pure functions.
import type { DuplicateCheck, DuplicateMatch } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { isCheckablePhone } from './phone';

const FIELD: Record<string, { zh: string; en: string }> = {
  phone: { zh: '该手机号', en: 'This phone number' },
  wechat: { zh: '该微信号', en: 'This WeChat ID' },
  company: { zh: '该公司', en: 'This company' },
};
const ENTITY: Record<string, { zh: string; en: string }> = {
  leads: { zh: '线索', en: 'lead' },
  customers: { zh: '客户', en: 'customer' },
  contacts: { zh: '联系人', en: 'contact' },
};

/** One sentence for one match, e.g. 「该手机号已是 张伟 的线索」 / 「该手机号已在公海」. */
export function duplicateMessage(m: DuplicateMatch, lang: Lang): string {
  const f = FIELD[m.field] ?? { zh: `该${m.field}`, en: `This ${m.field}` };
  const e = ENTITY[m.entity] ?? { zh: m.entity, en: m.entity };
  let text: string;
  if (lang === 'en') {
    if (m.in_pool) text = `${f.en} is already in the public pool (${e.en})`;
    else if (m.mine) text = `${f.en} is already your ${e.en}`;
    else if (m.owner) text = `${f.en} is already ${m.owner.name}'s ${e.en}`;
    else text = `${f.en} already belongs to a ${e.en} without an owner`;
    return m.archived ? `${text} (archived)` : text;
  }
  if (m.in_pool) text = `${f.zh}已在公海(${e.zh})`;
  else if (m.mine) text = `${f.zh}已是你的${e.zh}`;
  else if (m.owner) text = `${f.zh}已是 ${m.owner.name} 的${e.zh}`;
  else text = `${f.zh}已有${e.zh}(暂无负责人)`;
  return m.archived ? `${text}(已归档)` : text;
}

/** The distinct sentences for a check, active records before archived ones. */
export function duplicateMessages(check: DuplicateCheck | undefined, lang: Lang): string[] {
  if (!check?.duplicate) return [];
  const ordered = [...check.matches].sort((a, b) => Number(!!a.archived) - Number(!!b.archived));
  return Array.from(new Set(ordered.map((m) => duplicateMessage(m, lang))));
}

/** Only archived matches: worth a note, not a warning. */
export function onlyArchived(check: DuplicateCheck | undefined): boolean {
  return !!check?.duplicate && check.matches.length > 0 && check.matches.every((m) => m.archived);
}

export type CheckField = 'phone' | 'wechat' | 'company';

/** The value to send for a field while typing, or null when it is not worth checking yet. */
export function checkValue(field: CheckField, typed: unknown): string | null {
  if (typeof typed !== 'string') return null;
  const v = typed.trim();
  if (field === 'phone') return isCheckablePhone(v) ? v : null;
  if (field === 'wechat') return v.length >= 3 ? v : null;
  return v.length >= 2 ? v : null;
}
