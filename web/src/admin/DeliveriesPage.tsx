// Admin → 发送记录 (/admin/deliveries, notify.manage): every outbound message (robot, email,
// webhook) with its status — pending, retrying, delivered, dead — attempts, last error, HTTP code
// and latency, filtered by status / channel / rule / record (also from the URL), and 重试 for a
// dead one. Cursor-paged like the record lists.
import { ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Result, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys, useChannels } from '../api/queries';
import type { Delivery } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { channelLabel } from '../automation/ruleText';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { formatDateTime } from '../records/values';
import { DELIVERY_COLOR } from './NotificationChannelsPage';

const FILTER_KEYS = ['status', 'channel_id', 'rule_id', 'record_id'] as const;

export default function DeliveriesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('notify.manage')) return <Result status="403" title={t('channels.noPermission')} />;
  return <Deliveries />;
}

function Deliveries() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => {
    const f: Record<string, string | undefined> = {};
    for (const k of FILTER_KEYS) f[k] = search.get(k) || undefined;
    return f;
  }, [search]);
  const setFilter = (k: string, v?: string) => {
    const next = new URLSearchParams(search);
    if (v) next.set(k, v);
    else next.delete(k);
    setSearch(next, { replace: true });
  };
  const channels = useChannels();
  const list = useInfiniteQuery({
    queryKey: keys.deliveries(filter),
    initialPageParam: '',
    queryFn: ({ pageParam }) => endpoints.deliveries({ ...filter, cursor: pageParam || undefined }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const retry = async (d: Delivery) => {
    try {
      await endpoints.retryDelivery(d.id);
      void message.success(t('deliveries.retried'));
      await qc.invalidateQueries({ queryKey: ['deliveries'] });
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="deliveries-page">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('deliveries.title')}
        </Typography.Title>
        <Link to="/admin/notification-channels">{t('channels.title')}</Link>
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          {t('common.reload')}
        </Button>
      </div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('deliveries.status')}
          style={{ width: 140 }}
          value={filter.status}
          onChange={(v?: string) => setFilter('status', v)}
          options={(['pending', 'retrying', 'delivered', 'dead'] as const).map((s) => ({ value: s, label: t(`delivery.${s}`) }))}
          data-testid="deliveries-status"
        />
        <Select
          allowClear
          placeholder={t('deliveries.channel')}
          style={{ width: 200 }}
          value={filter.channel_id}
          onChange={(v?: string) => setFilter('channel_id', v)}
          options={(channels.data ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${channelLabel(c.kind, lang)}` }))}
        />
        {filter.rule_id && <Tag closable onClose={() => setFilter('rule_id')}>{t('deliveries.rule')}: {filter.rule_id.slice(0, 8)}</Tag>}
        {filter.record_id && <Tag closable onClose={() => setFilter('record_id')}>{t('alerts.record')}: {filter.record_id.slice(0, 8)}</Tag>}
      </Space>
      {list.error ? (
        <Result status="warning" title={isApiError(list.error) ? list.error.detail : t('error.network')} />
      ) : (
        <Table<Delivery>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('deliveries.empty') }}
          onRow={(d) => ({ 'data-testid': 'delivery-row', 'data-status': d.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'at', title: t('deliveries.at'), width: 140, render: (_, d) => formatDateTime(d.created_at) },
            { key: 'status', title: t('deliveries.status'), width: 90, render: (_, d) => <Tag color={DELIVERY_COLOR[d.status]}>{t(`delivery.${d.status}` as MessageKey)}</Tag> },
            { key: 'channel', title: t('deliveries.channel'), render: (_, d) => `${d.channel_name ?? '—'} · ${channelLabel(d.channel_kind, lang)}` },
            { key: 'title', title: t('deliveries.titleCol'), render: (_, d) => <span>{d.title}</span> },
            { key: 'to', title: t('deliveries.recipient'), render: (_, d) => <Typography.Text style={{ fontSize: 12 }}>{d.recipient}</Typography.Text> },
            { key: 'rule', title: t('deliveries.rule'), render: (_, d) => (d.rule_id ? <Link to={`/rules/${d.rule_id}`}>{d.rule_name ?? d.rule_id.slice(0, 8)}</Link> : '—') },
            { key: 'record', title: t('alerts.record'), width: 90, render: (_, d) => (d.entity && d.record_id ? <Link to={`/${d.entity}/${d.record_id}`}>{d.record_id.slice(0, 8)}</Link> : '—') },
            {
              key: 'attempts',
              title: t('deliveries.attempts'),
              width: 160,
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <span>
                    {d.attempts}
                    {d.response_code ? ` · HTTP ${d.response_code}` : ''}
                    {d.latency_ms !== null && d.latency_ms !== undefined ? ` · ${d.latency_ms} ms` : ''}
                  </span>
                  {d.last_error && (
                    <Tooltip title={d.last_error}>
                      <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 220 }} ellipsis>
                        {d.last_error}
                      </Typography.Text>
                    </Tooltip>
                  )}
                  {d.status === 'retrying' && d.next_attempt_at && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('deliveries.next', { at: formatDateTime(d.next_attempt_at) })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              key: 'retry',
              title: '',
              width: 80,
              render: (_, d) =>
                d.status === 'dead' ? (
                  <Button size="small" onClick={() => void retry(d)} data-testid="delivery-retry">
                    {t('deliveries.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
