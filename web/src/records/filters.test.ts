import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import { activeFilterCount, clearField, filterFieldOf, filterKeys, queryFromSearch, withParams } from './filters';

const f = (name: string, type: FieldDef['type']): FieldDef => ({ name, label_zh: name, label_en: name, type, required: false, readonly: false, builtin: false });

describe('list filters in the URL', () => {
  it('reads the API query from the URL, dropping paging keys', () => {
    const q = queryFromSearch(new URLSearchParams('channel%5Bin%5D=douyin_form,baidu_ads&q=张&cursor=abc&limit=5&esg_score%5Bgte%5D=3'));
    expect(q).toEqual({ 'channel[in]': 'douyin_form,baidu_ads', q: '张', 'esg_score[gte]': '3' });
  });

  it('maps each field type to the operators it filters with', () => {
    expect(filterKeys(f('channel', 'enum'))).toEqual(['channel[in]']);
    expect(filterKeys(f('tags', 'tags'))).toEqual(['tags[in]']);
    expect(filterKeys(f('esg_score', 'number'))).toEqual(['esg_score[gte]', 'esg_score[lte]']);
    expect(filterKeys(f('created_at', 'datetime'))).toEqual(['created_at[gte]', 'created_at[lt]']);
    expect(filterKeys(f('company', 'text'))).toEqual(['company[contains]']);
    expect(filterKeys(f('is_primary', 'bool'))).toEqual(['is_primary']);
  });

  it('adds, replaces and removes keys; counts filtered fields', () => {
    let q = withParams({}, { 'channel[in]': ['douyin_form', 'zhihu'], 'esg_score[gte]': '3' });
    expect(q).toEqual({ 'channel[in]': 'douyin_form,zhihu', 'esg_score[gte]': '3' });
    q = withParams(q, { 'esg_score[lte]': '9', q: '张' });
    expect(activeFilterCount({ ...q, sort: '-created_at' })).toBe(3);
    q = clearField(q, 'esg_score');
    expect(q).toEqual({ 'channel[in]': 'douyin_form,zhihu', q: '张' });
    expect(withParams(q, { 'channel[in]': [] })).toEqual({ q: '张' });
    expect(filterFieldOf('sort')).toBeNull();
    expect(filterFieldOf('owner_id[in]')).toBe('owner_id');
  });
});

describe('exportQuery', () => {
  it('keeps filters, search and sort; drops paging', async () => {
    const { exportQuery } = await import('./filters');
    expect(exportQuery({ 'channel[in]': 'zhihu', q: '张', sort: '-created_at', cursor: 'abc', limit: '50', with_total: 'true', 'color[in]': '' })).toEqual({
      'channel[in]': 'zhihu',
      q: '张',
      sort: '-created_at',
    });
  });
});
