// 申请与协作, for every user: 我的申请 (sensitive-field requests I made), 待我审批 (those waiting for
// my decision: approve with an optional note, reject with a required one) and 协作授权 (records I
// shared or that were shared with me; the one who shared can revoke).
import { App, Button, Empty, Input, Modal, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useRecordsByIds, useSchema, useUserMap } from '../api/queries';
import type { AccessRequest, Grant } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { useIsMobile } from '../app/useIsMobile';
import { recordTitle } from '../records/schema';
import { formatDateTime } from '../records/values';
import { purposeLabel } from './rights';

const STATUS_COLOR: Record<string, string> = { pending: 'orange', approved: 'green', rejected: 'red', expired: 'default', active: 'green', revoked: 'default' };

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="status" data-status={status}>
      {t(`status.${status}` as MessageKey)}
    </Tag>
  );
}

/** "线索 · 李女士" linking to the record; the short id when the reader cannot see it. */
export function RecordRef({ entity, id }: { entity: string; id: string }) {
  const { label } = useI18n();
  const schema = useSchema();
  const def = schema.data?.entities.find((e) => e.name === entity);
  const refs = useRecordsByIds(entity, [id]);
  const record = refs.data?.get(id);
  return (
    <Link to={`/${entity}/${encodeURIComponent(id)}`} data-testid="record-ref">
      {label(def, entity)} · {record ? recordTitle(def, record) : `${id.slice(0, 8)}…`}
    </Link>
  );
}

function FieldNames({ entity, fields }: { entity: string; fields: string[] }) {
  const { label } = useI18n();
  const schema = useSchema();
  const def = schema.data?.entities.find((e) => e.name === entity);
  return <span>{fields.map((f) => label(def?.fields.find((x) => x.name === f), f)).join('、')}</span>;
}

