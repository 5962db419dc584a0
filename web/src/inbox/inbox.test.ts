import { describe, expect, it } from 'vitest';
import { isUnread, newestSeq, nextSeen, notificationLink, parseSeen, seenStorageKey, unreadCount } from './inbox';

const items = [{ seq: 42 }, { seq: 40 }, { seq: 17 }];

describe('notifications inbox', () => {
  it('counts what is newer than the last one opened; everything when never opened', () => {
    expect(unreadCount(items, null)).toBe(3);
    expect(unreadCount(items, 40)).toBe(1);
    expect(unreadCount(items, 42)).toBe(0);
    expect(unreadCount(items, 99)).toBe(0);
    expect(unreadCount(undefined, 1)).toBe(0);
    expect(isUnread({ seq: 41 }, 40)).toBe(true);
    expect(isUnread({ seq: 40 }, 40)).toBe(false);
  });

  it('remembers the newest seen, never going back', () => {
    expect(newestSeq(items)).toBe(42);
    expect(newestSeq([])).toBeNull();
    expect(nextSeen(items, null)).toBe(42);
    expect(nextSeen(items, 30)).toBe(42);
    expect(nextSeen(items, 50)).toBe(50);
    expect(nextSeen([], 7)).toBe(7);
    expect(nextSeen(undefined, null)).toBeNull();
  });

  it('keeps the seen seq per user and reads back only sane values', () => {
    expect(seenStorageKey('U1')).toBe('lf.inbox.seen.U1');
    expect(seenStorageKey('U1')).not.toBe(seenStorageKey('U2'));
    expect(parseSeen('42')).toBe(42);
    expect(parseSeen('0')).toBe(0);
    expect(parseSeen(null)).toBeNull();
    expect(parseSeen('')).toBeNull();
    expect(parseSeen('abc')).toBeNull();
    expect(parseSeen('-3')).toBeNull();
    expect(parseSeen('1.5')).toBeNull();
  });

  it('links to the record a notification is about', () => {
    expect(notificationLink({ entity: 'leads', record_id: 'L 1' })).toBe('/leads/L%201');
    expect(notificationLink({ entity: 'leads' })).toBeNull();
    expect(notificationLink({})).toBeNull();
    expect(notificationLink({ entity: 'users', record_id: 'U1' })).toBeNull();
  });
});
