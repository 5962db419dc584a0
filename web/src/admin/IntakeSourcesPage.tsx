// Admin → 进线入口 (L1 multi-channel capture): one intake source per channel. Creating one (or
// rotating its key) shows the key ONCE; while this page is open the key also fills in the
// intake URL, curl example, website embed code and the trade-show QR code (which opens the
// public mobile form /intake/:sourceId?key=…). Each source names its 目标公海 (pool_id, null = the
// default pool): its leads' home pool, where one no assignment rule takes waits to be claimed; it
// is chosen on create and changed, with the name, 首触动作 and 启用, in the edit dialog. Needs the
// intake.manage permission.
import { EditOutlined, InboxOutlined, KeyOutlined, PlusOutlined, WarningFilled } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Form, Input, Modal, Popconfirm, Result, Select, Skeleton, Space, Switch, Tabs, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useEntity, usePools } from '../api/queries';
import type { IntakeSource, IntakeSourcePatch, NewIntakeSource } from '../api/types';
import { useApiError } from '../api/useApiError';
import { CopyButton } from '../app/CopyButton';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { findField } from '../records/schema';
import { absoluteIntakeUrl, curlExample, embedSnippet, mobileFormUrl } from './intakeSnippets';
import { QrCode } from './QrCode';
import { DEFAULT_POOL_VALUE, poolBodyValue, poolFormValue, poolOptions, sourcePoolName } from './intakePools';

export default function IntakeSourcesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('intake.manage')) return <Result status="403" title={t('intake.noPermission')} />;
  return <IntakeSources />;
}

function Code({ text, testId }: { text: string; testId: string }) {
  return (
    <div style={{ position: 'relative' }}>
      <pre
        data-testid={testId}
        style={{ margin: 0, padding: '10px 12px', paddingRight: 96, background: '#0f172a', color: '#e2e8f0', borderRadius: 8, fontSize: 12, lineHeight: 1.5, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 320, overflow: 'auto' }}
      >
        {text}
      </pre>
      <CopyButton text={text} size="small" style={{ position: 'absolute', top: 6, right: 6 }} data-testid={`${testId}-copy`} />
    </div>
  );
}

