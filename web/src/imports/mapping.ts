// Pure helpers of the import wizard: which fields a column may fill, the suggested column → field
// mapping (the server's suggestion first, then names, labels and common Chinese spreadsheet
// headers), the request body, times without an offset in the sample, and how to name a row error.
import type { EntityDef, FieldDef, ImportDryRun, ImportJob, ImportMapping, ImportRowError } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';

/** Fields an import may write: what a user may send on create (not read-only, not bookkeeping). */
export function importableFields(entity: EntityDef): FieldDef[] {
  return entity.fields.filter((f) => !f.readonly && (!f.system || f.name === 'tags'));
}

/**
 * Header spellings seen in real spreadsheets (ad-platform exports, trade-show lists), by field.
 * Compared after normalise(); a field missing from the entity is skipped.
 */
const SYNONYMS: Record<string, string[]> = {
  name: ['姓名', '名字', '客户姓名', '联系人', '联系人姓名', '客户名称', 'name', 'contact', 'contactname', 'fullname'],
  phone: ['手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', 'mobile', 'tel', 'telephone', 'phone', 'phonenumber', 'cellphone'],
  wechat: ['微信', '微信号', '微信id', 'wechat', 'wechatid', 'weixin', 'wx'],
  company: ['公司', '公司名称', '企业', '企业名称', '单位', '单位名称', 'company', 'companyname', 'organization', 'org'],
  title: ['职务', '职位', '岗位', 'title', 'jobtitle', 'position'],
  channel: ['渠道', '来源', '来源渠道', '线索来源', '获客渠道', 'channel', 'source', 'leadsource'],
  first_touch: ['首触', '首触动作', '首次触达', '转化动作', 'firsttouch'],
  color: ['意向', '意向分级', '意向等级', '三色', 'color', 'grade'],
  stage: ['阶段', '线索阶段', 'stage'],
  owner_id: ['负责人', '销售', '跟进人', '归属销售', 'owner', 'salesperson'],
  region: ['区域', '地区', '省份', '城市', '大区', 'region', 'area', 'province', 'city'],
  product: ['产品', '意向产品', '咨询产品', 'product'],
  salutation: ['称呼', 'salutation'],
  core_need: ['需求', '核心诉求', '客户需求', '诉求', 'need', 'requirement'],
  ad_keyword: ['关键词', '搜索词', '搜索关键词', 'keyword'],
  ad_campaign: ['推广计划', '计划', 'campaign'],
  ad_unit: ['推广单元', '单元', 'unit', 'adgroup'],
  email: ['邮箱', '电子邮箱', 'email', 'mail'],
  tags: ['标签', 'tags', 'tag'],
};

/** Lower case; no spaces, punctuation, BOM or a trailing "(unit)" / "(Asia/Shanghai)". */
export function normalise(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/[((][^))]*[))]\s*$/, '')
    .toLowerCase()
    .replace(/[\s_\-.:/·*::、]+/g, '');
}

/**
 * The mapping to start from: every column → a field name, or '' (not imported). The server's
 * suggestion wins where it names an importable field; otherwise a column matches a field by its
 * name, its labels or a known synonym. A field is taken by one column at most (the first).
 */
export function suggestMapping(columns: string[], entity: EntityDef, server: Record<string, string> = {}): Record<string, string> {
  const fields = importableFields(entity);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const index = new Map<string, string>();
  const add = (key: string, field: string) => {
    const k = normalise(key);
    if (k && !index.has(k)) index.set(k, field);
  };
  for (const f of fields) {
    add(f.name, f.name);
    add(f.label_zh, f.name);
    add(f.label_en, f.name);
  }
  for (const [field, words] of Object.entries(SYNONYMS)) if (byName.has(field)) for (const w of words) add(w, field);

  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const c of columns) {
    const s = server[c];
    if (s && byName.has(s) && !taken.has(s)) {
      out[c] = s;
      taken.add(s);
    }
  }
  for (const c of columns) {
    if (out[c]) continue;
    const f = index.get(normalise(c));
    out[c] = f && !taken.has(f) ? f : '';
    if (out[c]) taken.add(out[c]);
  }
  return out;
}

