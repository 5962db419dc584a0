// Admin → 线索设置: the 查重时间窗 (dedup window, 1–720 h): the same phone or WeChat ID coming in
// again within it counts once (a touch on the existing lead). Anyone may read it; changing it
// needs settings.manage.
import { App, Button, Card, Form, InputNumber, Skeleton, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { LeadSettings } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';

export default function LeadSettingsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<LeadSettings>();
  const [saving, setSaving] = useState(false);
  const settings = useQuery({ queryKey: keys.leadSettings, queryFn: endpoints.leadSettings });
  const editable = can('settings.manage');

  const save = async (v: LeadSettings) => {
    setSaving(true);
    try {
      qc.setQueryData(keys.leadSettings, await endpoints.updateLeadSettings({ dedup_window_hours: v.dedup_window_hours }));
      message.success(t('common.saved'));
    } catch (e) {
      showError(e, form, ['dedup_window_hours']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="lead-settings" style={{ maxWidth: 640 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('leadSettings.title')}
      </Typography.Title>
      <Card size="small">
        {settings.isLoading || !settings.data ? (
          <Skeleton active paragraph={{ rows: 2 }} />
        ) : (
          <Form<LeadSettings> form={form} name="lead_settings" layout="vertical" initialValues={settings.data} onFinish={(v) => void save(v)} disabled={!editable}>
            <Form.Item
              name="dedup_window_hours"
              label={t('leadSettings.dedupWindow')}
              extra={t('leadSettings.dedupHelp')}
              rules={[{ required: true, type: 'integer', min: 1, max: 720 }]}
            >
              <InputNumber min={1} max={720} precision={0} addonAfter={t('leadSettings.hours')} style={{ width: 200 }} data-testid="dedup-window" />
            </Form.Item>
            {editable ? (
              <Button type="primary" htmlType="submit" loading={saving} data-testid="lead-settings-save">
                {t('common.save')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('leadSettings.readOnly')}</Typography.Text>
            )}
          </Form>
        )}
      </Card>
    </div>
  );
}
