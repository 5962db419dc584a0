// 下载模板: a CSV whose header is the entity's importable fields by their labels (UTF-8 with a BOM,
// so Excel on a Chinese Windows opens it readable), which the wizard's mapping recognises column
// for column. Lead ad-attribution fields (ad_*, utm_*) are left out: they come from ad platforms,
// not from a hand-filled sheet. Pure.
import type { EntityDef } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';
import { isAttributionField } from '../leads/pipeline';
import { importableFields } from './mapping';

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The template's columns: required fields first, then the rest in schema order. */
export function templateColumns(entity: EntityDef, lang: Lang): string[] {
  const fields = importableFields(entity).filter((f) => !isAttributionField(f.name));
  const ordered = [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
  return ordered.map((f) => pickLabel(lang, f, f.name));
}

/** The template file's text: BOM, the header line, CRLF. */
export function templateCsv(entity: EntityDef, lang: Lang): string {
  return `\uFEFF${templateColumns(entity, lang).map(cell).join(',')}\r\n`;
}
