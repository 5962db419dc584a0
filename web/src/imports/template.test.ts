import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef } from '../api/types';
import { suggestMapping } from './mapping';
import { templateColumns, templateCsv } from './template';
import { testField } from '../test/fields';

const f = (name: string, label_zh: string, extra: Partial<FieldDef> = {}): FieldDef => testField(name, { label_zh, ...extra });

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    f('id', '编号', { system: true, readonly: true }),
    f('tags', '标签', { system: true, type: 'tags' }),
    f('phone', '手机号', { type: 'phone' }),
    f('name', '姓名', { required: true }),
    f('channel', '来源渠道', { type: 'enum' }),
    f('response_hours', '响应时效(小时)', { readonly: true, type: 'number' }),
    f('ad_keyword', '搜索关键词'),
    f('esg_score', 'ESG评分, 满分100', { builtin: false, type: 'number' }),
  ],
};

describe('import template (下载模板)', () => {
  it('lists the importable fields by label, required first, without ad attribution or read-only fields', () => {
    expect(templateColumns(leads, 'zh')).toEqual(['姓名', '标签', '手机号', '来源渠道', 'ESG评分, 满分100']);
    expect(templateColumns(leads, 'en')).toEqual(['name', 'tags', 'phone', 'channel', 'esg_score']);
  });

  it('is UTF-8 CSV with a BOM, quoting where needed, and maps back column for column', () => {
    expect(templateCsv(leads, 'zh')).toBe('\uFEFF姓名,标签,手机号,来源渠道,"ESG评分, 满分100"\r\n');
    const columns = templateColumns(leads, 'zh');
    expect(Object.values(suggestMapping(columns, leads))).toEqual(['name', 'tags', 'phone', 'channel', 'esg_score']);
  });
});
