// Admin → 自定义字段: every entity's fields (system, built-in, custom), "add field", and "add option"
// on a choice field (a new 来源渠道 or 首触动作: POST /schema/{entity}/fields/{field}/options), shown
// in forms, quick entry, lists and filters at once.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Segmented, Skeleton, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { EntityDef, FieldDef, NewOption } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { useIsMobile } from '../app/useIsMobile';
import { isColorEnum } from '../records/schema';
import { AddFieldModal, FIELD_NAME } from './AddFieldModal';

/** The option body: trimmed, the English label falling back to the Chinese one. */
export function newOptionBody(v: { value: string; label_zh: string; label_en?: string }): NewOption {
  const label_zh = v.label_zh.trim();
  return { value: v.value.trim(), label_zh, label_en: (v.label_en ?? '').trim() || label_zh };
}

function AddOptionModal({ entity, field, onClose }: { entity: EntityDef; field: FieldDef; onClose: () => void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ value: string; label_zh: string; label_en?: string }>();
  const [busy, setBusy] = useState(false);
  const fieldLabel = label(field, field.name);
  const taken = new Set((field.options ?? []).map((o) => o.value));
  const save = async (v: { value: string; label_zh: string; label_en?: string }) => {
    setBusy(true);
    try {
      const body = newOptionBody(v);
      await endpoints.addOption(entity.name, field.name, body);
      message.success(t('field.optionAdded', { field: fieldLabel, label: body.label_zh }));
      await qc.invalidateQueries({ queryKey: keys.schema });
      onClose();
    } catch (e) {
      showError(e, form, ['value', 'label_zh', 'label_en']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('field.addOptionTitle', { field: fieldLabel })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'option-submit' }}
      destroyOnClose
    >
      <Form form={form} name="option" layout="vertical" preserve={false} onFinish={(v) => void save(v)}>
        <Form.Item name="label_zh" label={t('field.optionLabelZh')} rules={[{ required: true, whitespace: true }, { max: 40 }]}>
          <Input maxLength={40} autoFocus placeholder="视频号" />
        </Form.Item>
        <Form.Item name="label_en" label={t('field.optionLabelEn')} rules={[{ max: 60 }]}>
          <Input maxLength={60} placeholder="WeChat Channels" />
        </Form.Item>
        <Form.Item
          name="value"
          label={t('field.optionValue')}
          extra={t('field.optionValueHelp')}
          rules={[
            { required: true, pattern: FIELD_NAME, message: t('admin.fieldNameInvalid') },
            { validator: (_, v: string) => (v && taken.has(v.trim()) ? Promise.reject(new Error(t('field.optionTaken'))) : Promise.resolve()) },
          ]}
        >
          <Input maxLength={64} placeholder="shipinhao" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function CustomFieldsPage() {
  const { t, label } = useI18n();
  const { isAdmin } = useAuth();
  const mobile = useIsMobile();
  const schema = useSchema();
  const entities = schema.data?.entities ?? [];
  const [name, setName] = useState<string>('leads');
  const [adding, setAdding] = useState(false);
  const [optionFor, setOptionFor] = useState<FieldDef | null>(null);
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
              f.type === 'reference' ? (
                `→ ${label(entities.find((e) => e.name === f.ref_entity), f.ref_entity)}`
              ) : (
                <span>
                  {(f.options ?? []).map((o) => label(o, o.value)).join(' / ') + (f.readonly ? ` ${t('admin.readonly')}` : '')}
                  {isAdmin && !f.readonly && !f.system && !isColorEnum(f) && (f.type === 'enum' || f.type === 'multi_enum') && (
                    <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setOptionFor(f)} data-testid={`add-option-${f.name}`}>
                      {t('field.addOption')}
                    </Button>
                  )}
                </span>
              ),
          },
        ]}
      />
      <AddFieldModal entity={entity} open={adding} onClose={() => setAdding(false)} />
      {optionFor && <AddOptionModal entity={entity} field={optionFor} onClose={() => setOptionFor(null)} />}
    </div>
  );
}
