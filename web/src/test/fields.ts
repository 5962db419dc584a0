// A FieldDef for tests: a writable built-in text field unless `extra` says otherwise.
import type { FieldDef } from '../api/types';

export function testField(name: string, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, label_zh: name, label_en: name, type: 'text', required: false, readonly: false, builtin: true, ...extra };
}
