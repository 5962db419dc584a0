// 邀请协作: opens one record to a colleague for some hours, read-only or read-write, optionally with
// its follow-ups (relations ["activities"]) → POST /grants. It expires by itself; the owner can revoke.
import { App, Checkbox, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useUsers } from '../api/queries';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { grantBody, type InviteForm } from './rights';

export function InviteModal({ entity, recordId, withFollowUps, open, onClose }: { entity: string; recordId: string; withFollowUps: boolean; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUsers();
  const [form] = Form.useForm<InviteForm>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: InviteForm) => {
    setBusy(true);
    try {
      const grant = await endpoints.createGrant(grantBody(entity, recordId, values));
      const name = users.data?.find((u) => u.id === grant.grantee_id)?.name ?? '';
      message.success(t('grant.sent', { name, hours: values.hours }));
      void qc.invalidateQueries({ queryKey: keys.grants });
      onClose();
    } catch (e) {
      showError(e, form, ['grantee_id', 'mode', 'hours', 'reason']);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('grant.title')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('grant.invite')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'invite-submit' } as Record<string, string>}
      destroyOnClose
    >
      <Form<InviteForm>
        form={form}
        name="invite"
        layout="vertical"
        preserve={false}
        initialValues={{ mode: 'read', hours: 72, include_followups: withFollowUps }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="grantee_id" label={t('grant.colleague')} rules={[{ required: true, message: t('grant.colleague') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={(users.data ?? []).filter((u) => u.id !== me?.user.id && u.status !== 'disabled').map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item name="mode" label={t('grant.mode')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'read', label: t('grant.read') },
              { value: 'write', label: t('grant.write') },
            ]}
          />
        </Form.Item>
        <Form.Item name="hours" label={t('grant.hours')} rules={[{ required: true }]}>
          <InputNumber min={1} max={720} precision={0} style={{ width: 140 }} />
        </Form.Item>
        {withFollowUps && (
          <Form.Item name="include_followups" valuePropName="checked">
            <Checkbox data-testid="invite-followups">{t('grant.followups')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('grant.reason')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
