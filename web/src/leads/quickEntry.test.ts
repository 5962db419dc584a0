import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { applySalutationSuffix, buildQuickEntry, defaultChannel, rememberChannel, rememberedChannel, resolveWhen } from './quickEntry';

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
  it('sends a picked time even without a next action (the server makes it a 跟进 task), none for "no time"', () => {
    const body = buildQuickEntry({ phone: '1', salutation: 'x', when: 'tomorrow' }, now);
    expect(body.next_action).toBeUndefined();
    expect(dayjs(body.next_action_at).valueOf()).toBe(dayjs('2026-11-25 10:00').valueOf());
    expect(buildQuickEntry({ phone: '1', salutation: 'x', next_action: 'call', when: 'none' }, now).next_action_at).toBeUndefined();
  });
  it('sends the channel and first touch chosen (a Douyin lead that books a demo)', () => {
    expect(buildQuickEntry({ phone: '13900000000', salutation: '周总', channel: 'douyin_form', first_touch: 'book_demo' }, now)).toEqual({
      phone: '13900000000',
      salutation: '周总',
      channel: 'douyin_form',
      first_touch: 'book_demo',
    });
  });
});

describe('buildQuickEntry 归属公海', () => {
  it('sends the chosen pool, and nothing when none is chosen (the default pool)', () => {
    expect(buildQuickEntry({ phone: '13900000000', salutation: '周总', home_pool_id: 'pool-2' }, now)).toEqual({ phone: '13900000000', salutation: '周总', home_pool_id: 'pool-2' });
    expect(buildQuickEntry({ phone: '13900000000', salutation: '周总', home_pool_id: '' }, now)).toEqual({ phone: '13900000000', salutation: '周总' });
    expect(buildQuickEntry({ phone: '13900000000', salutation: '周总' }, now)).not.toHaveProperty('home_pool_id');
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

describe('the remembered channel', () => {
  const options = [{ value: 'douyin_form' }, { value: 'manual' }, { value: 'other' }];
  it('starts from the last channel while it is an option, else 手工录入', () => {
    expect(defaultChannel('douyin_form', options)).toBe('douyin_form');
    expect(defaultChannel('retired_channel', options)).toBe('manual');
    expect(defaultChannel(null, options)).toBe('manual');
    expect(defaultChannel(null, [{ value: 'other' }])).toBeUndefined();
  });
  it('is kept per user in this browser', () => {
    window.localStorage.clear();
    expect(rememberedChannel('u1')).toBeNull();
    rememberChannel('u1', 'douyin_form');
    rememberChannel('u2', undefined);
    expect(rememberedChannel('u1')).toBe('douyin_form');
    expect(rememberedChannel('u2')).toBeNull();
    expect(rememberedChannel(undefined)).toBeNull();
  });
});
