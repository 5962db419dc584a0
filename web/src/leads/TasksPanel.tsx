// 待办 of one record: the tasks whose reference field points at it (tasks.lead_id → leads, …),
// open ones first by due time, each open one with a live countdown (还剩 / 已超时) and a one-click
// 完成 (PATCH status=done with done_at, If-Match), with a link to add one. Generic over the parent
// like the follow-up panel: it shows wherever the tasks schema references the entity.
import { CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, useEntity, useRecordList } from '../api/queries';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useCan } from '../access/useCan';
import { useNow } from '../app/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { findField } from '../records/schema';
import { formatDateTime } from '../records/values';
import { formatCountdown, msLeft } from '../today/countdown';

export const TASKS = 'tasks';

export function taskLink(tasks: EntityDef | undefined, parent: string): FieldDef | undefined {
  return tasks?.fields.find((f) => f.type === 'reference' && f.ref_entity === parent && !f.readonly);
}

export function TasksPanel({ parent, id }: { parent: string; id: string }) {
  const { t, label, lang } = useI18n();
  const { entity: tasks } = useEntity(TASKS);
  const link = taskLink(tasks, parent);
  const list = useRecordList(TASKS, link ? { [link.name]: id, sort: 'due_at' } : {}, !!link);
  const may = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [closing, setClosing] = useState<string | null>(null);
  const rows = (list.data?.pages.flatMap((p) => p.items) ?? []).sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
  // Tick every second while a task is due within the hour (mm:ss), else every minute.
  const soon = rows.some((r) => r.status === 'open' && typeof r.due_at === 'string' && msLeft(r.due_at, Date.now()) < 3600_000);
  const now = useNow(soon ? 1000 : 60_000);
  if (!tasks || !link) return null;
  const statusField = findField(tasks, 'status');
  const mayDone = may(TASKS, 'update') && !!statusField?.options?.some((o) => o.value === 'done');
  const hasDoneAt = !!findField(tasks, 'done_at');

  const complete = async (task: RecordData) => {
    setClosing(task.id);
    try {
      await endpoints.update(TASKS, task.id, task.version, { status: 'done', ...(hasDoneAt ? { done_at: dayjs().format() } : {}) });
      void message.success(t('tasks.completed', { title: String(task.title ?? '') }));
      await invalidateEntity(qc, TASKS);
    } catch (e) {
      showError(e);
      await invalidateEntity(qc, TASKS);
    } finally {
      setClosing(null);
    }
  };

  return (
    <Card
      size="small"
      title={label(tasks, t('tasks.title'))}
      data-testid="tasks-panel"
      extra={
        <Link to={`/${TASKS}/new?${link.name}=${encodeURIComponent(id)}`}>
          <Button size="small" type="link" icon={<PlusOutlined />} style={{ paddingInline: 0 }}>
            {t('records.new', { entity: label(tasks, t('tasks.title')) })}
          </Button>
        </Link>
      }
    >
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.empty')} style={{ margin: 0 }} />
      ) : (
        <List
          size="small"
          dataSource={rows}
          renderItem={(task) => {
            const status = statusField?.options?.find((o) => o.value === task.status);
            const open = task.status === 'open';
            const due = typeof task.due_at === 'string' ? task.due_at : undefined;
            const c = open && due ? formatCountdown(msLeft(due, now), lang) : undefined;
            return (
              <List.Item data-testid="task-item" data-status={String(task.status)} style={{ paddingInline: 0 }}>
                <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', width: '100%' }}>
                  <div style={{ flex: 1, minWidth: 140 }}>
                    <Link to={`/${TASKS}/${encodeURIComponent(task.id)}`} style={{ fontWeight: 500, textDecoration: open ? undefined : 'line-through' }}>
                      {String(task.title ?? task.id)}
                    </Link>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {due ? t('tasks.due', { at: formatDateTime(due) }) : t('tasks.noDue')}
                      </Typography.Text>
                      {c && (
                        <span
                          data-testid="task-countdown"
                          data-overdue={c.overdue}
                          style={{ fontSize: 12, marginInlineStart: 8, fontVariantNumeric: 'tabular-nums', fontWeight: 600, color: c.overdue ? '#b91c1c' : c.urgent ? '#dc2626' : '#334155' }}
                        >
                          {c.text}
                        </span>
                      )}
                    </div>
                  </div>
                  {open && mayDone ? (
                    <Button size="small" icon={<CheckOutlined />} loading={closing === task.id} onClick={() => void complete(task)} data-testid="task-done">
                      {t('tasks.done')}
                    </Button>
                  ) : (
                    status && <Tag color={open ? 'blue' : 'default'}>{label(status, String(task.status))}</Tag>
                  )}
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
