// 快速录入 (L7): the form's values → the POST /api/v1/leads/quick body. Pure functions.
import type { Dayjs } from 'dayjs';
import type { QuickEntry } from '../api/types';

export type WhenChoice = 'none' | '2h' | 'tomorrow' | '3d' | 'custom';
export const WHEN_CHOICES: WhenChoice[] = ['none', '2h', 'tomorrow', '3d', 'custom'];

export interface QuickValues {
  phone?: string;
  wechat?: string;
  salutation?: string;
  core_need?: string;
  next_action?: string;
  when?: WhenChoice;
  when_at?: Dayjs | null;
  company?: string;
  channel?: string;
  first_touch?: string;
}

/** The instant a "when" choice means, relative to `now` (in `now`'s zone). */
export function resolveWhen(choice: WhenChoice | undefined, custom: Dayjs | null | undefined, now: Dayjs): Dayjs | undefined {
  switch (choice) {
    case '2h':
      return now.add(2, 'hour').second(0).millisecond(0);
    case 'tomorrow':
      return now.add(1, 'day').hour(10).minute(0).second(0).millisecond(0);
    case '3d':
      return now.add(3, 'day').hour(10).minute(0).second(0).millisecond(0);
    case 'custom':
      return custom ?? undefined;
    default:
      return undefined;
  }
}

const trimmed = (s: string | undefined) => (typeof s === 'string' && s.trim() ? s.trim() : undefined);

/** The request body: trimmed, empty values left out; a time only goes with a next action. */
export function buildQuickEntry(v: QuickValues, now: Dayjs): QuickEntry {
  const body: QuickEntry = { salutation: trimmed(v.salutation) ?? '' };
  const put = <K extends keyof QuickEntry>(k: K, value: QuickEntry[K] | undefined) => {
    if (value !== undefined) body[k] = value;
  };
  put('phone', trimmed(v.phone));
  put('wechat', trimmed(v.wechat));
  put('core_need', trimmed(v.core_need));
  const action = trimmed(v.next_action);
  put('next_action', action);
  if (action) put('next_action_at', resolveWhen(v.when, v.when_at, now)?.format());
  put('company', trimmed(v.company));
  put('channel', v.channel || undefined);
  put('first_touch', v.first_touch || undefined);
  return body;
}

/** Endings tapped onto a surname to make a 称呼: 张 + 总 → 张总. */
export const SALUTATION_SUFFIXES = ['总', '经理', '老师', '先生', '女士'];

/** Replaces a known ending (or appends): "张先生" + "总" → "张总". */
export function applySalutationSuffix(current: string | undefined, suffix: string): string {
  let base = (current ?? '').trim();
  for (const s of SALUTATION_SUFFIXES) {
    if (base.endsWith(s) && base.length > s.length) {
      base = base.slice(0, -s.length);
      break;
    }
  }
  return base + suffix;
}
