// /workbench — 主管工作台 (S1–S5): the team's follow-ups as they happen (GET /activities, newest
// first, scoped by the server to what the caller may read and refreshed by the live stream), the
// open process alerts, and per salesperson: leads held, follow-ups today and this week (server
// summaries grouped by owner). Read-only: customers and leads are opened, never edited, here.
import { AlertOutlined, MessageOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Empty, List, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys, useEntity, useRecordList, useRecordsByIds, useSummary, useUserMap } from '../api/queries';
import type { RecordData } from '../api/types';
import { AlertLine } from '../alerts/AlertLine';
import { addDays, dateRange, listUrl, localDate, startOfLocalDay } from '../analytics/dashboard';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';
import { teamRows } from './team';

export default function WorkbenchPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('team.stream') && !can('rules.manage')) return <Result status="403" title={t('wb.noPermission')} />;
  return (
    <div data-testid="workbench-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('wb.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ActivityStream />
        </Col>
        <Col xs={24} xl={10}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <OpenAlerts />
            <TeamTable />
          </Space>
        </Col>
      </Row>
    </div>
  );
}

const STREAM_QUERY = { sort: '-occurred_at' };

function ActivityStream() {
  const { t, label } = useI18n();
  const users = useUserMap();
  const { entity: activities } = useEntity('activities');
  const list = useRecordList('activities', STREAM_QUERY);
  const rows = useMemo(() => (list.data?.pages.flatMap((p) => p.items) ?? []).slice(0, 100), [list.data]);
  const leadIds = useMemo(() => rows.map((r) => (typeof r.lead_id === 'string' ? r.lead_id : '')).filter(Boolean), [rows]);
  const customerIds = useMemo(() => rows.map((r) => (typeof r.customer_id === 'string' ? r.customer_id : '')).filter(Boolean), [rows]);
  const leads = useRecordsByIds('leads', leadIds);
  const customers = useRecordsByIds('customers', customerIds);
  const kind = activities?.fields.find((f) => f.name === 'kind');
  const kindLabel = (v: unknown) => label(kind?.options?.find((o) => o.value === v), String(v ?? ''));
  const about = (r: RecordData) => {
    if (typeof r.lead_id === 'string') return { to: `/leads/${r.lead_id}`, name: String(leads.data?.get(r.lead_id)?.name ?? r.lead_id.slice(0, 8)) };
    if (typeof r.customer_id === 'string') return { to: `/customers/${r.customer_id}`, name: String(customers.data?.get(r.customer_id)?.name ?? r.customer_id.slice(0, 8)) };
    return null;
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <MessageOutlined />
          {t('wb.stream')}
          <Badge status="processing" text={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('wb.live')}</Typography.Text>} />
        </Space>
      }
      data-testid="wb-stream"
    >
      {list.isLoading ? (
        <Skeleton active />
      ) : list.error ? (
        <Result status="warning" title={isApiError(list.error) ? list.error.detail : t('error.network')} />
      ) : rows.length === 0 ? (
        <Empty description={t('activities.empty')} />
      ) : (
        <div style={{ maxHeight: '72vh', overflowY: 'auto' }}>
        <List
          size="small"
          dataSource={rows}
          renderItem={(r) => {
            const a = about(r);
            const owner = typeof r.owner_id === 'string' ? users.get(r.owner_id)?.name : undefined;
            return (
              <List.Item data-testid="wb-activity" data-id={r.id}>
                <div style={{ width: '100%' }}>
                  <Space size={6} wrap>
                    <strong>{owner ?? '—'}</strong>
                    <Tag>{kindLabel(r.kind)}</Tag>
                    {a && (
                      <Link to={a.to} data-testid="wb-activity-record">
                        {a.name}
                      </Link>
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {typeof r.occurred_at === 'string' ? formatDateTime(r.occurred_at) : ''}
                    </Typography.Text>
                  </Space>
                  {typeof r.content === 'string' && r.content && (
                    <div style={{ whiteSpace: 'pre-wrap', marginTop: 2 }} data-testid="wb-activity-content">
                      {r.content}
                    </div>
                  )}
                </div>
              </List.Item>
            );
          }}
          loadMore={
            list.hasNextPage && rows.length < 100 ? (
              <div style={{ textAlign: 'center', margin: '8px 0' }}>
                <Button size="small" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  {t('common.loadMore')}
                </Button>
              </div>
            ) : null
          }
        />
        </div>
      )}
    </Card>
  );
}

