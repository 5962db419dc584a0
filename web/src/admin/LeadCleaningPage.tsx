// Admin → 线索清洗 (L6): archive — never delete — leads older than N calendar days in the company's
// zone, optionally only those matching list filters. Preview first (count, cutoff in words,
// sample), then run with expected_count = the previewed count (the server refuses with 409 when
// the count moved meanwhile), and undo a run from the list below. Needs leads.clean.
import { ExclamationCircleOutlined, InboxOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, InputNumber, Popconfirm, Result, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints, type ListQuery } from '../api/endpoints';
import { invalidateEntity, keys, useEntity, useUserMap } from '../api/queries';
import type { CleaningPreview, CleaningRequest, CleaningRun, EntityDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { FilterField } from '../records/FilterPanel';
import { findField } from '../records/schema';
import { formatDateTime } from '../records/values';
import { cutoffSentence, daysSentence, describeFilters } from './cleaning';

/** Lead fields offered as cleaning filters, when the schema has them. */
const FILTER_FIELDS = ['channel', 'color', 'stage', 'first_touch', 'owner_id'];
const DAY_PRESETS = [30, 90, 180, 365];

export default function LeadCleaningPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { entity } = useEntity('leads');
  if (!can('leads.clean')) return <Result status="403" title={t('cleaning.noPermission')} />;
  if (!entity) return null;
  return <LeadCleaning leads={entity} />;
}

/** The request the form describes; filters left out when there are none. */
export function cleaningRequest(days: number, filters: ListQuery): CleaningRequest {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (v) f[k] = v;
  return Object.keys(f).length ? { older_than_days: days, filters: f } : { older_than_days: days };
}

