// Filter controls for a list, one per filterable field, reading and writing the API query
// (see filters.ts for the key syntax). Text and number inputs apply on Enter/blur, not per key.
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { ListQuery } from '../api/endpoints';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { FieldInput } from './FieldInput';
import { dayRangeToInstants, filterKeys, splitList, withParams } from './filters';
import { fenToYuan, yuanToFen } from './values';

export interface FilterFieldProps {
  field: FieldDef;
  query: ListQuery;
  onChange: (next: ListQuery) => void;
  /** A text field that holds the id of a 公海 or an intake source: picked by name (schema.idFieldKind). */
  idKind?: 'pool' | 'intake_source';
}

/** One field's filter control, labelled, with data-testid="filter-<field>". */
export function FilterField({ field, query, onChange, idKind }: FilterFieldProps) {
  const { label } = useI18n();
  return (
    <div data-testid={`filter-${field.name}`} style={{ minWidth: 0 }}>
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,.55)', marginBottom: 4 }}>{label(field, field.name)}</div>
      {idKind ? <IdFilter kind={idKind} field={field} query={query} onChange={onChange} /> : <FilterControl field={field} query={query} onChange={onChange} />}
    </div>
  );
}

/** Picks 公海 / intake sources by name for a field that stores their id (`field[in]=id,…`). */
function IdFilter({ kind, field, query, onChange }: FilterFieldProps & { kind: 'pool' | 'intake_source' }) {
  const { t } = useI18n();
  const pools = useQuery({ queryKey: keys.pools, queryFn: endpoints.pools, staleTime: 30_000, enabled: kind === 'pool' });
  const sources = useQuery({ queryKey: keys.intakeSources, queryFn: endpoints.intakeSources, staleTime: 60_000, enabled: kind === 'intake_source' });
  const items = (kind === 'pool' ? pools.data?.items : sources.data?.items) ?? [];
  const key = `${field.name}[in]`;
  return (
    <Select
      mode="multiple"
      allowClear
      style={{ width: '100%' }}
      placeholder={t('common.all')}
      loading={kind === 'pool' ? pools.isLoading : sources.isLoading}
      optionFilterProp="label"
      options={items.map((x) => ({ value: x.id, label: x.name }))}
      value={splitList(query[key])}
      onChange={(v: string[]) => onChange(withParams(query, { [key]: v }))}
    />
  );
}

function FilterControl({ field, query, onChange }: FilterFieldProps) {
  const { t } = useI18n();
  const keys = filterKeys(field);
  const set = (changes: Record<string, string | string[] | undefined>) => onChange(withParams(query, changes));
  switch (field.type) {
    case 'enum':
    case 'multi_enum':
    case 'user':
    case 'reference':
      return (
        <FieldInput
          field={field}
          multiple
          placeholder={t('common.all')}
          value={splitList(query[keys[0]])}
          onChange={(v: string[] | undefined) => set({ [keys[0]]: v ?? [] })}
        />
      );
    case 'tags':
      return (
        <Select
          mode="tags"
          allowClear
          style={{ width: '100%' }}
          placeholder={t('common.all')}
          value={splitList(query[keys[0]])}
          onChange={(v: string[]) => set({ [keys[0]]: v })}
        />
      );
    case 'bool':
      return (
        <Select
          allowClear
          style={{ width: '100%' }}
          placeholder={t('common.all')}
          value={query[keys[0]]}
          onChange={(v: string | undefined) => set({ [keys[0]]: v })}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
      );
    case 'number':
    case 'money': {
      const money = field.type === 'money';
      const toShown = (s: string | undefined) => (s === undefined ? null : money ? fenToYuan(Number(s)) : Number(s));
      const toQuery = (n: number | null) => (n === null || n === undefined ? undefined : money ? String(yuanToFen(n)) : String(n));
      return (
        <Space.Compact style={{ width: '100%' }}>
          <DeferredNumber value={toShown(query[keys[0]])} placeholder={t('common.min')} money={money} onCommit={(n) => set({ [keys[0]]: toQuery(n) })} testId={`filter-${field.name}-min`} />
          <DeferredNumber value={toShown(query[keys[1]])} placeholder={t('common.max')} money={money} onCommit={(n) => set({ [keys[1]]: toQuery(n) })} testId={`filter-${field.name}-max`} />
        </Space.Compact>
      );
    }
    case 'date':
    case 'datetime': {
      const from = query[keys[0]];
      const to = query[keys[1]];
      const shownTo = to && field.type === 'datetime' ? dayjs(to).subtract(1, 'day') : to ? dayjs(to) : null;
      return (
        <DatePicker.RangePicker
          style={{ width: '100%' }}
          placeholder={[t('common.from'), t('common.to')]}
          value={[from ? dayjs(from) : null, shownTo]}
          allowEmpty={[true, true]}
          onChange={(range) => {
            const a = range?.[0]?.format('YYYY-MM-DD');
            const b = range?.[1]?.format('YYYY-MM-DD');
            if (field.type === 'date') return set({ [keys[0]]: a, [keys[1]]: b });
            const [gte, lt] = dayRangeToInstants(a ?? '2000-01-01', b ?? '2000-01-01');
            set({ [keys[0]]: a ? gte : undefined, [keys[1]]: b ? lt : undefined });
          }}
        />
      );
    }
    default:
      return <DeferredText value={query[keys[0]] ?? ''} onCommit={(s) => set({ [keys[0]]: s.trim() || undefined })} testId={`filter-${field.name}-text`} />;
  }
}

function DeferredNumber({ value, placeholder, money, onCommit, testId }: { value: number | null; placeholder: string; money: boolean; onCommit: (n: number | null) => void; testId: string }) {
  const [draft, setDraft] = useState<number | null>(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <InputNumber
      style={{ width: '50%' }}
      value={draft}
      placeholder={placeholder}
      precision={money ? 2 : undefined}
      onChange={(n) => setDraft(typeof n === 'number' ? n : null)}
      onBlur={commit}
      onPressEnter={commit}
      data-testid={testId}
    />
  );
}

function DeferredText({ value, onCommit, testId }: { value: string; onCommit: (s: string) => void; testId: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <Input
      allowClear
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        if (e.type === 'click') onCommit(''); // the clear button
      }}
      onBlur={() => draft !== value && onCommit(draft)}
      onPressEnter={() => onCommit(draft)}
      data-testid={testId}
    />
  );
}

/** A small "clear all" action used by the filter bar and drawer. */
export function ClearFilters({ onClear, disabled }: { onClear: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <Button type="link" onClick={onClear} disabled={disabled} style={{ paddingInline: 0 }}>
      {t('records.clearFilters')}
    </Button>
  );
}
