// 预警中心 (S3, S5): the caller's alerts by state — open, acknowledged, resolved — with the record
// they are about, and acknowledge / resolve in one click. The server scopes the list (owner, the
// owner's supervisors, admins).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import { SEVERITY_COLOR } from './AlertLine';
import type { Alert, AlertState } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { useRecordTitles } from '../records/references';
import { formatDateTime } from '../records/values';


export default function AlertsPage() {
  const { t } = useI18n();
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
          {
            key: 'severity',
            title: t('alerts.severity'),
            width: 90,
            render: (_, a) => <Tag color={SEVERITY_COLOR[a.severity] ?? 'default'}>{t(`alerts.severity.${a.severity}` as 'alerts.severity.warning') ?? a.severity}</Tag>,
          },
          { key: 'title', title: t('alerts.what'), dataIndex: 'title' },
          {
            key: 'record',
            title: t('alerts.record'),
            render: (_, a) => (a.entity && a.record_id ? <Link to={`/${a.entity}/${a.record_id}`}>{titleOf(a.entity, a.record_id) || a.record_id.slice(0, 8)}</Link> : '—'),
          },
          { key: 'created', title: t('alerts.raisedAt'), render: (_, a) => formatDateTime(a.created_at) },
          {
            key: 'act',
            title: '',
            render: (_, a) => (
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
            ),
          },
        ]}
      />
    </div>
  );
}
