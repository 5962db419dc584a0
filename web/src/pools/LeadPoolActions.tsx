// The pool and assignment actions on leads: 分配 (one lead or many, POST /leads/{id}/assign with a
// note), 放入公海 (release with a reason), 领取 (claim from the pool, with quota / cooldown / cap
// refusals explained) and 转移 (move a pooled lead to another pool, pool managers).
import { ExportOutlined, InboxOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, keys, usePools } from '../api/queries';
import type { Pool, RecordData } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { UserSelect } from '../records/FieldInput';
import { claimRefusal, type ClaimRefusal } from './poolRules';

/** Who may hand leads to others: admins, supervisors, holders of assignment.manage. */
export function useMayAssign(): boolean {
  const { me, isAdmin, can } = useAuth();
  return isAdmin || me?.user.role === 'supervisor' || can('assignment.manage');
}

export const REFUSAL_TITLE: Record<ClaimRefusal, MessageKey> = {
  cooldown: 'pool.refused.cooldown',
  quota: 'pool.refused.quota',
  hold_cap: 'pool.refused.holdCap',
  department_cap: 'pool.refused.departmentCap',
  taken: 'pool.refused.taken',
  closed: 'pool.refused.closed',
  other: 'pool.refused.other',
};

/** A refused claim, in words: the kind as the title, the server's detail (dates, limits) below. */
export interface ClaimProblem {
  kind: ClaimRefusal;
  detail: string;
  leadName?: string;
}

export function ClaimProblemAlert({ problem, onClose }: { problem: ClaimProblem; onClose?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type={problem.kind === 'taken' ? 'info' : 'warning'}
      showIcon
      closable={!!onClose}
      onClose={onClose}
      message={t(REFUSAL_TITLE[problem.kind])}
      description={problem.leadName ? `${problem.leadName}:${problem.detail}` : problem.detail}
      data-testid="claim-problem"
      data-kind={problem.kind}
    />
  );
}

/** Claims `lead` from `poolId`; resolves to the claimed lead or the refusal. */
export function useClaim() {
  const qc = useQueryClient();
  const showError = useApiError();
  return async (poolId: string, lead: RecordData): Promise<{ ok: true; lead: RecordData } | { ok: false; problem: ClaimProblem }> => {
    try {
      const claimed = await endpoints.claimLead(poolId, lead.id);
      await Promise.all([invalidateEntity(qc, 'leads'), qc.invalidateQueries({ queryKey: keys.pools })]);
      return { ok: true, lead: claimed };
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        if (e.code === 'pool.not_in_pool') void Promise.all([invalidateEntity(qc, 'leads'), qc.invalidateQueries({ queryKey: keys.pools })]);
        return { ok: false, problem: { kind: claimRefusal(e.code), detail: e.detail, leadName: typeof lead.name === 'string' ? lead.name : undefined } };
      }
      showError(e);
      return { ok: false, problem: { kind: 'other', detail: isApiError(e) ? e.detail : String(e) } };
    }
  };
}