function OpenAlerts() {
  const { t } = useI18n();
  const alerts = useQuery({ queryKey: keys.alerts('open'), queryFn: () => endpoints.alerts('open'), select: (d) => d.items, refetchInterval: 30_000 });
  return (
    <Card
      size="small"
      title={
        <Space>
          <AlertOutlined style={{ color: '#fa8c16' }} />
          {t('wb.alerts')}
          <Badge count={alerts.data?.length ?? 0} />
        </Space>
      }
      extra={<Link to="/alerts">{t('today.allAlerts')}</Link>}
      data-testid="wb-alerts"
    >
      {alerts.isLoading ? (
        <Skeleton active />
      ) : (alerts.data ?? []).length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.empty')} />
      ) : (
        <List
          size="small"
          dataSource={(alerts.data ?? []).slice(0, 20)}
          renderItem={(a) => (
            <List.Item data-testid="wb-alert">
              <AlertLine alert={a} />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function TeamTable() {
  const { t } = useI18n();
  const { me } = useAuth();
  const users = useUserMap();
  const zone = me?.tenant.time_zone || 'Asia/Shanghai';
  const today = localDate(zone, Date.now());
  const week = dateRange('week', zone, Date.now());
  const todayStart = startOfLocalDay(today, zone);
  const tomorrow = startOfLocalDay(addDays(today, 1), zone);
  const leads = useSummary('leads', { group_by: 'owner_id' });
  const todays = useSummary('activities', { group_by: 'owner_id', 'occurred_at[gte]': todayStart, 'occurred_at[lt]': tomorrow });
  const weeks = useSummary('activities', { group_by: 'owner_id', 'occurred_at[gte]': week.gte, 'occurred_at[lt]': week.lt });
  const rows = useMemo(() => teamRows(leads.data, todays.data, weeks.data, (id) => users.get(id)?.name), [leads.data, todays.data, weeks.data, users]);
  const error = leads.error ?? todays.error ?? weeks.error;
  return (
    <Card
      size="small"
      title={
        <Space>
          <TeamOutlined />
          {t('wb.team')}
        </Space>
      }
      data-testid="wb-team"
    >
      {error ? (
        <Result status="warning" title={t('dash.unavailable')} subTitle={isApiError(error) ? error.detail : String(error)} />
      ) : (
        <Table
          size="small"
          rowKey="ownerId"
          loading={leads.isLoading || todays.isLoading || weeks.isLoading}
          pagination={false}
          dataSource={rows}
          onRow={(r) => ({ 'data-testid': 'wb-team-row', 'data-owner': r.ownerId }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'name', title: t('wb.salesperson'), render: (_, r) => (r.ownerId ? <Link to={listUrl('leads', { 'owner_id[in]': r.ownerId })}>{r.name}</Link> : <Link to={listUrl('leads', { 'owner_id[null]': 'true' })}>{t('wb.unassigned')}</Link>) },
            { key: 'leads', title: t('wb.leads'), dataIndex: 'leads', width: 80, align: 'right' },
            { key: 'today', title: t('wb.today'), width: 90, align: 'right', render: (_, r) => <span data-testid="wb-team-today">{r.today}</span> },
            { key: 'week', title: t('wb.week'), dataIndex: 'week', width: 90, align: 'right' },
          ]}
        />
      )}
    </Card>
  );
}
