import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../api/types';
import { cutoffLabel, cutoffSentence, daysSentence, describeFilters } from './cleaning';

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    { name: 'channel', label_zh: '来源渠道', label_en: 'Source channel', type: 'enum', required: false, readonly: false, builtin: true, options: [{ value: 'zhihu', label_zh: '知乎', label_en: 'Zhihu' }, { value: 'baidu_ads', label_zh: '百度推广', label_en: 'Baidu ads' }] },
    { name: 'owner_id', label_zh: '负责人', label_en: 'Owner', type: 'user', required: false, readonly: false, builtin: true },
  ],
};

describe('cleaning cutoff wording', () => {
  it('is the server’s wall-clock midnight in the company zone, never hours or the browser zone', () => {
    expect(cutoffSentence('2026-01-23T00:00:00+08:00', 'Asia/Shanghai', 'zh')).toBe('将归档 2026-01-23 00:00(Asia/Shanghai)之前创建的线索');
    expect(cutoffSentence('2026-01-23T00:00:00+08:00', 'Asia/Shanghai', 'zh', true)).toBe('已归档 2026-01-23 00:00(Asia/Shanghai)之前创建的线索');
    expect(cutoffSentence('2026-01-23T00:00:00+08:00', 'Asia/Shanghai', 'en')).toBe('Will archive leads created before 2026-01-23 00:00 (Asia/Shanghai)');
    // A zone west of UTC keeps its own date too.
    expect(cutoffLabel('2026-03-08T00:00:00-05:00', 'America/New_York', 'zh')).toBe('2026-03-08 00:00(America/New_York)');
  });
  it('explains calendar days', () => {
    expect(daysSentence(30, 'Asia/Shanghai', 'zh')).toBe('超过 30 个自然日:按公司时区(Asia/Shanghai)的日历日计算,不按小时');
    expect(daysSentence(1, undefined, 'en')).toBe("Older than 1 calendar day, counted in whole days in the company's time zone, not in hours");
  });
});

describe('describeFilters', () => {
  it('names fields and options from the schema, users by name', () => {
    const users = (id: string) => (id === 'u1' ? '张伟' : undefined);
    expect(describeFilters({ 'channel[in]': 'zhihu,baidu_ads', 'owner_id[in]': 'u1' }, leads, 'zh', users)).toBe('来源渠道:知乎、百度推广 · 负责人:张伟');
    expect(describeFilters({ channel: 'zhihu' }, leads, 'en')).toBe('Source channel: Zhihu');
    expect(describeFilters({ region: '华东' }, leads, 'zh')).toBe('region:华东');
    expect(describeFilters(undefined, leads, 'zh')).toBe('');
  });
});
