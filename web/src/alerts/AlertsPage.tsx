// 预警中心 (S3, S5): the caller's alerts by state — open, acknowledged, resolved — with the record
// they are about, and acknowledge / resolve in one click. The server scopes the list (owner, the
// owner's supervisors, admins). A table on a desktop, one card per alert on a phone.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import { SEVERITY_COLOR } from './AlertLine';
import type { Alert, AlertState } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { useIsMobile } from '../app/useIsMobile';
import { useRecordTitles } from '../records/references';
import { formatDateTime } from '../records/values';

export default function AlertsPage() {
  const { t } = useI18n();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [state, setState] = useState<AlertState>('open');
  const alerts = useQuery({ queryKey: keys.alerts(state), queryFn: () => endpoints.alerts(state), select: (d) => d.items });
  const schema = useSchema();
  const items = useMemo(() => alerts.data ?? [], [alerts.data]);
  const titleOf = useRecordTitles(items, schema.data?.entities ?? []);
  const act = async (a: Alert, what: 'ack' | 'resolve') => {
    try {
      await (what === 'ack' ? endpoints.ackAlert(a.id) : endpoints.resolveAlert(a.id));
      if (what === 'ack') void message.success(t('alerts.acked'));
      await qc.invalidateQueries({ queryKey: ['alerts'] });
    } catch (e) {
      showError(e);
    }
  };
  const severity = (a: Alert) => <Tag color={SEVERITY_COLOR[a.severity] ?? 'default'}>{t(`alerts.severity.${a.severity}` as 'alerts.severity.warning') ?? a.severity}</Tag>;
  const record = (a: Alert) =>
    a.entity && a.record_id ? <Link to={`/${a.entity}/${a.record_id}`}>{titleOf(a.entity, a.record_id) || a.record_id.slice(0, 8)}</Link> : '—';
  const actions = (a: Alert) => (
    <Space>
      {a.state === 'open' && (
        <Button size="small" type="primary" onClick={() => void act(a, 'ack')} data-testid="alert-ack-row">
          {t('alerts.ack')}
        </Button>
      )}
      {a.state !== 'resolved' && (
        <Button size="small" onClick={() => void act(a, 'resolve')}>
          {t('alerts.resolve')}
        </Button>
      )}
    </Space>
  );
  return (
    <div data-testid="alerts-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('alerts.title')}
      </Typography.Title>
      <Tabs
        activeKey={state}
        onChange={(k) => setState(k as AlertState)}
        items={(['open', 'acknowledged', 'resolved'] as const).map((s) => ({ key: s, label: <span data-testid={`alerts-tab-${s}`}>{t(`alerts.${s}`)}</span> }))}
      />
      {mobile ? (
        <List<Alert>
          loading={alerts.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(state === 'open' ? 'alerts.emptyOpen' : 'alerts.empty')} /> }}
          split={false}
          renderItem={(a) => (
            <Card size="small" style={{ marginBottom: 10 }} data-testid="alert-row" data-alert-id={a.id}>
              <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 6 }}>
                {severity(a)}
                <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 'auto' }}>
                  {formatDateTime(a.created_at)}
                </Typography.Text>
              </div>
              <div style={{ marginBottom: 6 }}>{a.title}</div>
              {a.entity && a.record_id && (
                <div style={{ marginBottom: 8, fontSize: 13 }}>
                  {t('alerts.record')}: {record(a)}
                </div>
              )}
              {actions(a)}
            </Card>
          )}
        />
      ) : (
        <Table<Alert>
          rowKey="id"
          size="small"
          loading={alerts.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(state === 'open' ? 'alerts.emptyOpen' : 'alerts.empty')} /> }}
          pagination={false}
          scroll={{ x: true }}
          onRow={(a) => ({ 'data-testid': 'alert-row', 'data-alert-id': a.id } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { key: 'severity', title: t('alerts.severity'), width: 90, render: (_, a) => severity(a) },
            { key: 'title', title: t('alerts.what'), dataIndex: 'title' },
            { key: 'record', title: t('alerts.record'), render: (_, a) => record(a) },
            { key: 'created', title: t('alerts.raisedAt'), render: (_, a) => formatDateTime(a.created_at) },
            { key: 'act', title: '', render: (_, a) => actions(a) },
          ]}
        />
      )}
    </div>
  );
}
