// Admin → 自定义字段: every entity's fields (system, built-in, custom) and "add field".
import { PlusOutlined } from '@ant-design/icons';
import { Button, Segmented, Skeleton, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSchema } from '../api/queries';
import type { FieldDef } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { useIsMobile } from '../app/useIsMobile';
import { AddFieldModal } from './AddFieldModal';

export default function CustomFieldsPage() {
  const { t, label } = useI18n();
  const { isAdmin } = useAuth();
  const mobile = useIsMobile();
  const schema = useSchema();
  const entities = schema.data?.entities ?? [];
  const [name, setName] = useState<string>('leads');
  const [adding, setAdding] = useState(false);
  const entity = entities.find((e) => e.name === name) ?? entities[0];
  const rows = useMemo(() => {
    const fs = entity?.fields ?? [];
    // Custom fields first: they are what this page is about.
    return [...fs.filter((f) => !f.builtin), ...fs.filter((f) => f.builtin && !f.system), ...fs.filter((f) => f.system)];
  }, [entity]);
  if (schema.isLoading) return <Skeleton active />;
  if (!entity) return null;

  return (
    <div data-testid="custom-fields">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('admin.fields')}
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-field">
            {t('admin.addField')}
          </Button>
        )}
      </div>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented
          value={entity.name}
          onChange={(v) => setName(String(v))}
          options={entities.map((e) => ({ value: e.name, label: label(e, e.name) }))}
          data-testid="entity-switch"
        />
      </div>
      <Table<FieldDef>
        size="small"
        rowKey="name"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { key: 'label', title: t('admin.label'), render: (_, f) => label(f, f.name), fixed: mobile ? undefined : 'left', width: 160 },
          { key: 'name', dataIndex: 'name', title: t('admin.fieldName'), render: (v: string) => <code>{v}</code>, width: 170 },
          { key: 'type', title: t('admin.type'), render: (_, f) => t(`type.${f.type}` as MessageKey), width: 110 },
          { key: 'required', title: t('admin.required'), render: (_, f) => (f.required ? t('common.yes') : ''), width: 70 },
          {
            key: 'origin',
            title: t('admin.origin'),
            width: 90,
            render: (_, f) =>
              f.system ? <Tag>{t('admin.system')}</Tag> : f.builtin ? <Tag color="blue">{t('admin.builtin')}</Tag> : <Tag color="green">{t('admin.custom')}</Tag>,
          },
          {
            key: 'more',
            title: t('admin.options'),
            render: (_, f) =>
              f.type === 'reference'
                ? `→ ${label(entities.find((e) => e.name === f.ref_entity), f.ref_entity)}`
                : (f.options ?? []).map((o) => label(o, o.value)).join(' / ') + (f.readonly ? ` ${t('admin.readonly')}` : ''),
          },
        ]}
      />
      <AddFieldModal entity={entity} open={adding} onClose={() => setAdding(false)} />
    </div>
  );
}
