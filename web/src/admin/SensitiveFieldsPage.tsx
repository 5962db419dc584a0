// Admin → 敏感字段 (P3): marks fields of an entity sensitive (PUT /sensitive-fields/{entity}/{field});
// readers without an approved request then get them masked ("138****5678") everywhere.
import { App, Alert, Select, Switch, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { FieldDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { menuEntities } from '../records/schema';

export default function SensitiveFieldsPage() {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const schema = useSchema();
  const entities = useMemo(() => menuEntities(schema.data?.entities ?? []), [schema.data]);
  const [entityName, setEntityName] = useState('leads');
  const entity = entities.find((e) => e.name === entityName) ?? entities[0];
  const sensitive = useQuery({ queryKey: keys.sensitiveFields, queryFn: endpoints.sensitiveFields, select: (d) => d.items });
  const marked = useMemo(() => new Set((sensitive.data ?? []).map((s) => `${s.entity}.${s.field}`)), [sensitive.data]);
  const [busy, setBusy] = useState<string | null>(null);
  const fields = useMemo(() => (entity?.fields ?? []).filter((f) => !f.system && f.name !== 'owner_id'), [entity]);

  const toggle = async (f: FieldDef, on: boolean) => {
    if (!entity) return;
    setBusy(f.name);
    try {
      await endpoints.setSensitive(entity.name, f.name, on);
      message.success(t('sensitive.changed', { field: label(f, f.name), state: on ? t('sensitive.marked') : t('sensitive.unmarked') }));
      await qc.invalidateQueries({ queryKey: keys.sensitiveFields });
      // What every list and record shows changes with it.
      void qc.invalidateQueries({ queryKey: ['records'] });
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="sensitive-fields">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('access.sensitive')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('sensitive.note')} style={{ marginBottom: 12 }} />
      <div style={{ marginBottom: 12, display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <span>{t('admin.entity')}</span>
        <Select
          value={entity?.name}
          onChange={setEntityName}
          style={{ width: 200 }}
          options={entities.map((e) => ({ value: e.name, label: label(e, e.name) }))}
          data-testid="sensitive-entity"
        />
        <span>
          {(sensitive.data ?? []).map((s) => (
            <Tag key={`${s.entity}.${s.field}`} color="orange">
              {label(entities.find((e) => e.name === s.entity), s.entity)} · {label(entities.find((e) => e.name === s.entity)?.fields.find((f) => f.name === s.field), s.field)}
            </Tag>
          ))}
        </span>
      </div>
      <Table<FieldDef>
        size="small"
        rowKey="name"
        loading={schema.isLoading || sensitive.isLoading}
        dataSource={fields}
        pagination={false}
        columns={[
          { key: 'label', title: t('admin.label'), render: (_, f) => label(f, f.name) },
          { key: 'name', title: t('admin.fieldName'), dataIndex: 'name', responsive: ['sm'] },
          { key: 'type', title: t('admin.type'), dataIndex: 'type', responsive: ['md'] },
          {
            key: 'sensitive',
            title: t('sensitive.on'),
            width: 90,
            render: (_, f) => {
              const on = marked.has(`${entity?.name}.${f.name}`);
              return (
                <Switch
                  checked={on}
                  loading={busy === f.name}
                  onChange={(v) => void toggle(f, v)}
                  data-testid={`sensitive-${f.name}`}
                  data-on={String(on)}
                  aria-label={`${label(f, f.name)} ${t('sensitive.on')}`}
                />
              );
            },
          },
        ]}
      />
    </div>
  );
}