function DecisionModal({ request, mode, onClose }: { request: AccessRequest; mode: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const submit = async () => {
    if (mode === 'reject' && !note.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      if (mode === 'approve') await endpoints.approveAccessRequest(request.id, note.trim() || undefined);
      else await endpoints.rejectAccessRequest(request.id, note.trim());
      message.success(mode === 'approve' ? t('myAccess.approved') : t('myAccess.rejected'));
      void qc.invalidateQueries({ queryKey: keys.accessRequests });
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={mode === 'approve' ? t('myAccess.approve') : t('myAccess.reject')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={mode === 'approve' ? t('myAccess.approve') : t('myAccess.reject')}
      okButtonProps={{ danger: mode === 'reject', ...({ 'data-testid': 'decision-submit' } as Record<string, string>) }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
    >
      <Input.TextArea
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          setMissing(false);
        }}
        status={missing ? 'error' : undefined}
        placeholder={mode === 'approve' ? t('myAccess.noteOptional') : t('myAccess.noteRequired')}
        autoSize={{ minRows: 2 }}
        maxLength={500}
        data-testid="decision-note"
      />
      {missing && <Typography.Text type="danger">{t('myAccess.noteRequired')}</Typography.Text>}
    </Modal>
  );
}

function RequestsTable({ items, deciding, loading }: { items: AccessRequest[]; deciding: boolean; loading: boolean }) {
  const { t, lang } = useI18n();
  const users = useUserMap();
  const mobile = useIsMobile();
  const [decision, setDecision] = useState<{ request: AccessRequest; mode: 'approve' | 'reject' } | null>(null);
  return (
    <>
      <Table<AccessRequest>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: mobile ? 720 : undefined }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={deciding ? t('myAccess.emptyToDecide') : t('myAccess.emptyMine')} /> }}
        onRow={(r) => ({ 'data-testid': 'access-request', 'data-id': r.id, 'data-status': r.status }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'record', title: t('myAccess.record'), render: (_, r) => <RecordRef entity={r.entity} id={r.record_id} /> },
          { key: 'fields', title: t('request.fields'), render: (_, r) => <FieldNames entity={r.entity} fields={r.fields} /> },
          { key: 'purpose', title: t('request.purpose'), render: (_, r) => (r.purpose === 'other' && r.purpose_text ? `${purposeLabel(r.purpose, lang)}:${r.purpose_text}` : purposeLabel(r.purpose, lang)) },
          deciding
            ? { key: 'who', title: t('myAccess.requester'), render: (_, r) => users.get(r.requester_id)?.name ?? r.requester_id.slice(0, 8) }
            : { key: 'who', title: t('myAccess.approver'), render: (_, r) => users.get(r.approver_id)?.name ?? r.approver_id.slice(0, 8) },
          { key: 'hours', title: t('request.hours'), dataIndex: 'hours', width: 90 },
          { key: 'status', title: t('myAccess.status'), render: (_, r) => <StatusTag status={r.status} />, width: 90 },
          {
            key: 'note',
            title: t('myAccess.note'),
            render: (_, r) => (
              <span>
                {r.decision_note ?? ''}
                {r.expires_at && r.status === 'approved' ? <Typography.Text type="secondary"> · {t('myAccess.expires')} {formatDateTime(r.expires_at)}</Typography.Text> : null}
              </span>
            ),
          },
          ...(deciding
            ? [
                {
                  key: 'act',
                  title: '',
                  width: 150,
                  render: (_: unknown, r: AccessRequest) =>
                    r.status === 'pending' ? (
                      <Space size={4}>
                        <Button size="small" type="primary" onClick={() => setDecision({ request: r, mode: 'approve' })} data-testid="approve">
                          {t('myAccess.approve')}
                        </Button>
                        <Button size="small" danger onClick={() => setDecision({ request: r, mode: 'reject' })} data-testid="reject">
                          {t('myAccess.reject')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {decision && <DecisionModal request={decision.request} mode={decision.mode} onClose={() => setDecision(null)} />}
    </>
  );
}

function GrantsTable() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const users = useUserMap();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const grants = useQuery({ queryKey: keys.grants, queryFn: endpoints.grants, select: (d) => d.items });
  const revoke = async (g: Grant) => {
    try {
      await endpoints.revokeGrant(g.id);
      message.success(t('grant.revoked'));
      void qc.invalidateQueries({ queryKey: keys.grants });
    } catch (e) {
      showError(e);
    }
  };
  const name = (id?: string) => (id ? users.get(id)?.name ?? id.slice(0, 8) : '—');
  return (
    <Table<Grant>
      size="small"
      rowKey="id"
      loading={grants.isLoading}
      dataSource={grants.data ?? []}
      pagination={false}
      scroll={{ x: mobile ? 720 : undefined }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myAccess.emptyGrants')} /> }}
      onRow={(g) => ({ 'data-testid': 'grant', 'data-id': g.id, 'data-state': g.state }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'record', title: t('myAccess.record'), render: (_, g) => <RecordRef entity={g.entity} id={g.record_id} /> },
        { key: 'dir', title: '', width: 80, render: (_, g) => <Tag>{g.grantee_id === me?.user.id ? t('grant.received') : t('grant.given')}</Tag> },
        { key: 'grantee', title: t('grant.grantee'), render: (_, g) => name(g.grantee_id) },
        { key: 'by', title: t('grant.by'), render: (_, g) => name(g.granted_by) },
        { key: 'mode', title: t('grant.mode'), render: (_, g) => (g.mode === 'write' ? t('grant.write') : t('grant.read')) + (g.relations?.includes('activities') ? ` + ${t('grant.followups')}` : '') },
        { key: 'expires', title: t('myAccess.expires'), render: (_, g) => (g.expires_at ? formatDateTime(g.expires_at) : '—') },
        { key: 'state', title: t('myAccess.status'), render: (_, g) => <StatusTag status={g.state} />, width: 90 },
        {
          key: 'act',
          title: '',
          width: 80,
          render: (_, g) =>
            g.state === 'active' && (g.granted_by === me?.user.id || can('access.manage')) ? (
              <Popconfirm title={t('grant.revokeConfirm')} onConfirm={() => void revoke(g)} okText={t('grant.revoke')} cancelText={t('common.cancel')}>
                <Button size="small" danger data-testid="revoke">
                  {t('grant.revoke')}
                </Button>
              </Popconfirm>
            ) : null,
        },
      ]}
    />
  );
}

export default function MyAccessPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [search, setSearch] = useSearchParams();
  const requests = useQuery({ queryKey: keys.accessRequests, queryFn: endpoints.accessRequests, select: (d) => d.items });
  const mine = useMemo(() => (requests.data ?? []).filter((r) => r.requester_id === me?.user.id), [requests.data, me]);
  const toDecide = useMemo(() => (requests.data ?? []).filter((r) => r.approver_id === me?.user.id), [requests.data, me]);
  const pending = toDecide.filter((r) => r.status === 'pending').length;
  const tab = search.get('tab') ?? (pending ? 'decide' : 'mine');
  return (
    <div data-testid="my-access">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('myAccess.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setSearch({ tab: k }, { replace: true })}
        items={[
          { key: 'mine', label: <span data-testid="tab-mine">{t('myAccess.mine')}</span>, children: <RequestsTable items={mine} deciding={false} loading={requests.isLoading} /> },
          {
            key: 'decide',
            label: (
              <span data-testid="tab-decide">
                {t('myAccess.toDecide')} {pending ? <Tag color="orange">{pending}</Tag> : null}
              </span>
            ),
            children: <RequestsTable items={toDecide} deciding loading={requests.isLoading} />,
          },
          { key: 'grants', label: <span data-testid="tab-grants">{t('myAccess.grants')}</span>, children: <GrantsTable /> },
        ]}
      />
    </div>
  );
}
