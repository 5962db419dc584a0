import { describe, expect, it } from 'vitest';
import { byDue, formatCountdown, msLeft } from './countdown';

describe('countdown', () => {
  it('counts down mm:ss inside the last hour', () => {
    expect(formatCountdown(179_000, 'zh')).toEqual({ text: '还剩 02:59', overdue: false, urgent: true });
    expect(formatCountdown(59 * 60_000 + 59_000, 'en').text).toBe('59:59 left');
    expect(formatCountdown(0, 'zh').text).toBe('还剩 00:00');
  });
  it('shows hours and minutes further out', () => {
    expect(formatCountdown(3 * 3600_000 + 12 * 60_000 + 30_000, 'zh')).toEqual({ text: '还剩 3 小时 12 分', overdue: false, urgent: false });
    expect(formatCountdown(3600_000, 'en').text).toBe('1 h 0 min left');
    expect(formatCountdown(23 * 3600_000 + 59 * 60_000, 'zh').text).toBe('还剩 23 小时 59 分');
    expect(formatCountdown(47 * 3600_000 + 30 * 60_000, 'zh')).toEqual({ text: '还剩 1 天 23 小时', overdue: false, urgent: false });
    expect(formatCountdown(72 * 3600_000, 'en').text).toBe('3 d 0 h left');
  });
  it('says how late an overdue task is', () => {
    expect(formatCountdown(-5 * 60_000 - 10_000, 'zh')).toEqual({ text: '已超时 5 分钟', overdue: true, urgent: true });
    expect(formatCountdown(-(2 * 3600_000 + 3 * 60_000), 'en').text).toBe('Overdue by 2 h 3 min');
    expect(formatCountdown(NaN, 'zh').text).toBe('—');
    expect(formatCountdown(-(647 * 3600_000), 'zh').text).toBe('已超时 26 天');
    expect(formatCountdown(-(25 * 3600_000), 'en').text).toBe('Overdue by 1 day');
  });
  it('reads RFC 3339 with an offset', () => {
    const now = Date.parse('2026-03-10T10:00:00+08:00');
    expect(msLeft('2026-03-10T10:03:00+08:00', now)).toBe(180_000);
    expect(msLeft('2026-03-10T02:00:00Z', now)).toBe(0);
    expect(byDue([{ due_at: '2026-03-10T11:00:00+08:00' }, { due_at: '2026-03-10T09:00:00+08:00' }])[0].due_at).toBe('2026-03-10T09:00:00+08:00');
  });
});
