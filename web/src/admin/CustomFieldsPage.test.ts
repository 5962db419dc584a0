import { describe, expect, it } from 'vitest';
import { newOptionBody } from './CustomFieldsPage';

describe('newOptionBody (添加选项)', () => {
  it('trims and falls back to the Chinese label in English', () => {
    expect(newOptionBody({ value: ' shipinhao ', label_zh: ' 视频号 ', label_en: ' ' })).toEqual({ value: 'shipinhao', label_zh: '视频号', label_en: '视频号' });
    expect(newOptionBody({ value: 'shipinhao', label_zh: '视频号', label_en: 'WeChat Channels' })).toEqual({ value: 'shipinhao', label_zh: '视频号', label_en: 'WeChat Channels' });
  });
});
