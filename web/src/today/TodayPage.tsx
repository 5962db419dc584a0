// /today — 今日黄金3分钟 (M1): what to do in the next minutes — tasks due within 24 h or overdue
// with live countdowns, hot leads (≥ 2 follow-ups in the last 3 calendar days) and my open
// alerts, each linked to its record. The landing page on phones; in the menu on desktop.
import { AlertOutlined, ClockCircleOutlined, FireOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, List, Result, Skeleton, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { TodayTask } from '../api/types';
import { AlertLine } from '../alerts/AlertLine';
import { useNow } from '../app/useNow';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { ColorBadge, isFunnelColor } from '../leads/ColorBadge';
import { byDue, formatCountdown, msLeft } from './countdown';

function taskLink(task: TodayTask): string {
  if (task.lead_id) return `/leads/${task.lead_id}`;
  if (task.customer_id) return `/customers/${task.customer_id}`;
  return `/tasks/${task.id}`;
}

/** My open tasks, soonest first, in the task list (what lies beyond the next 24 hours). */
export function myOpenTasksLink(userId: string | undefined): string {
  const q = new URLSearchParams({ ...(userId ? { 'owner_id[in]': userId } : {}), 'status[in]': 'open', sort: 'due_at' });
  return `/tasks?${q.toString().replace(/%5B/g, '[').replace(/%5D/g, ']')}`;
}

export default function TodayPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const today = useQuery({ queryKey: keys.today, queryFn: endpoints.today, refetchInterval: 60_000 });
  if (today.isLoading) return <Skeleton active />;
  if (today.error) return <Result status="warning" title={isApiError(today.error) ? today.error.detail : t('error.network')} />;
  const data = today.data ?? { tasks: [], hot_leads: [], alerts: [] };
  return (
    <div data-testid="today-page" style={{ maxWidth: 880 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('today.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('today.subtitle')}
      </Typography.Paragraph>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Card
          size="small"
          title={
            <Space>
              <ClockCircleOutlined />
              {t('today.tasks')}
              <Badge count={data.tasks.length} showZero={false} />
            </Space>
          }
          extra={
            <Link to={myOpenTasksLink(me?.user.id)} data-testid="today-all-tasks">
              {t('today.allTasks')}
            </Link>
          }
          data-testid="today-tasks"
        >
          {data.tasks.length === 0 ? <Typography.Text type="secondary">{t('today.noTasks')}</Typography.Text> : <TaskList tasks={data.tasks} />}
        </Card>
        <Card
          size="small"
          title={
            <Space>
              <FireOutlined style={{ color: '#dc2626' }} />
              {t('today.hot')}
            </Space>
          }
          data-testid="today-hot"
        >
          {data.hot_leads.length === 0 ? (
            <Typography.Text type="secondary">{t('today.noHot')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.hot_leads}
              renderItem={(l) => (
                <List.Item data-testid="today-hot-item" extra={<Typography.Text type="secondary">{t('today.followups', { n: l.activities })}</Typography.Text>}>
                  <Space>
                    {isFunnelColor(l.color) && <ColorBadge value={l.color} compact />}
                    <Link to={`/leads/${l.id}`}>{l.name}</Link>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card
          size="small"
          title={
            <Space>
              <AlertOutlined style={{ color: '#fa8c16' }} />
              {t('today.alerts')}
            </Space>
          }
          extra={<Link to="/alerts">{t('today.allAlerts')}</Link>}
          data-testid="today-alerts"
        >
          {data.alerts.length === 0 ? (
            <Typography.Text type="secondary">{t('alerts.empty')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.alerts}
              renderItem={(a) => (
                <List.Item data-testid="today-alert-item">
                  <AlertLine alert={a} />
                </List.Item>
              )}
            />
          )}
        </Card>
      </Space>
    </div>
  );
}

/** The due tasks, soonest first, each with a countdown re-rendered every second. */
function TaskList({ tasks }: { tasks: TodayTask[] }) {
  const { lang } = useI18n();
  const now = useNow(1000);
  return (
    <List
      size="small"
      dataSource={byDue(tasks)}
      renderItem={(task) => {
        const c = formatCountdown(msLeft(task.due_at, now), lang);
        return (
          <List.Item data-testid="today-task" data-task-id={task.id}>
            <div style={{ display: 'flex', width: '100%', gap: 8, alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
              <Link to={taskLink(task)} style={{ flex: 1, minWidth: 140 }}>
                {task.title}
              </Link>
              <span
                data-testid="today-countdown"
                data-overdue={c.overdue}
                style={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600, color: c.overdue ? '#b91c1c' : c.urgent ? '#dc2626' : '#334155' }}
              >
                {c.text}
              </span>
            </div>
          </List.Item>
        );
      }}
    />
  );
}