/** Assigns one or many leads to a person; reports how many went through. */
export function AssignModal({ leadIds, open, onClose, onDone }: { leadIds: string[]; open: boolean; onClose: () => void; onDone?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ owner_id?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    if (!v.owner_id) return;
    setBusy(true);
    let ok = 0;
    let lastError: unknown = null;
    for (const id of leadIds) {
      try {
        await endpoints.assignLead(id, v.owner_id, v.note?.trim() || undefined);
        ok++;
      } catch (e) {
        lastError = e;
      }
    }
    setBusy(false);
    await invalidateEntity(qc, 'leads');
    if (lastError) showError(lastError);
    if (ok) message.success(leadIds.length > 1 ? t('assign.doneMany', { n: ok, total: leadIds.length }) : t('assign.done'));
    if (ok) {
      form.resetFields();
      onDone?.();
      onClose();
    }
  };
  return (
    <Modal
      title={leadIds.length > 1 ? t('assign.titleMany', { n: leadIds.length }) : t('assign.title')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('assign.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'assign-submit' }}
      destroyOnClose
    >
      <Form form={form} layout="vertical" name="assign">
        <Form.Item name="owner_id" label={t('assign.owner')} rules={[{ required: true, message: t('assign.ownerRequired') }]}>
          <UserSelect placeholder={t('assign.ownerPlaceholder')} />
        </Form.Item>
        <Form.Item name="note" label={t('assign.note')} extra={t('assign.silentHint')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} placeholder={t('assign.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Common reasons to give a lead up, offered as suggestions (any text is accepted). */
const RELEASE_REASONS = {
  zh: ['暂无需求', '联系不上', '预算不足', '已选竞品', '非目标客户'],
  en: ['No need for now', 'Cannot reach', 'No budget', 'Chose a competitor', 'Not a target customer'],
};

/** Release to a pool (its owner or a pool manager) with a reason. */
export function ReleaseModal({ lead, open, onClose }: { lead: RecordData; open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const pools = usePools();
  const [form] = Form.useForm<{ pool_id?: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const open_ = (pools.data ?? []).filter((p) => p.enabled);
  const initialPool = (typeof lead.home_pool_id === 'string' && open_.find((p) => p.id === lead.home_pool_id)?.id) || open_.find((p) => p.is_default)?.id || open_[0]?.id;
  const submit = async () => {
    const v = await form.validateFields();
    if (!v.pool_id) return;
    setBusy(true);
    try {
      await endpoints.releaseLead(v.pool_id, lead.id, v.reason?.trim() || undefined);
      message.success(t('pool.released', { pool: open_.find((p) => p.id === v.pool_id)?.name ?? '' }));
      await Promise.all([invalidateEntity(qc, 'leads'), qc.invalidateQueries({ queryKey: keys.pools })]);
      onClose();
    } catch (e) {
      showError(e, form, ['pool_id', 'reason']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={t('pool.releaseTitle')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('pool.release')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: true, 'data-testid': 'release-submit' }}
      destroyOnClose
    >
      <Form form={form} layout="vertical" name="release" initialValues={{ pool_id: initialPool }} preserve={false}>
        <Form.Item name="pool_id" label={t('pool.pool')} rules={[{ required: true }]}>
          <Select options={open_.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('pool.reason')} rules={[{ required: true, whitespace: true, message: t('pool.reasonRequired') }]}>
          <AutoComplete
            options={RELEASE_REASONS[lang].map((r) => ({ value: r }))}
            placeholder={t('pool.reasonPlaceholder')}
            filterOption={(input, o) => String(o?.value ?? '').includes(input.trim())}
            data-testid="release-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Move a pooled lead to another pool (pool managers). */
export function TransferModal({ lead, fromPool, open, onClose }: { lead: RecordData; fromPool: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const pools = usePools();
  const [to, setTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const others = (pools.data ?? []).filter((p: Pool) => p.id !== fromPool);
  const submit = async () => {
    if (!to) return;
    setBusy(true);
    try {
      await endpoints.transferLead(fromPool, lead.id, to);
      message.success(t('pool.transferred', { pool: others.find((p) => p.id === to)?.name ?? '' }));
      await Promise.all([invalidateEntity(qc, 'leads'), qc.invalidateQueries({ queryKey: keys.pools })]);
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={t('pool.transferTitle', { name: String(lead.name ?? '') })}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('pool.transfer')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !to, 'data-testid': 'transfer-submit' }}
      confirmLoading={busy}
      destroyOnClose
    >
      {others.length === 0 ? (
        <Alert type="info" showIcon message={t('pool.noOtherPool')} />
      ) : (
        <Select style={{ width: '100%' }} value={to} onChange={setTo} placeholder={t('pool.transferTo')} options={others.map((p) => ({ value: p.id, label: p.name }))} data-testid="transfer-to" />
      )}
    </Modal>
  );
}

/** The lead page's pool / assignment bar: where the lead is, and what this user may do with it. */
export function LeadPoolActions({ lead, compact }: { lead: RecordData; compact?: boolean }) {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const pools = usePools();
  const mayAssign = useMayAssign();
  const claim = useClaim();
  const [modal, setModal] = useState<'assign' | 'release' | 'transfer' | null>(null);
  const [problem, setProblem] = useState<ClaimProblem | null>(null);
  const [claiming, setClaiming] = useState(false);
  if (lead.archived_at) return null;
  const poolId = typeof lead.pool_id === 'string' ? lead.pool_id : null;
  const pool = poolId ? pools.data?.find((p) => p.id === poolId) : undefined;
  const mine = !!me && lead.owner_id === me.user.id;
  const managesPools = can('pools.manage');
  const doClaim = async () => {
    if (!poolId) return;
    setClaiming(true);
    const r = await claim(poolId, lead);
    setClaiming(false);
    if (r.ok) {
      setProblem(null);
      message.success(t('pool.claimed'));
    } else setProblem(r.problem);
  };
  return (
    <div data-testid="lead-pool-actions" data-in-pool={String(!!poolId)}>
      <Space wrap size={8}>
        {poolId && (
          <Tag color="blue" icon={<InboxOutlined />} data-testid="lead-in-pool">
            {t('pool.inPool', { pool: pool?.name ?? t('pool.title') })}
          </Tag>
        )}
        {poolId && (
          <Button type="primary" size={compact ? 'small' : 'middle'} onClick={() => void doClaim()} loading={claiming} data-testid="lead-claim">
            {t('pool.claim')}
          </Button>
        )}
        {poolId && managesPools && (
          <Button size={compact ? 'small' : 'middle'} icon={<SwapOutlined />} onClick={() => setModal('transfer')} data-testid="lead-transfer">
            {t('pool.transfer')}
          </Button>
        )}
        {/* Not for a pooled lead: the server's assign leaves pool_id set (claim or transfer instead). */}
        {!poolId && (mayAssign || mine) && (
          <Button size={compact ? 'small' : 'middle'} icon={<UserAddOutlined />} onClick={() => setModal('assign')} data-testid="lead-assign">
            {t('assign.button')}
          </Button>
        )}
        {!poolId && (mine || managesPools) && (
          <Button size={compact ? 'small' : 'middle'} icon={<ExportOutlined />} onClick={() => setModal('release')} data-testid="lead-release">
            {t('pool.release')}
          </Button>
        )}
        {poolId && (
          <Link to={`/pool?pool=${encodeURIComponent(poolId)}`} style={{ fontSize: 12 }}>
            {t('pool.open')}
          </Link>
        )}
      </Space>
      {problem && (
        <div style={{ marginTop: 8 }}>
          <ClaimProblemAlert problem={{ ...problem, leadName: undefined }} onClose={() => setProblem(null)} />
        </div>
      )}
      <AssignModal leadIds={[lead.id]} open={modal === 'assign'} onClose={() => setModal(null)} />
      {modal === 'release' && <ReleaseModal lead={lead} open onClose={() => setModal(null)} />}
      {modal === 'transfer' && poolId && <TransferModal lead={lead} fromPool={poolId} open onClose={() => setModal(null)} />}
    </div>
  );
}
