// "添加字段": defines a custom field at runtime (POST /api/v1/schema/{entity}/fields). On success
// the schema is refetched, so the new field shows up at once in forms, list columns and filters.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Select, Space, Switch, type ButtonProps } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { EntityDef, FieldOption, FieldType, NewField } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';

export const NEW_FIELD_TYPES: Exclude<FieldType, 'tags'>[] = [
  'text', 'number', 'money', 'date', 'datetime', 'enum', 'multi_enum', 'phone', 'email', 'user', 'reference', 'bool',
];

export const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** "ESG score" → "esg_score": a key suggestion from the English label. */
export function suggestFieldName(labelEn: string): string {
  const s = labelEn.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^[0-9_]+/, '');
  return s.slice(0, 63);
}

interface Values {
  label_zh: string;
  label_en?: string;
  name: string;
  type: Exclude<FieldType, 'tags'>;
  required: boolean;
  options?: FieldOption[];
  ref_entity?: string;
}

/** The request body from the form values: options only for choice types, ref only for references. */
export function toNewField(v: Values): NewField {
  const body: NewField = {
    name: v.name.trim(),
    label_zh: v.label_zh.trim(),
    label_en: (v.label_en ?? '').trim() || v.label_zh.trim(),
    type: v.type,
    required: !!v.required,
  };
  if (v.type === 'enum' || v.type === 'multi_enum') {
    body.options = (v.options ?? []).map((o) => ({
      value: o.value.trim(),
      label_zh: (o.label_zh ?? '').trim() || o.value.trim(),
      label_en: (o.label_en ?? '').trim() || (o.label_zh ?? '').trim() || o.value.trim(),
    }));
  }
  if (v.type === 'reference') body.ref_entity = v.ref_entity;
  return body;
}

export function AddFieldModal({ entity, open, onClose }: { entity: EntityDef; open: boolean; onClose: () => void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const schema = useSchema();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [nameTouched, setNameTouched] = useState(false);
  const type = Form.useWatch('type', form);

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      const field = await endpoints.addField(entity.name, toNewField(v));
      await qc.invalidateQueries({ queryKey: keys.schema });
      // Lists filtered or sorted by the old schema are refetched with the new column.
      await qc.invalidateQueries({ queryKey: keys.entity(entity.name) });
      message.success(t('admin.fieldAdded', { label: label(field, field.name) }));
      form.resetFields();
      setNameTouched(false);
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'label_zh', 'label_en', 'type', 'required', 'options', 'ref_entity']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={`${t('admin.addField')} · ${label(entity, entity.name)}`}
      open={open}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      destroyOnClose
      okButtonProps={{ 'data-testid': 'add-field-submit' } as ButtonProps}
    >
      <Form<Values>
        form={form}
        name="newfield"
        layout="vertical"
        initialValues={{ type: 'text', required: false, options: [] }}
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          if ('label_en' in changed && !nameTouched) form.setFieldsValue({ name: suggestFieldName(changed.label_en ?? '') });
          if ('name' in changed) setNameTouched(true);
        }}
      >
        <Form.Item name="label_zh" label={t('admin.labelZh')} rules={[{ required: true, whitespace: true }]}>
          <Input placeholder="ESG评分" />
        </Form.Item>
        <Form.Item name="label_en" label={t('admin.labelEn')}>
          <Input placeholder="ESG score" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('admin.fieldName')}
          extra={t('admin.fieldNameHelp')}
          rules={[{ required: true }, { pattern: FIELD_NAME, message: t('admin.fieldNameInvalid') }]}
        >
          <Input placeholder="esg_score" autoCapitalize="off" autoCorrect="off" spellCheck={false} />
        </Form.Item>
        <Form.Item name="type" label={t('admin.type')} rules={[{ required: true }]}>
          <Select options={NEW_FIELD_TYPES.map((ty) => ({ value: ty, label: `${t(`type.${ty}`)} (${ty})` }))} />
        </Form.Item>
        <Form.Item name="required" label={t('admin.required')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {(type === 'enum' || type === 'multi_enum') && (
          <Form.List
            name="options"
            rules={[{ validator: async (_r, v: unknown[]) => (v && v.length > 0 ? undefined : Promise.reject(new Error(t('admin.optionsRequired')))) }]}
          >
            {(items, { add, remove }, { errors }) => (
              <Form.Item label={t('admin.options')}>
                {items.map((item) => (
                  <Space key={item.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item name={[item.name, 'value']} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]+$/ }]} noStyle>
                      <Input placeholder={t('admin.optionValue')} style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'label_zh']} rules={[{ required: true }]} noStyle>
                      <Input placeholder={t('admin.labelZh')} style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'label_en']} noStyle>
                      <Input placeholder={t('admin.labelEn')} style={{ width: 110 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(item.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ value: '', label_zh: '', label_en: '' })} icon={<PlusOutlined />}>
                  {t('admin.addOption')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            )}
          </Form.List>
        )}
        {type === 'reference' && (
          <Form.Item name="ref_entity" label={t('admin.refEntity')} rules={[{ required: true }]}>
            <Select options={(schema.data?.entities ?? []).map((e) => ({ value: e.name, label: label(e, e.name) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
