import { describe, expect, it } from 'vitest';
import { avgBars, dateRange, funnelShare, listUrl, percent, rangeFilters, slices, startOfLocalDay, zoneOffsetMinutes } from './dashboard';

describe('date ranges in the tenant zone', () => {
  const now = Date.parse('2026-03-11T20:30:00Z'); // Thursday 04:30 on the 12th in Shanghai
  it('uses the zone, not the browser', () => {
    expect(zoneOffsetMinutes('Asia/Shanghai', now)).toBe(480);
    expect(startOfLocalDay('2026-03-12', 'Asia/Shanghai')).toBe('2026-03-12T00:00:00+08:00');
    expect(startOfLocalDay('2026-03-08', 'America/New_York')).toBe('2026-03-08T00:00:00-05:00');
    expect(startOfLocalDay('2026-03-09', 'America/New_York')).toBe('2026-03-09T00:00:00-04:00');
  });
  it('this week starts on Monday, this month on the 1st', () => {
    const w = dateRange('week', 'Asia/Shanghai', now);
    expect([w.from, w.to, w.gte, w.lt]).toEqual(['2026-03-09', '2026-03-15', '2026-03-09T00:00:00+08:00', '2026-03-16T00:00:00+08:00']);
    const m = dateRange('month', 'Asia/Shanghai', now);
    expect([m.from, m.to, m.lt]).toEqual(['2026-03-01', '2026-03-31', '2026-04-01T00:00:00+08:00']);
    const c = dateRange('custom', 'Asia/Shanghai', now, { from: '2026-02-10', to: '2026-02-01' });
    expect([c.from, c.to]).toEqual(['2026-02-01', '2026-02-10']);
    expect(rangeFilters(c)).toEqual({ 'created_at[gte]': '2026-02-01T00:00:00+08:00', 'created_at[lt]': '2026-02-11T00:00:00+08:00' });
  });
});

describe('summaries → charts', () => {
  const label = (v: string) => ({ douyin_form: '抖音表单', website: '官网咨询' })[v] ?? v;
  it('names the groups', () => {
    expect(slices({ total: 5, avg: null, groups: [{ value: 'douyin_form', count: 3, avg: null }, { value: null, count: 2, avg: null }] }, label, '未填写')).toEqual([
      { key: 'douyin_form', name: '抖音表单', value: 3 },
      { key: '', name: '未填写', value: 2 },
    ]);
    expect(slices(undefined, label, '-')).toEqual([]);
  });
  it('computes the share of red', () => {
    const f = funnelShare({ total: 10, avg: null, groups: [{ value: 'red', count: 3, avg: null }, { value: 'yellow', count: 4, avg: null }, { value: null, count: 3, avg: null }] });
    expect(f).toEqual({ red: 3, yellow: 4, green: 0, none: 3, total: 10, redShare: 0.3 });
    expect(percent(f.redShare)).toBe('30%');
    expect(funnelShare({ total: 0, avg: null, groups: [] }).redShare).toBe(0);
  });
  it('rounds average response hours and drops groups without any', () => {
    expect(avgBars({ total: 3, avg: 2.25, groups: [{ value: 'website', count: 2, avg: 1.26 }, { value: 'zhihu', count: 1, avg: null }] }, label, '-')).toEqual([
      { key: 'website', name: '官网咨询', hours: 1.3, count: 2 },
    ]);
  });
  it('builds the filtered lead-list URL', () => {
    expect(listUrl('leads', { 'channel[in]': 'douyin_form', 'created_at[gte]': '2026-03-09T00:00:00+08:00', x: undefined })).toBe(
      '/leads?channel%5Bin%5D=douyin_form&created_at%5Bgte%5D=2026-03-09T00%3A00%3A00%2B08%3A00',
    );
    expect(listUrl('leads', {})).toBe('/leads');
  });
});