function IntakeSources() {
  const { t, label } = useI18n();
  const showError = useApiError();
  const qc = useQueryClient();
  const { entity: leads } = useEntity('leads');
  const list = useQuery({ queryKey: keys.intakeSources, queryFn: endpoints.intakeSources, select: (d) => d.items });
  // Keys seen on this page (create / rotate): in memory only, never stored.
  const [knownKeys, setKnownKeys] = useState<Record<string, string>>({});
  const [shownKey, setShownKey] = useState<IntakeSource | null>(null);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<NewIntakeSource>();
  const pools = usePools();
  const [editing, setEditing] = useState<IntakeSource | null>(null);
  const [editForm] = Form.useForm<EditValues>();
  const poolChoices = (current?: string | null) =>
    poolOptions(pools.data, current, { defaultPool: t('intake.defaultPool'), disabled: (name) => t('intake.poolDisabled', { pool: name }) });

  const optionLabel = (field: string, value: string | null | undefined) => {
    if (!value) return '';
    const o = leads ? findField(leads, field)?.options?.find((x) => x.value === value) : undefined;
    return label(o, value);
  };
  const channelOptions = useMemo(() => (leads ? findField(leads, 'channel')?.options ?? [] : []).map((o) => ({ value: o.value, label: label(o, o.value) })), [leads, label]);
  const touchOptions = useMemo(() => (leads ? findField(leads, 'first_touch')?.options ?? [] : []).map((o) => ({ value: o.value, label: label(o, o.value) })), [leads, label]);

  const gotKey = (source: IntakeSource) => {
    if (source.key) setKnownKeys((k) => ({ ...k, [source.id]: source.key as string }));
    setShownKey(source);
    void qc.invalidateQueries({ queryKey: keys.intakeSources });
  };

  const create = async (values: NewIntakeSource) => {
    setSaving(true);
    try {
      const pool = poolBodyValue(values.pool_id);
      const body: NewIntakeSource = {
        name: values.name.trim(),
        channel: values.channel,
        ...(values.first_touch ? { first_touch: values.first_touch } : {}),
        ...(pool ? { pool_id: pool } : {}),
      };
      const created = await endpoints.createIntakeSource(body);
      setCreating(false);
      form.resetFields();
      gotKey(created);
    } catch (e) {
      showError(e, form, ['name', 'channel', 'first_touch', 'pool_id']);
    } finally {
      setSaving(false);
    }
  };

  const openEdit = (source: IntakeSource) => {
    setEditing(source);
    // The dialog stays mounted between sources: start from empty, then this source's values.
    editForm.resetFields();
    editForm.setFieldsValue({ name: source.name, first_touch: source.first_touch ?? undefined, pool_id: poolFormValue(source.pool_id), enabled: source.enabled });
  };

  const update = async (values: EditValues) => {
    if (!editing) return;
    setSaving(true);
    try {
      const body: IntakeSourcePatch = { name: values.name.trim(), first_touch: values.first_touch || null, pool_id: poolBodyValue(values.pool_id), enabled: values.enabled };
      await endpoints.updateIntakeSource(editing.id, body);
      setEditing(null);
      void qc.invalidateQueries({ queryKey: keys.intakeSources });
    } catch (e) {
      showError(e, editForm, ['name', 'first_touch', 'pool_id', 'enabled']);
    } finally {
      setSaving(false);
    }
  };

  const rotate = async (source: IntakeSource) => {
    try {
      gotKey(await endpoints.rotateIntakeKey(source.id));
    } catch (e) {
      showError(e);
    }
  };

  // Newest first (ids are time-ordered UUIDv7): a source just created is at the top.
  const sources = useMemo(() => [...(list.data ?? [])].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)), [list.data]);
  return (
    <div data-testid="intake-sources" style={{ maxWidth: 980 }}>
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <div style={{ flex: 1, minWidth: 200 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('intake.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('intake.subtitle')}</Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="intake-new">
          {t('intake.new')}
        </Button>
      </div>

      {list.isLoading ? (
        <Skeleton active />
      ) : sources.length === 0 ? (
        <Card>
          <Empty description={t('intake.empty')} />
        </Card>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {sources.map((s) => (
            <SourceCard
              key={s.id}
              source={s}
              secret={knownKeys[s.id]}
              channelLabel={optionLabel('channel', s.channel)}
              touchLabel={optionLabel('first_touch', s.first_touch)}
              poolName={sourcePoolName(pools.data, s.pool_id, t('intake.defaultPool'))}
              onRotate={() => void rotate(s)}
              onEdit={() => openEdit(s)}
            />
          ))}
        </Space>
      )}

      <Modal
        title={t('intake.new')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'intake-create-submit' }}
        destroyOnClose
      >
        <Form<NewIntakeSource> form={form} name="intake_new" layout="vertical" onFinish={(v) => void create(v)} initialValues={{ channel: 'douyin_form', pool_id: DEFAULT_POOL_VALUE }} preserve={false}>
          <Form.Item name="name" label={t('intake.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input placeholder={t('intake.namePlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name="channel" label={t('intake.channel')} rules={[{ required: true }]}>
            <Select options={channelOptions} />
          </Form.Item>
          <Form.Item name="first_touch" label={t('intake.firstTouch')}>
            <Select options={touchOptions} allowClear placeholder={t('common.optional')} />
          </Form.Item>
          <Form.Item name="pool_id" label={t('intake.pool')} extra={t('intake.poolHelp')}>
            <Select options={poolChoices()} loading={pools.isLoading} data-testid="intake-pool" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('intake.editTitle')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => editForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'intake-edit-submit' }}
        forceRender
      >
        <Form<EditValues> form={editForm} name="intake_edit" layout="vertical" onFinish={(v) => void update(v)}>
          <Form.Item name="name" label={t('intake.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label={t('intake.channel')}>
            <Tag color="blue">{editing ? optionLabel('channel', editing.channel) : ''}</Tag>
          </Form.Item>
          <Form.Item name="first_touch" label={t('intake.firstTouch')}>
            <Select options={touchOptions} allowClear placeholder={t('common.optional')} />
          </Form.Item>
          <Form.Item name="pool_id" label={t('intake.pool')} extra={t('intake.poolHelp')}>
            <Select options={poolChoices(editing?.pool_id)} loading={pools.isLoading} data-testid="intake-edit-pool" />
          </Form.Item>
          <Form.Item name="enabled" label={t('intake.enabled')} valuePropName="checked">
            <Switch data-testid="intake-edit-enabled" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={
          <span>
            <WarningFilled style={{ color: '#d97706' }} /> {t('intake.keyTitle')}
          </span>
        }
        open={!!shownKey}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setShownKey(null)} data-testid="intake-key-done">
            {t('intake.keyCopied')}
          </Button>
        }
      >
        {shownKey && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon message={t('intake.keyWarning')} />
            <Typography.Text strong>
              {shownKey.name} · {t('intake.keyLabel')}
            </Typography.Text>
            <Space.Compact style={{ width: '100%' }}>
              <Input readOnly value={shownKey.key} style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }} data-testid="intake-key" onFocus={(e) => e.target.select()} />
              <CopyButton text={shownKey.key ?? ''} type="primary" data-testid="intake-key-copy" />
            </Space.Compact>
          </Space>
        )}
      </Modal>
    </div>
  );
}

