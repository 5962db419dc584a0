// Admin → 公海规则 (L11): per pool the claim rules (daily quota per person, cooldown before the
// previous owner may claim again, holding caps per person / department) and the reclaim rules
// (N calendar days without follow-up or without an opportunity, warning M days ahead); a preview
// of the leads due now and soon, and a reclaim run; 允许手工录入 (off = 关闭手工录入: the pool's leads
// come only through intake sources and imports). Needs pools.manage.
import { PlusOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Result, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, keys, usePools, useUserMap } from '../api/queries';
import type { Pool, ReclaimItem } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { formatDateTime } from '../records/values';
import { describeRules, rulesBody, rulesForm, type RuleKey, type RuleValues } from '../pools/poolRules';

const RULE_UNIT: Record<RuleKey, MessageKey> = {
  daily_claim_quota: 'poolRules.unit.perDay',
  cooldown_days: 'poolRules.unit.days',
  hold_cap_person: 'poolRules.unit.leads',
  hold_cap_department: 'poolRules.unit.leads',
  reclaim_days_without_followup: 'poolRules.unit.days',
  reclaim_days_without_opportunity: 'poolRules.unit.days',
  warn_days_ahead: 'poolRules.unit.days',
};

export default function PoolRulesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const pools = usePools();
  const [creating, setCreating] = useState(false);
  if (!can('pools.manage')) return <Result status="403" title={t('poolRules.noPermission')} />;
  return (
    <div data-testid="pool-rules-page" style={{ maxWidth: 1040 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('poolRules.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pool-new">
          {t('poolRules.new')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('poolRules.subtitle')}</Typography.Paragraph>
      {pools.isLoading ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          {(pools.data ?? []).map((p) => (
            <PoolCard key={p.id} pool={p} />
          ))}
        </Space>
      )}
      <NewPoolModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function NewPoolModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ name: string; description?: string; manual_entry: boolean }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      // Manual entry is on unless the rule says false: only a switched-off pool sends the rule.
      await endpoints.createPool({ name: v.name.trim(), description: v.description?.trim() || null, ...(v.manual_entry === false ? { rules: { manual_entry: false } } : {}) });
      message.success(t('common.created'));
      await qc.invalidateQueries({ queryKey: keys.pools });
      form.resetFields();
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'description']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('poolRules.new')} open={open} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('common.create')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical" name="pool_new" initialValues={{ manual_entry: true }}>
        <Form.Item name="name" label={t('poolRules.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input placeholder={t('poolRules.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="description" label={t('poolRules.description')}>
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
        <ManualEntrySwitch />
      </Form>
    </Modal>
  );
}

