import { describe, expect, it } from 'vitest';
import { currentView, normalizeQuery, parseViewQuery, splitViews, viewMatches, viewQueryString, viewSearch } from './views';

describe('saved views', () => {
  it('writes the list query as a readable query string and reads it back', () => {
    const q = { 'channel[in]': 'douyin_form', 'color[in]': 'red,yellow', sort: '-created_at', cursor: 'abc', q: '张 三', 'created_at[gte]': '2026-01-01T00:00:00+08:00' };
    const s = viewQueryString(q);
    expect(s).toBe('channel[in]=douyin_form&color[in]=red,yellow&sort=-created_at&q=%E5%BC%A0%20%E4%B8%89&created_at[gte]=2026-01-01T00%3A00%3A00%2B08%3A00');
    const { cursor: _c, ...rest } = q;
    expect(parseViewQuery(s)).toEqual(rest);
    expect(parseViewQuery('?channel=douyin_form&limit=10&x=')).toEqual({ channel: 'douyin_form' });
    expect(viewQueryString({})).toBe('');
  });

  it('matches the URL regardless of key order, list order, paging and the default sort', () => {
    expect(normalizeQuery({ b: '1', a: '2' })).toBe('a=2&b=1');
    const view = { query: 'color[in]=yellow,red&channel[in]=douyin_form&sort=-created_at' };
    expect(viewMatches(view, { 'channel[in]': 'douyin_form', 'color[in]': 'red,yellow' }, '-created_at')).toBe(true);
    expect(viewMatches(view, { 'channel[in]': 'douyin_form', 'color[in]': 'red,yellow' })).toBe(false);
    expect(viewMatches(view, { 'channel[in]': 'douyin_form' }, '-created_at')).toBe(false);
    expect(viewMatches({ query: 'channel=douyin_form' }, { channel: 'douyin_form', cursor: 'x' })).toBe(true);
    expect(viewMatches({ query: '' }, {})).toBe(true);
  });

  it('picks the view in force, mine first, and splits mine from shared', () => {
    const views = [
      { id: 's', query: 'channel=a', mine: false },
      { id: 'm', query: 'channel=a', mine: true },
      { id: 'o', query: 'channel=b', mine: true },
    ];
    expect(currentView(views, { channel: 'a' })?.id).toBe('m');
    expect(currentView(views, { channel: 'c' })).toBeUndefined();
    const twins = [
      { id: 'old', query: 'channel=a', mine: true, updated_at: '2026-01-01T00:00:00+08:00' },
      { id: 'new', query: 'channel=a', mine: true, updated_at: '2026-02-01T00:00:00+08:00' },
    ];
    expect(currentView(twins, { channel: 'a' })?.id).toBe('new');
    expect(splitViews(views).mine.map((v) => v.id)).toEqual(['m', 'o']);
    expect(splitViews(views).shared.map((v) => v.id)).toEqual(['s']);
    expect(viewSearch({ query: 'channel%5Bin%5D=douyin_form' })).toBe('?channel[in]=douyin_form');
    expect(viewSearch({ query: '' })).toBe('');
  });
});
