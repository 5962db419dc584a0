// 快速录入 (L7): the form's values → the POST /api/v1/leads/quick body, and the 来源渠道 a new
// entry starts with (the one this user chose last time, kept per browser). Pure functions, plus the
// two that read and write that choice in localStorage.
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
  /** 归属公海, when the form offers a choice; omitted = the default pool. */
  home_pool_id?: string;
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

/**
 * The request body: trimmed, empty values left out. A time without a next action is still sent:
 * the server makes it a 「跟进」 task, so a picked time is never dropped.
 */
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
  put('next_action_at', resolveWhen(v.when, v.when_at, now)?.format());
  put('company', trimmed(v.company));
  put('channel', v.channel || undefined);
  put('first_touch', v.first_touch || undefined);
  put('home_pool_id', v.home_pool_id || undefined);
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

/** The channel a new quick entry starts with: the remembered one while it is still an option, else 手工录入, else none. */
export function defaultChannel(remembered: string | null | undefined, options: { value: string }[]): string | undefined {
  if (remembered && options.some((o) => o.value === remembered)) return remembered;
  return options.some((o) => o.value === 'manual') ? 'manual' : undefined;
}

const channelKey = (userId: string) => `lf.quick.channel.${userId}`;

/** The channel of this user's last quick entry in this browser, or null (also when storage is blocked). */
export function rememberedChannel(userId: string | undefined): string | null {
  if (!userId) return null;
  try {
    return window.localStorage.getItem(channelKey(userId));
  } catch {
    return null;
  }
}

/** Remembers the channel of a saved quick entry for the next one. */
export function rememberChannel(userId: string | undefined, channel: string | undefined): void {
  if (!userId || !channel) return;
  try {
    window.localStorage.setItem(channelKey(userId), channel);
  } catch {
    /* storage blocked: the next entry starts from 手工录入 */
  }
}
