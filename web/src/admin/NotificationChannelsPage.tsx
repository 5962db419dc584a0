// Admin → 通知渠道 (/admin/notification-channels, notify.manage): DingTalk / WeCom robots, SMTP
// email and outbound webhooks — add, edit (a blank secret keeps the stored one; secrets are never
// shown), enable/disable, default per kind, send a test message and see its delivery; and the
// outbound allow-list (internal addresses are refused unless listed: SSRF protection).
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Form, Input, Result, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys, useChannels } from '../api/queries';
import type { Delivery, NotificationChannel } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { channelLabel } from '../automation/ruleText';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { CHANNEL_KINDS, CONFIG_FIELDS, channelBody, channelToForm, fieldPath, parseAllow, secretSet, type ChannelForm } from './channels';

export const DELIVERY_COLOR: Record<string, string> = { delivered: 'green', pending: 'blue', retrying: 'orange', dead: 'red' };

export default function NotificationChannelsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('notify.manage')) return <Result status="403" title={t('channels.noPermission')} />;
  return <Channels />;
}

function Channels() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const showError = useApiError();
  const { message } = App.useApp();
  const channels = useChannels();
  const [editing, setEditing] = useState<NotificationChannel | 'new' | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [lastTest, setLastTest] = useState<{ channel: string; delivery: Delivery } | null>(null);

  const toggle = async (c: NotificationChannel, enabled: boolean) => {
    try {
      await endpoints.updateChannel(c.id, { enabled });
      await qc.invalidateQueries({ queryKey: keys.channels });
    } catch (e) {
      showError(e);
    }
  };
  const test = async (c: NotificationChannel) => {
    setTesting(c.id);
    try {
      const d = await endpoints.testChannel(c.id);
      setLastTest({ channel: c.name, delivery: d });
      if (d.status === 'delivered') void message.success(t('channels.testOk'));
      else void message.warning(t('channels.testNotYet', { status: t(`delivery.${d.status}` as MessageKey) }));
    } catch (e) {
      showError(e);
    } finally {
      setTesting(null);
    }
  };

  return (
    <div data-testid="channels-page" style={{ maxWidth: 1100 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('channels.title')}
        </Typography.Title>
        <Link to="/admin/deliveries">{t('deliveries.title')}</Link>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="channel-new">
          {t('channels.new')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('channels.subtitle')}</Typography.Paragraph>
      {channels.error ? (
        <Result status="warning" title={isApiError(channels.error) ? channels.error.detail : t('error.network')} />
      ) : (
        <Table<NotificationChannel>
          rowKey="id"
          size="small"
          loading={channels.isLoading}
          dataSource={channels.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('channels.empty') }}
          onRow={(c) => ({ 'data-testid': 'channel-row', 'data-id': c.id }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'name',
              title: t('channels.name'),
              render: (_, c) => (
                <Space>
                  <a onClick={() => setEditing(c)}>{c.name}</a>
                  {c.is_default && <Tag color="blue">{t('channels.default')}</Tag>}
                </Space>
              ),
            },
            { key: 'kind', title: t('channels.kind'), width: 100, render: (_, c) => channelLabel(c.kind, lang) },
            ...(mobile
              ? []
              : [
                  {
                    key: 'target',
                    title: t('channels.target'),
                    render: (_: unknown, c: NotificationChannel) => (
                      <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                        {String(c.config.url ?? c.config.smtp_url ?? '')}
                      </Typography.Text>
                    ),
                  },
                ]),
            { key: 'enabled', title: t('channels.enabled'), width: 80, render: (_, c) => <Switch size="small" checked={c.enabled} onChange={(v) => void toggle(c, v)} data-testid="channel-enabled" /> },
            {
              key: 'test',
              title: '',
              width: 110,
              render: (_, c) => (
                <Button size="small" icon={<SendOutlined />} loading={testing === c.id} onClick={() => void test(c)} disabled={!c.enabled} data-testid="channel-test">
                  {t('channels.test')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {lastTest && (
        <Alert
          style={{ marginTop: 12 }}
          type={lastTest.delivery.status === 'delivered' ? 'success' : lastTest.delivery.status === 'dead' ? 'error' : 'warning'}
          showIcon
          closable
          onClose={() => setLastTest(null)}
          data-testid="channel-test-result"
          message={`${lastTest.channel}: ${t(`delivery.${lastTest.delivery.status}` as MessageKey)}`}
          description={
            <span>
              {lastTest.delivery.last_error ? `${lastTest.delivery.last_error} · ` : ''}
              {lastTest.delivery.response_code ? `HTTP ${lastTest.delivery.response_code} · ` : ''}
              {lastTest.delivery.latency_ms !== null && lastTest.delivery.latency_ms !== undefined ? `${lastTest.delivery.latency_ms} ms · ` : ''}
              <Link to={`/admin/deliveries?channel_id=${lastTest.delivery.channel_id}`}>{t('deliveries.title')}</Link>
            </span>
          }
        />
      )}
      <OutboundCard />
      <Drawer open={!!editing} onClose={() => setEditing(null)} width={mobile ? '100%' : 520} title={editing === 'new' ? t('channels.new') : t('channels.edit')} destroyOnClose>
        {editing && <ChannelEditor channel={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      </Drawer>
    </div>
  );
}

function ChannelEditor({ channel, onDone }: { channel?: NotificationChannel; onDone: () => void }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChannelForm>();
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'dingtalk';
  const [saving, setSaving] = useState(false);
  const initial: ChannelForm = channel ? channelToForm(channel) : { kind: 'dingtalk', name: '', enabled: true, is_default: false, config: {} };

  const submit = async (v: ChannelForm) => {
    setSaving(true);
    try {
      const body = channelBody({ ...initial, ...v, config: { ...v.config } }, channel);
      if (channel) await endpoints.updateChannel(channel.id, body);
      else await endpoints.createChannel(body);
      void message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: keys.channels });
      onDone();
    } catch (e) {
      if (isApiError(e) && e.field) form.setFields([{ name: fieldPath(e.field) as never, errors: [e.detail] }]);
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<ChannelForm> form={form} name="channel" layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} data-testid="channel-form">
      <Form.Item name="kind" label={t('channels.kind')} rules={[{ required: true }]}>
        <Select disabled={!!channel} options={CHANNEL_KINDS.map((k) => ({ value: k, label: channelLabel(k, lang) }))} data-testid="channel-kind" />
      </Form.Item>
      <Form.Item name="name" label={t('channels.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input data-testid="channel-name" />
      </Form.Item>
      {CONFIG_FIELDS[kind as keyof typeof CONFIG_FIELDS].map((f) => (
        <Form.Item
          key={`${kind}-${f.key}`}
          name={['config', f.key]}
          label={t(`channels.cfg.${f.key}` as MessageKey)}
          rules={f.required && !channel ? [{ required: true, whitespace: true }] : undefined}
          extra={f.secret ? (secretSet(channel, f.key) ? t('channels.secretKept') : t('channels.secretNone')) : f.key === 'to' ? t('channels.toHint') : undefined}
        >
          {f.secret ? <Input.Password autoComplete="new-password" placeholder={f.placeholder} data-testid={`channel-cfg-${f.key}`} /> : <Input placeholder={f.placeholder} data-testid={`channel-cfg-${f.key}`} />}
        </Form.Item>
      ))}
      <Space size={24}>
        <Form.Item name="enabled" label={t('channels.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="is_default" label={t('channels.isDefault')} valuePropName="checked" tooltip={t('channels.defaultHint')}>
          <Switch />
        </Form.Item>
      </Space>
      <Space>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="channel-save">
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

function OutboundCard() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const outbound = useQuery({ queryKey: keys.outbound, queryFn: endpoints.outbound });
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (outbound.data) setText(outbound.data.allow.join('\n'));
  }, [outbound.data]);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await endpoints.updateOutbound({ allow: parseAllow(text) });
      void message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: keys.outbound });
    } catch (e) {
      if (isApiError(e)) setError(e.detail);
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('outbound.title')} style={{ marginTop: 16 }} data-testid="outbound-card">
      <Typography.Paragraph type="secondary">{t('outbound.subtitle')}</Typography.Paragraph>
      {outbound.error ? (
        <Alert type="warning" showIcon message={isApiError(outbound.error) ? outbound.error.detail : t('error.network')} />
      ) : (
        <>
          <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} placeholder={'127.0.0.1\n10.0.0.0/8\nhooks.intra.example'} status={error ? 'error' : undefined} style={{ fontFamily: 'monospace' }} data-testid="outbound-allow" />
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
          <div style={{ marginTop: 8 }}>
            <Button onClick={() => void save()} loading={saving} data-testid="outbound-save">
              {t('common.save')}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}

