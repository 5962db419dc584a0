// Pure helpers of the notifications inbox (GET /api/v1/me/notifications): which are unread — newer
// than the last one the user opened, a seq kept per user in this browser's localStorage — and
// where a notification leads.
import type { InboxNotification } from '../api/types';

/** How many notifications the bell fetches (the API allows 1–200). */
export const INBOX_LIMIT = 50;

/** The localStorage key of the last seen seq of `userId`. */
export function seenStorageKey(userId: string): string {
  return `lf.inbox.seen.${userId}`;
}

/** The stored last seen seq, or null when none (never opened) or unreadable. */
export function parseSeen(stored: string | null | undefined): number | null {
  if (stored === null || stored === undefined || stored.trim() === '') return null;
  const n = Number(stored);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The newest notification's seq, or null for none. Items may come in any order. */
export function newestSeq(items: Pick<InboxNotification, 'seq'>[] | undefined): number | null {
  let best: number | null = null;
  for (const n of items ?? []) if (best === null || n.seq > best) best = n.seq;
  return best;
}

/** Notifications newer than `lastSeen` (all of them when the inbox was never opened). */
export function isUnread(n: Pick<InboxNotification, 'seq'>, lastSeen: number | null): boolean {
  return lastSeen === null || n.seq > lastSeen;
}

export function unreadCount(items: Pick<InboxNotification, 'seq'>[] | undefined, lastSeen: number | null): number {
  return (items ?? []).filter((n) => isUnread(n, lastSeen)).length;
}

/**
 * The seq to remember once the user opened the inbox: the newest shown, never lower than what
 * was already seen (a list that failed to load does not bring old notifications back).
 */
export function nextSeen(items: Pick<InboxNotification, 'seq'>[] | undefined, lastSeen: number | null): number | null {
  const newest = newestSeq(items);
  if (newest === null) return lastSeen;
  return lastSeen === null ? newest : Math.max(newest, lastSeen);
}

/** The record a notification is about, as an app path (`/leads/<id>`), or null. */
export function notificationLink(n: Pick<InboxNotification, 'entity' | 'record_id'>): string | null {
  if (!n.entity || !n.record_id || n.entity === 'users') return null;
  return `/${encodeURIComponent(n.entity)}/${encodeURIComponent(n.record_id)}`;
}