function LeadCleaning({ leads }: { leads: EntityDef }) {
  const { t, lang, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const users = useUserMap();
  const userName = (id: string) => users.get(id)?.name;
  const [days, setDays] = useState<number | null>(90);
  const [filters, setFilters] = useState<ListQuery>({});
  const [preview, setPreview] = useState<{ for: string; data: CleaningPreview } | null>(null);
  const [countChanged, setCountChanged] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'run' | null>(null);
  const runs = useQuery({ queryKey: keys.cleaningRuns, queryFn: endpoints.cleaningRuns, select: (d) => d.items });

  const request = useMemo(() => (days ? cleaningRequest(days, filters) : null), [days, filters]);
  const requestKey = JSON.stringify(request);
  const stale = !!preview && preview.for !== requestKey;
  const filterFields = FILTER_FIELDS.map((n) => findField(leads, n)).filter((f): f is NonNullable<typeof f> => !!f);
  const channelField = findField(leads, 'channel');

  const doPreview = async () => {
    if (!request) return;
    setBusy('preview');
    setCountChanged(false);
    try {
      setPreview({ for: requestKey, data: await endpoints.cleaningPreview(request) });
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const run = async () => {
    if (!request || !preview) return;
    setBusy('run');
    try {
      const done = await endpoints.cleaningRun({ ...request, expected_count: preview.data.count });
      message.success(t('cleaning.done', { n: done.archived }));
      setPreview(null);
      await Promise.all([qc.invalidateQueries({ queryKey: keys.cleaningRuns }), invalidateEntity(qc, 'leads')]);
    } catch (e) {
      if (isApiError(e) && e.code === 'cleaning.count_changed') {
        setCountChanged(true);
        message.warning(e.detail);
      } else showError(e);
    } finally {
      setBusy(null);
    }
  };

  const undo = async (r: CleaningRun) => {
    try {
      const undone = await endpoints.undoCleaning(r.id);
      message.success(t('cleaning.undone', { n: undone.restored ?? 0 }));
      await Promise.all([qc.invalidateQueries({ queryKey: keys.cleaningRuns }), invalidateEntity(qc, 'leads')]);
    } catch (e) {
      showError(e);
    }
  };

  const p = preview?.data;
  return (
    <div data-testid="lead-cleaning" style={{ maxWidth: 980 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('cleaning.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('cleaning.subtitle')}</Typography.Paragraph>

      <Card size="small" style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <div>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,.55)', marginBottom: 4 }}>{t('cleaning.days')}</div>
            <Space wrap>
              <InputNumber
                min={1}
                max={3650}
                precision={0}
                value={days}
                onChange={(v) => setDays(typeof v === 'number' ? v : null)}
                addonAfter={t('cleaning.daysUnit')}
                style={{ width: 150 }}
                data-testid="cleaning-days"
              />
              <Segmented
                value={DAY_PRESETS.includes(days ?? 0) ? days ?? undefined : undefined}
                onChange={(v) => setDays(Number(v))}
                options={DAY_PRESETS.map((d) => ({ value: d, label: `${d}` }))}
              />
            </Space>
            {days ? (
              <div style={{ fontSize: 12, color: 'rgba(0,0,0,.55)', marginTop: 4 }} data-testid="cleaning-days-words">
                {daysSentence(days, undefined, lang)}
              </div>
            ) : null}
          </div>
          <div>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,.55)', marginBottom: 4 }}>{t('cleaning.filters')}</div>
            <div style={{ display: 'grid', gridTemplateColumns: mobile ? '1fr' : 'repeat(auto-fill, minmax(200px, 1fr))', gap: 10 }}>
              {filterFields.map((f) => (
                <FilterField key={f.name} field={f} query={filters} onChange={setFilters} />
              ))}
            </div>
          </div>
          <div>
            <Button type="primary" onClick={() => void doPreview()} loading={busy === 'preview'} disabled={!days} data-testid="cleaning-preview">
              {preview ? t('cleaning.previewAgain') : t('cleaning.preview')}
            </Button>
          </div>
        </Space>
      </Card>

      {p && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="cleaning-preview-result">
          <Space direction="vertical" style={{ width: '100%' }} size={10}>
            <div data-testid="cleaning-count" data-count={p.count}>
              <Statistic title={t('cleaning.countTitle')} value={p.count} valueStyle={{ fontSize: 28 }} />
            </div>
            <Typography.Text strong data-testid="cleaning-cutoff">
              {cutoffSentence(p.cutoff, p.time_zone, lang)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {daysSentence(p.older_than_days, p.time_zone, lang)}
              {request?.filters ? ` · ${describeFilters(request.filters, leads, lang, userName)}` : ''}
            </Typography.Text>
            {stale && <Alert type="info" showIcon message={t('cleaning.stale')} />}
            {countChanged && (
              <Alert
                type="warning"
                showIcon
                message={t('cleaning.countChanged')}
                action={
                  <Button size="small" onClick={() => void doPreview()} data-testid="cleaning-repreview">
                    {t('cleaning.previewAgain')}
                  </Button>
                }
              />
            )}
            {p.sample.length > 0 && (
              <>
                <Typography.Text type="secondary">{t('cleaning.sample')}</Typography.Text>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={p.sample}
                  scroll={{ x: 420 }}
                  columns={[
                    { key: 'name', title: label(findField(leads, 'name'), 'name'), render: (_, r) => <Link to={`/leads/${encodeURIComponent(r.id)}`}>{r.name || r.id.slice(0, 8)}</Link> },
                    { key: 'channel', title: label(channelField, 'channel'), render: (_, r) => label(channelField?.options?.find((o) => o.value === r.channel), r.channel ?? '—') },
                    { key: 'created', title: label(findField(leads, 'created_at'), 'created_at'), render: (_, r) => formatDateTime(r.created_at) },
                  ]}
                />
              </>
            )}
            {p.count === 0 ? (
              <Typography.Text type="secondary">{t('cleaning.nothing')}</Typography.Text>
            ) : (
              <Popconfirm
                title={t('cleaning.runConfirm', { n: p.count })}
                icon={<ExclamationCircleOutlined style={{ color: '#d97706' }} />}
                onConfirm={() => void run()}
                okText={t('cleaning.run', { n: p.count })}
                okButtonProps={{ danger: true, 'data-testid': 'cleaning-run-confirm' }}
                cancelText={t('common.cancel')}
                disabled={stale || countChanged}
                overlayStyle={{ maxWidth: 340 }}
              >
                <Button danger type="primary" icon={<InboxOutlined />} loading={busy === 'run'} disabled={stale || countChanged} data-testid="cleaning-run">
                  {t('cleaning.run', { n: p.count })}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </Card>
      )}

      <Card size="small" title={t('cleaning.runs')}>
        {runs.data && runs.data.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cleaning.runsEmpty')} />
        ) : (
          <Table<CleaningRun>
            size="small"
            rowKey="id"
            loading={runs.isLoading}
            dataSource={runs.data ?? []}
            pagination={false}
            scroll={{ x: 760 }}
            onRow={(r) => ({ 'data-testid': 'cleaning-run-row', 'data-id': r.id, 'data-undone': String(!!r.undone_at) }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { key: 'when', title: t('cleaning.when'), width: 140, render: (_, r) => formatDateTime(r.created_at) },
              {
                key: 'criteria',
                title: t('cleaning.criteria'),
                render: (_, r) => (
                  <div>
                    <div>{cutoffSentence(r.cutoff, r.criteria.time_zone, lang, true)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.criteria.older_than_days ? t('cleaning.olderThan', { n: r.criteria.older_than_days }) : ''}
                      {' · '}
                      {r.criteria.filters && Object.keys(r.criteria.filters).length ? describeFilters(r.criteria.filters, leads, lang, userName) : t('cleaning.allLeads')}
                    </Typography.Text>
                  </div>
                ),
              },
              { key: 'archived', title: t('cleaning.archived'), width: 80, render: (_, r) => <span data-testid="cleaning-run-archived">{r.archived}</span> },
              { key: 'by', title: t('cleaning.by'), width: 90, render: (_, r) => (r.created_by ? userName(r.created_by) ?? r.created_by.slice(0, 8) : '—') },
              {
                key: 'status',
                title: t('cleaning.status'),
                width: 190,
                render: (_, r) =>
                  r.undone_at ? (
                    <Tag data-testid="cleaning-run-status">{t('cleaning.undoneAt', { at: formatDateTime(r.undone_at), n: r.restored ?? 0 })}</Tag>
                  ) : (
                    <Space size={4}>
                      <Tag color="orange" data-testid="cleaning-run-status">
                        {t('cleaning.active')}
                      </Tag>
                      <Popconfirm title={t('cleaning.undoConfirm')} onConfirm={() => void undo(r)} okText={t('cleaning.undo')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'cleaning-undo-confirm' }}>
                        <Button size="small" icon={<UndoOutlined />} data-testid="cleaning-undo">
                          {t('cleaning.undo')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
