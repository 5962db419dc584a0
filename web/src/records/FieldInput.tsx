// The edit control for one field, by field type. Used inside antd Form.Item, which injects
// `value`/`onChange` (and `checked` for bool, see valuePropName in RecordForm).
import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { FieldDef } from '../api/types';
import { endpoints } from '../api/endpoints';
import { keys, useRecordsByIds, useSchema, useUsers } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { ColorBadge } from '../leads/ColorBadge';
import { isColorEnum, isLongText, recordTitle } from './schema';

// antd injects loosely typed value/onChange (`any` here); each control below narrows them.
export interface FieldInputProps {
  field: FieldDef;
  value?: any;
  onChange?: (value: any) => void;
  checked?: boolean;
  id?: string;
  /** For filters: allow several values where the form allows one. */
  multiple?: boolean;
  placeholder?: string;
}

export function FieldInput({ field, value, onChange, checked, id, multiple, placeholder }: FieldInputProps) {
  const { label, t } = useI18n();
  const common = { id, value, onChange, 'data-field': field.name } as const;
  const selectPh = placeholder ?? t('records.selectPlaceholder');
  switch (field.type) {
    case 'number':
      return <InputNumber {...common} style={{ width: '100%' }} placeholder={placeholder} />;
    case 'money':
      return <InputNumber {...common} style={{ width: '100%' }} precision={2} step={0.01} prefix="¥" placeholder={placeholder} />;
    case 'date':
      return <DatePicker {...common} style={{ width: '100%' }} placeholder={placeholder} />;
    case 'datetime':
      return <DatePicker {...common} style={{ width: '100%' }} showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={placeholder} />;
    case 'enum':
    case 'multi_enum': {
      const options = (field.options ?? []).map((o) => ({
        value: o.value,
        label: isColorEnum(field) ? <ColorBadge value={o.value} label={label(o)} /> : label(o),
        text: label(o),
      }));
      const many = multiple || field.type === 'multi_enum';
      return (
        <Select
          {...common}
          mode={many ? 'multiple' : undefined}
          allowClear
          options={options}
          optionFilterProp="text"
          placeholder={selectPh}
          style={{ width: '100%' }}
        />
      );
    }
    case 'tags':
      return <Select {...common} mode="tags" allowClear tokenSeparators={[',', ',']} placeholder={placeholder} style={{ width: '100%' }} />;
    case 'user':
      return <UserSelect {...common} multiple={multiple} placeholder={selectPh} />;
    case 'reference':
      return <RecordSelect {...common} entity={field.ref_entity ?? ''} multiple={multiple} placeholder={placeholder ?? t('records.searchRef')} />;
    case 'bool':
      return <Switch id={id} checked={!!checked} onChange={onChange} data-field={field.name} />;
    case 'phone':
      return <Input {...common} type="tel" inputMode="tel" autoComplete="tel" allowClear placeholder={placeholder} />;
    case 'email':
      return <Input {...common} type="email" inputMode="email" autoComplete="email" allowClear placeholder={placeholder} />;
    default:
      if (isLongText(field)) return <Input.TextArea {...common} autoSize={{ minRows: 3, maxRows: 10 }} placeholder={placeholder} />;
      return <Input {...common} allowClear placeholder={placeholder} />;
  }
}

interface SelectLikeProps {
  id?: string;
  value?: any;
  onChange?: (value: any) => void;
  multiple?: boolean;
  placeholder?: string;
}

/** Picks users of the tenant (GET /api/v1/users). */
export function UserSelect({ id, value, onChange, multiple, placeholder }: SelectLikeProps) {
  const { data, isLoading } = useUsers();
  const options = useMemo(
    () => (data ?? []).map((u) => ({ value: u.id, label: u.name, text: `${u.name} ${u.email}` })),
    [data],
  );
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      mode={multiple ? 'multiple' : undefined}
      loading={isLoading}
      allowClear
      showSearch
      optionFilterProp="text"
      options={options}
      placeholder={placeholder}
      style={{ width: '100%' }}
    />
  );
}

/** Picks records of `entity` by server-side search (q=…); shows the current value's title. */
export function RecordSelect({ id, value, onChange, multiple, placeholder, entity }: SelectLikeProps & { entity: string }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const h = window.setTimeout(() => setQ(search.trim()), 250);
    return () => window.clearTimeout(h);
  }, [search]);
  const schema = useSchema();
  const def = schema.data?.entities.find((e) => e.name === entity);
  const found = useQuery({
    queryKey: keys.list(entity, { q, limit: '20', picker: '1' }),
    queryFn: ({ signal }) => endpoints.list(entity, { q: q || undefined, limit: '20' }, signal),
    enabled: !!entity,
    staleTime: 30_000,
  });
  const selectedIds: string[] = Array.isArray(value) ? value : value ? [value] : [];
  const selected = useRecordsByIds(entity, selectedIds);
  const options = useMemo(() => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const r of [...(selected.data?.values() ?? []), ...(found.data?.items ?? [])]) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ value: r.id, label: recordTitle(def, r) });
    }
    return out;
  }, [selected.data, found.data, def]);
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      loading={found.isFetching}
      options={options}
      placeholder={placeholder}
      style={{ width: '100%' }}
    />
  );
}
