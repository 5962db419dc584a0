// 跟进记录: the follow-ups (activities) of one record and the "add follow-up" form. Generic over
// the parent entity: it shows up wherever the activities schema has a reference field pointing
// at that entity (lead_id → leads, customer_id → customers, …), so no code per entity.
import { App, Button, Card, DatePicker, Empty, Form, Input, Segmented, Skeleton, Timeline, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { isApiError, newIdempotencyKey } from '../api/client';
import { invalidateEntity, useEntity, useRecordList } from '../api/queries';
import type { EntityDef, FieldDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { UserName } from '../records/FieldDisplay';
import { findField } from '../records/schema';
import { formatDateTime } from '../records/values';

export const ACTIVITIES = 'activities';

/** The activities field that references `parent`, if the schema has one. */
export function followUpLink(activities: EntityDef | undefined, parent: string): FieldDef | undefined {
  return activities?.fields.find((f) => f.type === 'reference' && f.ref_entity === parent && !f.readonly);
}

interface FollowUpValues {
  kind: string;
  content: string;
  occurred_at: Dayjs;
}

export function FollowUpPanel({ parent, id }: { parent: string; id: string }) {
  const { t, label } = useI18n();
  const { entity: activities } = useEntity(ACTIVITIES);
  const link = followUpLink(activities, parent);
  if (!activities || !link) return null;
  return (
    <Card size="small" title={label(activities, t('activities.title'))} data-testid="followups">
      <AddFollowUp activities={activities} link={link} parent={parent} id={id} />
      <FollowUpList activities={activities} link={link} id={id} />
    </Card>
  );
}

function AddFollowUp({ activities, link, parent, id }: { activities: EntityDef; link: FieldDef; parent: string; id: string }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<FollowUpValues>();
  const [saving, setSaving] = useState(false);
  // One key per follow-up being written: a retried submit cannot record it twice; renewed after
  // success or a 4xx (nothing was created then).
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const kindField = findField(activities, 'kind');
  const kinds = useMemo(() => (kindField?.options ?? []).map((o) => ({ value: o.value, label: label(o, o.value) })), [kindField, label]);

  const submit = async (v: FollowUpValues) => {
    setSaving(true);
    try {
      await endpoints.create(
        ACTIVITIES,
        { kind: v.kind, content: v.content.trim(), [link.name]: id, occurred_at: (v.occurred_at ?? dayjs()).format() },
        idemKey,
      );
      message.success(t('activities.added'));
      form.resetFields();
      setIdemKey(newIdempotencyKey());
      // The parent's computed fields (响应时效, first follow-up time) may change too.
      await Promise.all([invalidateEntity(qc, ACTIVITIES), invalidateEntity(qc, parent)]);
    } catch (e) {
      if (isApiError(e) && e.status >= 400 && e.status < 500) setIdemKey(newIdempotencyKey());
      showError(e, form, ['kind', 'content', 'occurred_at']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<FollowUpValues>
      form={form}
      name="followup"
      layout="vertical"
      onFinish={submit}
      initialValues={{ kind: kinds[0]?.value ?? 'call', content: '', occurred_at: undefined }}
      style={{ marginBottom: 16 }}
    >
      <Form.Item name="kind" label={kindField ? label(kindField) : t('activities.kind')} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
        <Segmented block options={kinds} data-testid="followup-kind" />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('activities.content')}
        rules={[{ required: true, whitespace: true, message: `${t('activities.content')} · ${t('records.requiredMark')}` }]}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} placeholder={t('activities.contentPlaceholder')} data-testid="followup-content" />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <Form.Item name="occurred_at" style={{ marginBottom: 0, flex: '1 1 180px' }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={t('activities.occurredAt')} style={{ width: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="followup-submit">
          {t('activities.add')}
        </Button>
      </div>
    </Form>
  );
}

function FollowUpList({ activities, link, id }: { activities: EntityDef; link: FieldDef; id: string }) {
  const { t, label } = useI18n();
  const list = useRecordList(ACTIVITIES, { [link.name]: id, sort: '-occurred_at' });
  const kindField = findField(activities, 'kind');
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isLoading) return <Skeleton active />;
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.empty')} />;
  return (
    <>
      <Timeline
        data-testid="followup-timeline"
        items={rows.map((a) => ({
          key: a.id,
          children: (
            <div data-testid="followup-item">
              <div style={{ display: 'flex', gap: 8, alignItems: 'baseline', flexWrap: 'wrap' }}>
                <strong>{label(kindField?.options?.find((o) => o.value === a.kind), String(a.kind ?? ''))}</strong>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {typeof a.owner_id === 'string' ? <UserName id={a.owner_id} /> : null}
                  {' · '}
                  {typeof a.occurred_at === 'string' ? formatDateTime(a.occurred_at) : ''}
                </Typography.Text>
              </div>
              {a.content ? <div style={{ whiteSpace: 'pre-wrap' }}>{String(a.content)}</div> : null}
            </div>
          ),
        }))}
      />
      {list.hasNextPage && (
        <Button size="small" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </>
  );
}