function PoolCard({ pool }: { pool: Pool }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const mobile = useIsMobile();
  const users = useUserMap();
  const [form] = Form.useForm<RuleValues>();
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [showPreview, setShowPreview] = useState(false);
  const preview = useQuery({ queryKey: keys.reclaimPreview(pool.id), queryFn: () => endpoints.reclaimPreview(pool.id), enabled: showPreview });
  const [running, setRunning] = useState(false);

  const save = async () => {
    const v = form.getFieldsValue();
    setSaving(true);
    try {
      await endpoints.updatePool(pool.id, { rules: rulesBody(v) });
      message.success(t('common.saved'));
      setDirty(false);
      await Promise.all([qc.invalidateQueries({ queryKey: keys.pools })]);
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  const toggle = async (enabled: boolean) => {
    try {
      await endpoints.updatePool(pool.id, { enabled });
      await qc.invalidateQueries({ queryKey: keys.pools });
    } catch (e) {
      showError(e);
    }
  };
  const reclaim = async () => {
    setRunning(true);
    try {
      const r = await endpoints.reclaim(pool.id);
      message.success(t('poolRules.reclaimed', { n: r.reclaimed }));
      await Promise.all([qc.invalidateQueries({ queryKey: keys.pools }), invalidateEntity(qc, 'leads')]);
    } catch (e) {
      showError(e);
    } finally {
      setRunning(false);
    }
  };
  const itemColumns = [
    { key: 'name', title: t('poolRules.lead'), render: (_: unknown, r: ReclaimItem) => <Link to={`/leads/${encodeURIComponent(r.id)}`}>{r.name || r.id.slice(0, 8)}</Link> },
    { key: 'owner', title: t('poolRules.owner'), width: 110, render: (_: unknown, r: ReclaimItem) => users.get(r.owner_id)?.name ?? r.owner_id.slice(0, 8) },
    { key: 'last', title: t('poolRules.lastActivity'), width: 170, render: (_: unknown, r: ReclaimItem) => formatDateTime(r.last_activity_at) },
  ];
  const p = preview.data;

  return (
    <Card
      size="small"
      data-testid="pool-card"
      data-id={pool.id}
      title={
        <Space wrap size={6}>
          <span>{pool.name}</span>
          {pool.is_default && <Tag color="blue">{t('poolRules.default')}</Tag>}
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('poolRules.leadCount', { n: pool.lead_count ?? 0 })}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space size={6}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('poolRules.enabled')}
          </Typography.Text>
          <Switch size="small" checked={pool.enabled} onChange={(v) => void toggle(v)} />
        </Space>
      }
    >
      {pool.description && <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{pool.description}</Typography.Paragraph>}
      <Form
        form={form}
        layout="vertical"
        name={`pool_${pool.id}`}
        initialValues={rulesForm(pool.rules)}
        onValuesChange={() => setDirty(true)}
      >
        <Typography.Text strong>{t('poolRules.claimRules')}</Typography.Text>
        <div style={{ display: 'grid', gridTemplateColumns: mobile ? '1fr 1fr' : 'repeat(4, 1fr)', gap: '0 12px', marginTop: 8 }}>
          {(['daily_claim_quota', 'cooldown_days', 'hold_cap_person', 'hold_cap_department'] as RuleKey[]).map((k) => (
            <RuleInput key={k} name={k} unit={t(RULE_UNIT[k])} />
          ))}
        </div>
        <Typography.Text strong>{t('poolRules.reclaimRules')}</Typography.Text>
        <div style={{ display: 'grid', gridTemplateColumns: mobile ? '1fr 1fr' : 'repeat(4, 1fr)', gap: '0 12px', marginTop: 8 }}>
          {(['reclaim_days_without_followup', 'reclaim_days_without_opportunity', 'warn_days_ahead'] as RuleKey[]).map((k) => (
            <RuleInput key={k} name={k} unit={t(RULE_UNIT[k])} />
          ))}
        </div>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('poolRules.calendarNote')}
        </Typography.Paragraph>
        <ManualEntrySwitch />
        <Space wrap>
          <Button type="primary" onClick={() => void save()} loading={saving} disabled={!dirty} data-testid="pool-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => (showPreview ? void preview.refetch() : setShowPreview(true))} loading={preview.isFetching} data-testid="reclaim-preview">
            {t('poolRules.preview')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {describeRules(pool.rules, lang).join(' · ')}
          </Typography.Text>
        </Space>
      </Form>

      {showPreview && p && (
        <div style={{ marginTop: 16 }} data-testid="reclaim-result" data-due={p.due.length} data-warning={p.warning.length}>
          {p.followup_cutoff || p.opportunity_cutoff ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={[
                p.followup_cutoff ? t('poolRules.followupCutoff', { at: formatDateTime(p.followup_cutoff) }) : null,
                p.opportunity_cutoff ? t('poolRules.opportunityCutoff', { at: formatDateTime(p.opportunity_cutoff) }) : null,
              ]
                .filter(Boolean)
                .join(';')}
            />
          ) : (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('poolRules.noReclaimRule')} />
          )}
          <Typography.Text strong>{t('poolRules.due', { n: p.due.length })}</Typography.Text>
          {p.due.length ? (
            <Table size="small" rowKey="id" pagination={p.due.length > 10 ? { pageSize: 10, size: 'small' } : false} dataSource={p.due} columns={itemColumns} scroll={{ x: 420 }} style={{ margin: '8px 0 12px' }} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('poolRules.noneDue')} />
          )}
          <Typography.Text strong>{t('poolRules.warning', { n: p.warning.length })}</Typography.Text>
          {p.warning.length ? (
            <Table size="small" rowKey="id" pagination={p.warning.length > 10 ? { pageSize: 10, size: 'small' } : false} dataSource={p.warning} columns={itemColumns} scroll={{ x: 420 }} style={{ margin: '8px 0 12px' }} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('poolRules.noneWarning')} />
          )}
          <Popconfirm
            title={t('poolRules.reclaimConfirm', { n: p.due.length })}
            onConfirm={() => void reclaim().then(() => preview.refetch())}
            okText={t('poolRules.reclaim')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'reclaim-confirm' }}
            disabled={p.due.length === 0}
          >
            <Button danger icon={<RollbackOutlined />} loading={running} disabled={p.due.length === 0} data-testid="reclaim-run">
              {t('poolRules.reclaimN', { n: p.due.length })}
            </Button>
          </Popconfirm>
        </div>
      )}
    </Card>
  );
}

/** 允许手工录入 (the form field `manual_entry`), with what switching it off means. */
function ManualEntrySwitch() {
  const { t } = useI18n();
  return (
    <Form.Item name="manual_entry" valuePropName="checked" label={<Typography.Text strong>{t('poolRules.manualEntry')}</Typography.Text>} extra={t('poolRules.manualEntryHelp')}>
      <Switch data-testid="rule-manual_entry" />
    </Form.Item>
  );
}

function RuleInput({ name, unit }: { name: RuleKey; unit: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t(`poolRules.${name}` as MessageKey)} tooltip={t('poolRules.emptyNoLimit')}>
      <InputNumber min={1} max={100000} precision={0} addonAfter={unit} placeholder={t('poolRules.noLimit')} style={{ width: '100%' }} data-testid={`rule-${name}`} />
    </Form.Item>
  );
}