/** The edit dialog's values (pool_id: a pool's id or DEFAULT_POOL_VALUE). */
interface EditValues {
  name: string;
  first_touch?: string | null;
  pool_id: string;
  enabled: boolean;
}

function SourceCard({
  source,
  secret,
  channelLabel,
  touchLabel,
  poolName,
  onRotate,
  onEdit,
}: {
  source: IntakeSource;
  secret?: string;
  channelLabel: string;
  touchLabel: string;
  poolName: string;
  onRotate: () => void;
  onEdit: () => void;
}) {
  const { t, lang } = useI18n();
  const mobile = useIsMobile();
  const origin = window.location.origin;
  const url = absoluteIntakeUrl(origin, source.intake_url);
  const keyText = secret ?? t('intake.keyPlaceholder');
  const formUrl = secret ? mobileFormUrl(origin, source.id, secret) : null;
  const needKey = !secret && <Alert type="info" showIcon message={t('intake.needKey')} style={{ marginBottom: 8 }} />;
  return (
    <Card
      size="small"
      data-testid="intake-source"
      data-id={source.id}
      title={
        <Space wrap size={6}>
          <span data-testid="intake-source-name">{source.name}</span>
          <Tag color="blue">{channelLabel}</Tag>
          {touchLabel && <Tag>{touchLabel}</Tag>}
          <Tag icon={<InboxOutlined />} color="geekblue" data-testid="intake-source-pool" data-pool-id={source.pool_id ?? ''}>
            {t('intake.poolTag', { pool: poolName })}
          </Tag>
          {!source.enabled && <Tag color="default">{t('intake.disabled')}</Tag>}
        </Space>
      }
      extra={
        <Space size={4}>
          {!mobile && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <KeyOutlined /> {t('intake.keyHint', { hint: source.key_hint })}
            </Typography.Text>
          )}
          <Button size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="intake-edit" aria-label={t('common.edit')}>
            {mobile ? null : t('common.edit')}
          </Button>
          <Popconfirm title={t('intake.rotateConfirm')} onConfirm={onRotate} okText={t('intake.rotate')} cancelText={t('common.cancel')} overlayStyle={{ maxWidth: 320 }}>
            <Button size="small" data-testid="intake-rotate">
              {t('intake.rotate')}
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      <Tabs
        size="small"
        defaultActiveKey={secret ? 'qr' : 'url'}
        items={[
          {
            key: 'url',
            label: t('intake.url'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Code text={url} testId="intake-url" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  X-Intake-Key · ?key= · {t('intake.keyHint', { hint: source.key_hint })}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: 'curl',
            label: t('intake.curl'),
            children: (
              <>
                {needKey}
                <Code text={curlExample(url, keyText)} testId="intake-curl" />
              </>
            ),
          },
          {
            key: 'embed',
            label: t('intake.embed'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                {needKey}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('intake.embedHelp')}
                </Typography.Text>
                <Code text={embedSnippet(url, keyText, source.id, lang)} testId="intake-embed" />
              </Space>
            ),
          },
          {
            key: 'qr',
            label: t('intake.qr'),
            children: formUrl ? (
              <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
                <QrCode text={formUrl} fileName={`leadflow-${source.name}.png`} />
                <Space direction="vertical" style={{ flex: '1 1 240px', minWidth: 0 }}>
                  <Typography.Text type="secondary">{t('intake.qrHelp', { channel: channelLabel })}</Typography.Text>
                  <Typography.Text strong>{t('intake.mobileUrl')}</Typography.Text>
                  <Typography.Link href={formUrl} target="_blank" rel="noopener" data-testid="intake-mobile-url" style={{ wordBreak: 'break-all' }}>
                    {formUrl}
                  </Typography.Link>
                  <CopyButton text={formUrl} size="small" data-testid="intake-mobile-url-copy" />
                </Space>
              </div>
            ) : (
              needKey
            ),
          },
        ]}
      />
    </Card>
  );
}
