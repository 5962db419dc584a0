// "分布": how the records under the current filters split over one choice field (e.g. 来源渠道 or
// 意向分级). Every bar is a server count (limit=1&with_total=true with that value added to the
// filters), so the numbers are exact, not a sample of the loaded page. Lazy-loaded with ECharts.
import { useQueries } from '@tanstack/react-query';
import { Card, Segmented, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { endpoints, type ListQuery } from '../api/endpoints';
import { keys, useUsers } from '../api/queries';
import type { EntityDef, FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { EChart, type EChartOption } from './EChart';
import { clearField } from './filters';
import { isColorEnum } from './schema';

const FUNNEL: Record<string, string> = { red: '#dc2626', yellow: '#d97706', green: '#16a34a' };

export default function DistributionPanel({ entity, query }: { entity: EntityDef; query: ListQuery }) {
  const { t, label } = useI18n();
  const users = useUsers();
  const candidates = useMemo(
    () => entity.fields.filter((f) => !f.system && (f.type === 'enum' || f.type === 'user')),
    [entity],
  );
  const [fieldName, setFieldName] = useState(candidates[0]?.name);
  const field: FieldDef | undefined = candidates.find((f) => f.name === fieldName);

  const buckets = useMemo(() => {
    if (!field) return [];
    const base = clearField(query, field.name);
    delete base.sort;
    const values =
      field.type === 'user'
        ? (users.data ?? []).map((u) => ({ value: u.id, name: u.name }))
        : (field.options ?? []).map((o) => ({ value: o.value, name: label(o, o.value) }));
    return [
      ...values.map((v) => ({ ...v, query: { ...base, [field.name]: v.value } as ListQuery })),
      { value: '', name: t('records.unset'), query: { ...base, [`${field.name}[null]`]: 'true' } as ListQuery },
    ];
  }, [field, query, users.data, label, t]);

  const counts = useQueries({
    queries: buckets.map((b) => ({
      queryKey: keys.count(entity.name, b.query),
      staleTime: 30_000,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        endpoints.list(entity.name, { ...b.query, limit: '1', with_total: 'true' }, signal).then((p) => p.total ?? 0),
    })),
  });
  const countKey = counts.map((c) => c.data ?? '').join(',');
  const ready = counts.length > 0 && counts.every((c) => c.data !== undefined);

  const option = useMemo<EChartOption>(() => {
    const data = buckets.map((b, i) => ({ name: b.name, value: counts[i]?.data ?? 0, value_key: b.value })).filter((d) => d.value > 0 || d.value_key !== '');
    if (field && isColorEnum(field)) {
      return {
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['40%', '70%'],
            data: data.map((d) => ({ name: d.name, value: d.value, itemStyle: { color: FUNNEL[d.value_key] ?? '#94a3b8' } })),
          },
        ],
      };
    }
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: data.map((d) => d.name), inverse: true },
      series: [{ type: 'bar', data: data.map((d) => d.value), itemStyle: { color: '#1d4ed8' }, label: { show: true, position: 'right' } }],
    };
    // `countKey` stands for the counts' values; the `counts` array itself is new every render.
  }, [buckets, field, countKey]);

  if (!field) return null;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="distribution">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('records.distributionBy')}</Typography.Text>
        <Segmented
          size="small"
          value={field.name}
          onChange={(v) => setFieldName(String(v))}
          options={candidates.map((f) => ({ value: f.name, label: label(f, f.name) }))}
        />
      </div>
      {ready ? <EChart option={option} height={Math.max(220, buckets.length * 26)} /> : <div style={{ height: 220 }} />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('records.distributionSource')}
      </Typography.Text>
    </Card>
  );
}
