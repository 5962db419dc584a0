import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { applySalutationSuffix, buildQuickEntry, resolveWhen } from './quickEntry';

// Local wall-clock times: "tomorrow 10:00" is in the browser's zone, whatever the test machine's is.
const now = dayjs('2026-11-24 15:20');

describe('buildQuickEntry', () => {
  it('sends trimmed values and leaves empty ones out', () => {
    expect(buildQuickEntry({ phone: ' 138 0013 8000 ', salutation: ' 张总 ', core_need: ' ', company: '', channel: 'douyin_form' }, now)).toEqual({
      phone: '138 0013 8000',
      salutation: '张总',
      channel: 'douyin_form',
    });
  });
  it('sends the next action with its time as RFC 3339 with offset', () => {
    const body = buildQuickEntry({ wechat: 'zw', salutation: '张总', next_action: '发方案', when: 'tomorrow' }, now);
    expect(body.next_action).toBe('发方案');
    expect(dayjs(body.next_action_at).valueOf()).toBe(dayjs('2026-11-25 10:00').valueOf());
    expect(body.next_action_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });
  it('sends no time without a next action, none for "no time"', () => {
    expect(buildQuickEntry({ phone: '1', salutation: 'x', when: 'tomorrow' }, now).next_action_at).toBeUndefined();
    expect(buildQuickEntry({ phone: '1', salutation: 'x', next_action: 'call', when: 'none' }, now).next_action_at).toBeUndefined();
  });
});

describe('resolveWhen', () => {
  it('turns the quick choices into instants', () => {
    expect(resolveWhen('2h', null, now)?.valueOf()).toBe(now.add(2, 'hour').valueOf());
    expect(resolveWhen('3d', null, now)?.valueOf()).toBe(dayjs('2026-11-27 10:00').valueOf());
    const custom = dayjs('2026-12-01 09:30');
    expect(resolveWhen('custom', custom, now)).toBe(custom);
    expect(resolveWhen('none', custom, now)).toBeUndefined();
  });
});

describe('applySalutationSuffix', () => {
  it('appends or replaces the ending', () => {
    expect(applySalutationSuffix('张', '总')).toBe('张总');
    expect(applySalutationSuffix('张先生', '总')).toBe('张总');
    expect(applySalutationSuffix('王经理', '女士')).toBe('王女士');
    expect(applySalutationSuffix('', '总')).toBe('总');
  });
});
