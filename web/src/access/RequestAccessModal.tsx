// 申请查看: asks to see masked fields of one record, with a purpose (公安备案 / 质量追溯 / 招投标 /
// 其他 + text), an approver (直属上级, 部门负责人 or a named person) and hours → POST /access-requests.
import { App, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useUsers } from '../api/queries';
import type { EntityDef, RecordData } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { accessRequestBody, PURPOSES, purposeLabel, type AccessRequestForm } from './rights';

export function RequestAccessModal({ entity, record, fields, open, onClose }: { entity: EntityDef; record: RecordData; fields: string[]; open: boolean; onClose: () => void }) {
  const { t, label, lang } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUsers();
  const [form] = Form.useForm<AccessRequestForm>();
  const purpose = Form.useWatch('purpose', form);
  const approver = Form.useWatch('approver', form);
  const [busy, setBusy] = useState(false);
  const masked = record._masked ?? [];
  const fieldLabel = (name: string) => label(entity.fields.find((f) => f.name === name), name);

  const submit = async (values: AccessRequestForm) => {
    const body = accessRequestBody(entity.name, record.id, values);
    if ('missing' in body) return;
    setBusy(true);
    try {
      await endpoints.createAccessRequest(body);
      message.success(t('request.sent'));
      void qc.invalidateQueries({ queryKey: keys.accessRequests });
      onClose();
    } catch (e) {
      showError(e, form, ['fields', 'purpose', 'purpose_text', 'approver', 'hours']);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('request.title')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'request-submit' } as Record<string, string>}
      destroyOnClose
    >
      <Form<AccessRequestForm>
        form={form}
        name="request"
        layout="vertical"
        preserve={false}
        initialValues={{ fields: fields.length ? fields : masked, purpose: undefined, approver: 'manager', hours: 24 }}
        onFinish={(v) => void submit(v)}
        data-testid="request-form"
      >
        <Form.Item name="fields" label={t('request.fields')} rules={[{ required: true }]}>
          <Select mode="multiple" options={masked.map((f) => ({ value: f, label: fieldLabel(f) }))} />
        </Form.Item>
        <Form.Item name="purpose" label={t('request.purpose')} rules={[{ required: true, message: t('request.purpose') }]}>
          <Select options={PURPOSES.map((p) => ({ value: p, label: purposeLabel(p, lang) }))} />
        </Form.Item>
        {purpose === 'other' && (
          <Form.Item name="purpose_text" label={t('request.purposeText')} rules={[{ required: true, whitespace: true, message: t('request.purposeTextRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
          </Form.Item>
        )}
        <Form.Item name="approver" label={t('request.approver')} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'manager', label: <span data-testid="approver-manager">{t('request.manager')}</span> },
              { value: 'department_head', label: <span data-testid="approver-head">{t('request.departmentHead')}</span> },
              { value: 'user', label: <span data-testid="approver-named">{t('request.named')}</span> },
            ]}
          />
        </Form.Item>
        {approver === 'user' && (
          <Form.Item name="approver_id" label={t('request.person')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(users.data ?? []).filter((u) => u.id !== me?.user.id && u.status !== 'disabled').map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="hours" label={t('request.hours')} rules={[{ required: true }]}>
          <InputNumber min={1} max={720} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
