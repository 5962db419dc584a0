// Countdowns of the 今日黄金3分钟 card: time left until a task is due (or how late it is), as a
// live "mm:ss" inside the last hour, hours/minutes before that, days/hours a day or more ahead.
// Also used by the 待办 panel of record pages. Pure functions.
import type { Lang } from '../i18n/I18nProvider';

export interface Countdown {
  /** "还剩 02:59", "还剩 3 小时 12 分", "还剩 2 天 5 小时", "已超时 5 分钟". */
  text: string;
  overdue: boolean;
  /** Inside the last hour (or overdue): shown in red. */
  urgent: boolean;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Milliseconds left until `dueAt` (RFC 3339) at `now`; negative when overdue; NaN if unreadable. */
export function msLeft(dueAt: string, now: number): number {
  return Date.parse(dueAt) - now;
}

export function formatCountdown(ms: number, lang: Lang): Countdown {
  const en = lang === 'en';
  if (!Number.isFinite(ms)) return { text: '—', overdue: false, urgent: false };
  if (ms < 0) {
    const late = Math.floor(-ms / 60000);
    const h = Math.floor(late / 60);
    const m = late % 60;
    const d = Math.floor(h / 24);
    const span =
      d > 0 ? (en ? `${d} day${d === 1 ? '' : 's'}` : `${d} 天`) : h > 0 ? (en ? `${h} h ${m} min` : `${h} 小时 ${m} 分`) : en ? `${m} min` : `${m} 分钟`;
    return { text: en ? `Overdue by ${span}` : `已超时 ${span}`, overdue: true, urgent: true };
  }
  const totalSec = Math.floor(ms / 1000);
  if (totalSec < 3600) {
    const mm = Math.floor(totalSec / 60);
    const ss = totalSec % 60;
    return { text: en ? `${two(mm)}:${two(ss)} left` : `还剩 ${two(mm)}:${two(ss)}`, overdue: false, urgent: true };
  }
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  if (h >= 24) {
    // A day or more: days and hours (minutes no longer matter).
    const d = Math.floor(h / 24);
    const rh = h % 24;
    return { text: en ? `${d} d ${rh} h left` : `还剩 ${d} 天 ${rh} 小时`, overdue: false, urgent: false };
  }
  return { text: en ? `${h} h ${m} min left` : `还剩 ${h} 小时 ${m} 分`, overdue: false, urgent: false };
}

/** Tasks sorted the way the card shows them: overdue and soonest first. */
export function byDue<T extends { due_at: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
}
