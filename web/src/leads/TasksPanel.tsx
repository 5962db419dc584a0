// 待办 of one record: the tasks whose reference field points at it (tasks.lead_id → leads, …),
// open ones first by due time, with a link to add one. Generic over the parent like the
// follow-up panel: it shows wherever the tasks schema references the entity.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, List, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useEntity, useRecordList } from '../api/queries';
import type { EntityDef, FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { findField } from '../records/schema';
import { formatDateTime } from '../records/values';

export const TASKS = 'tasks';

export function taskLink(tasks: EntityDef | undefined, parent: string): FieldDef | undefined {
  return tasks?.fields.find((f) => f.type === 'reference' && f.ref_entity === parent && !f.readonly);
}

export function TasksPanel({ parent, id }: { parent: string; id: string }) {
  const { t, label } = useI18n();
  const { entity: tasks } = useEntity(TASKS);
  const link = taskLink(tasks, parent);
  const list = useRecordList(TASKS, link ? { [link.name]: id, sort: 'due_at' } : {}, !!link);
  if (!tasks || !link) return null;
  const statusField = findField(tasks, 'status');
  const rows = (list.data?.pages.flatMap((p) => p.items) ?? []).sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
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
            return (
              <List.Item data-testid="task-item" style={{ paddingInline: 0 }}>
                <div style={{ display: 'flex', gap: 8, alignItems: 'baseline', flexWrap: 'wrap', width: '100%' }}>
                  <Link to={`/${TASKS}/${encodeURIComponent(task.id)}`} style={{ fontWeight: 500, textDecoration: open ? undefined : 'line-through' }}>
                    {String(task.title ?? task.id)}
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {typeof task.due_at === 'string' ? t('tasks.due', { at: formatDateTime(task.due_at) }) : t('tasks.noDue')}
                  </Typography.Text>
                  {status && <Tag color={open ? 'blue' : 'default'} style={{ marginInlineStart: 'auto' }}>{label(status, String(task.status))}</Tag>}
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