/** Fields that two or more columns map to (the wizard refuses to go on until fixed). */
export function duplicateTargets(mapping: Record<string, string>): string[] {
  const seen = new Map<string, number>();
  for (const f of Object.values(mapping)) if (f) seen.set(f, (seen.get(f) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([f]) => f);
}

/** The dry-run / start body: only mapped columns; the zone only when one is declared. */
export function mappingBody(mapping: Record<string, string>, timeZone?: string | null): ImportMapping {
  const m: Record<string, string> = {};
  for (const [c, f] of Object.entries(mapping)) if (f) m[c] = f;
  return timeZone ? { mapping: m, time_zone: timeZone } : { mapping: m };
}

/** A date-time with a time of day but no offset ("2026-11-01 10:00"), which needs a declared zone. */
export function isOffsetless(value: string): boolean {
  const v = value.trim();
  if (!/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]\d{1,2}:\d{2}/.test(v)) return false;
  return !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(v);
}

/** Columns mapped to a datetime field whose sample holds a time without an offset. */
export function offsetlessColumns(columns: string[], sample: string[][], mapping: Record<string, string>, entity: EntityDef): string[] {
  const types = new Map(entity.fields.map((f) => [f.name, f.type]));
  return columns.filter((c, i) => types.get(mapping[c]) === 'datetime' && sample.some((row) => isOffsetless(row[i] ?? '')));
}

/**
 * The column a row error is about. The contract says `column` is the column's name; servers so
 * far send "" (then the column mapped to `field` is meant) or a 1-based column number.
 */
export function errorColumn(e: ImportRowError, columns: string[], mapping: Record<string, string>): string {
  const c = (e.column ?? '').trim();
  if (c && columns.includes(c)) return c;
  if (/^\d+$/.test(c)) {
    const n = Number(c);
    if (n >= 1 && n <= columns.length) return columns[n - 1];
  }
  const byField = Object.entries(mapping).find(([, f]) => f && f === e.field);
  return byField ? byField[0] : c;
}

/** 「第 3 行 · 手机号」/ "Row 3 · Phone": where the problem is, for lists and toasts. */
export function rowErrorPlace(e: ImportRowError, columns: string[], mapping: Record<string, string>, lang: Lang): string {
  const col = errorColumn(e, columns, mapping);
  const row = lang === 'en' ? `Row ${e.row}` : `第 ${e.row} 行`;
  return col ? `${row} · ${col}` : row;
}

/** The field's label for an error, falling back to its name. */
export function errorFieldLabel(e: ImportRowError, entity: EntityDef, lang: Lang): string {
  const f = entity.fields.find((x) => x.name === e.field);
  return f ? pickLabel(lang, f, e.field) : e.field;
}

/** Whether the dry run failed rows only because times lack an offset and no zone was declared. */
export function needsTimeZone(result: ImportDryRun | undefined): boolean {
  return !!result?.errors.some((e) => e.code === 'import.timestamp_without_zone');
}

/** Rows with errors, grouped by row number in file order (a row can fail on several columns). */
export function errorsByRow(errors: ImportRowError[]): Array<{ row: number; errors: ImportRowError[] }> {
  const map = new Map<number, ImportRowError[]>();
  for (const e of errors) map.set(e.row, [...(map.get(e.row) ?? []), e]);
  return [...map].sort((a, b) => a[0] - b[0]).map(([row, errs]) => ({ row, errors: errs }));
}

/** Percent done (0–100) of a running job; 100 once done. */
export function progressPercent(job: Pick<ImportJob, 'status' | 'processed' | 'row_count'> | undefined): number {
  if (!job) return 0;
  if (job.status === 'done') return 100;
  const total = job.row_count ?? 0;
  if (!total) return 0;
  return Math.min(99, Math.floor((job.processed / total) * 100));
}

/** Zones offered for times without an offset: the company's zone first, then common ones. */
export function zoneOptions(companyZone: string | undefined): string[] {
  const common = ['Asia/Shanghai', 'UTC', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'];
  return Array.from(new Set([...(companyZone ? [companyZone] : []), ...common]));
}

/** Which kind of file a name is, by extension. */
export function fileKind(name: string): 'csv' | 'xlsx' | null {
  if (/\.csv$/i.test(name) || /\.txt$/i.test(name)) return 'csv';
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  return null;
}

/** The server reads files up to 128 MiB (and 1,000,000 rows). */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;
