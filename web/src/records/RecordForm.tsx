// A create/edit form built entirely from entity metadata: one control per editable field,
// required marks from `required`, labels in the UI language. The caller turns the submitted
// values into a POST or PATCH body (values.ts) and reports errors back through `form`. A field that
// only an action changes (`changed_by`, a lead's owner: 分配) is a control on create and shown
// read-only on edit.
import { Button, Collapse, Form, Space, Typography, type FormInstance } from 'antd';
import { useEffect, useMemo, type ReactNode } from 'react';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { FieldDisplay } from './FieldDisplay';
import { FieldInput } from './FieldInput';
import { changedByAction, editableFields } from './schema';
import { recordToForm, type FormValue } from './values';

export interface RecordFormProps {
  entity: EntityDef;
  /** The record being edited; absent for a new record. */
  record?: RecordData;
  /** Initial values for a new record, as form values (e.g. a reference from the URL). */
  defaults?: Record<string, FormValue>;
  /** Limit to these fields (in this order); default every editable field. */
  only?: string[];
  submitting?: boolean;
  submitLabel?: string;
  onSubmit: (values: Record<string, FormValue>, form: FormInstance) => void;
  onCancel?: () => void;
  /** The form's name; control ids are `${name}_${field}`. */
  name?: string;
  form?: FormInstance;
  /**
   * Shown under a field's control (e.g. the duplicate check under phone / company), or under a
   * read-only one on edit (e.g. 分配 by the owner).
   */
  fieldExtra?: (field: FieldDef) => ReactNode;
  /** Fields placed in a folded section titled `fold.title` (e.g. 广告归因), still submitted. */
  fold?: { title: string; test: (field: FieldDef) => boolean };
  /** Shown inside the form after the fields, before the buttons (e.g. a lead's 归属公海). */
  after?: ReactNode;
  /** The submit button cannot be pressed (e.g. manual entry of leads is switched off). */
  submitDisabled?: boolean;
}

export function RecordForm({ entity, record, defaults, only, submitting, submitLabel, onSubmit, onCancel, name = 'record', form: external, fieldExtra, fold, after, submitDisabled }: RecordFormProps) {
  const { t, label } = useI18n();
  const [own] = Form.useForm();
  const form = external ?? own;
  const fields = useMemo<FieldDef[]>(() => {
    const all = editableFields(entity);
    if (!only) return all;
    return only.map((n) => all.find((f) => f.name === n)).filter((f): f is FieldDef => !!f);
  }, [entity, only]);
  const initial = useMemo(() => ({ ...recordToForm(entity, record), ...defaults }), [entity, record, defaults]);

  // A field added to the schema while the form is open appears with its empty value.
  useEffect(() => {
    const missing: Record<string, FormValue> = {};
    for (const f of fields) if (form.getFieldValue(f.name) === undefined && initial[f.name] !== undefined) missing[f.name] = initial[f.name];
    if (Object.keys(missing).length) form.setFieldsValue(missing);
  }, [fields, form, initial]);

  const folded = useMemo(() => (fold ? fields.filter((f) => fold.test(f) && !f.required) : []), [fields, fold]);
  const item = (f: FieldDef) =>
    record && changedByAction(f) ? (
      // No `name`: not part of the form's values, so never in the PATCH (the server refuses it).
      <Form.Item
        key={f.name}
        label={label(f, f.name)}
        extra={
          <Space size={8} wrap>
            <span>{f.changed_by === 'assign' ? t('records.changedByAssign') : t('records.changedByAction', { action: f.changed_by ?? '' })}</span>
            {fieldExtra?.(f)}
          </Space>
        }
      >
        <Typography.Text data-testid={`readonly-${f.name}`}>
          <FieldDisplay field={f} value={record[f.name]} />
        </Typography.Text>
      </Form.Item>
    ) : (
      <Form.Item
        key={f.name}
        name={f.name}
        label={label(f, f.name)}
        valuePropName={f.type === 'bool' ? 'checked' : 'value'}
        extra={fieldExtra?.(f)}
        rules={[
          ...(f.required ? [{ required: true, message: `${label(f, f.name)} · ${t('records.requiredMark')}` }] : []),
          ...(f.type === 'email' ? [{ type: 'email' as const, message: t('auth.emailInvalid') }] : []),
        ]}
      >
        <FieldInput field={f} />
      </Form.Item>
    );

  return (
    <Form
      form={form}
      name={name}
      layout="vertical"
      initialValues={initial}
      onFinish={(values: Record<string, FormValue>) => onSubmit(values, form)}
      scrollToFirstError
      requiredMark
      data-testid={`${name}-form`}
    >
      {fields.filter((f) => !folded.includes(f)).map(item)}
      {folded.length > 0 && fold && (
        <Collapse
          ghost
          size="small"
          style={{ marginBottom: 16, marginInline: -16 }}
          items={[{ key: 'fold', label: fold.title, forceRender: true, children: folded.map(item) }]}
          data-testid={`${name}-fold`}
        />
      )}
      {after}
      <Form.Item style={{ marginBottom: 0 }}>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting} disabled={submitDisabled} data-testid={`${name}-submit`}>
            {submitLabel ?? t('common.save')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        </Space>
      </Form.Item>
    </Form>
  );
}
