// The generic detail screen: every field with its schema label (custom fields included), edit
// in a drawer (PATCH with If-Match = version), archive/unarchive, follow-ups and field history. A
// field only an action changes (a lead's owner) is read-only in the drawer; 分配 sits next to it.
import { ArrowLeftOutlined, EditOutlined, InboxOutlined, KeyOutlined, UndoOutlined, UserAddOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Drawer, Input, Modal, Result, Row, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { isApiError } from '../api/client';
import { invalidateEntity, keys, useEntity, useRecord } from '../api/queries';
import type { EntityDef, RecordData } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { useIsMobile } from '../app/useIsMobile';
import { ACTIVITIES, FollowUpPanel, followUpLink } from '../leads/FollowUpPanel';
import { AttributionSection, hasPipeline, LeadProgress } from '../leads/LeadProgress';
import { AssignModal, LeadPoolActions, useMayAssign } from '../pools/LeadPoolActions';
import { isAttributionField, PIPELINE_FIELDS } from '../leads/pipeline';
import { TasksPanel } from '../leads/TasksPanel';
import { FieldDisplay } from './FieldDisplay';
import { AttachmentsCard } from './AttachmentsCard';
import { HistoryTimeline } from './HistoryTimeline';
import { RecordForm } from './RecordForm';
import { changedByAction, editableFields, isColorEnum, recordTitle } from './schema';
import { buildPatchBody, formatDateTime, type FormValue } from './values';
import { useCan } from '../access/useCan';
import { maskedFields } from '../access/rights';
import { RequestAccessModal } from '../access/RequestAccessModal';
import { InviteModal } from '../access/InviteModal';
import { HomeButton } from '../app/HomeButton';
import { useAuth } from '../auth/AuthProvider';
import type { FieldDef } from '../api/types';

export default function RecordDetailPage({ entityName }: { entityName: string }) {
  const { id = '' } = useParams();
  const { t, label } = useI18n();
  const { entity, isLoading } = useEntity(entityName);
  const record = useRecord(entityName, id);
  if (isLoading || record.isLoading) return <Skeleton active />;
  if (!entity) return <Result status="404" title={t('error.unknownEntity', { name: entityName })} extra={<HomeButton />} />;
  if (!record.data) {
    const detail = isApiError(record.error) ? record.error.detail : t('records.notFound');
    return (
      <Result
        status={isApiError(record.error) && record.error.status === 403 ? '403' : '404'}
        title={detail}
        extra={
          <Link to={`/${entity.name}`}>
            <Button type="primary">{t('records.backToList', { entity: label(entity, entity.name) })}</Button>
          </Link>
        }
      />
    );
  }
  return <RecordDetail entity={entity} record={record.data} />;
}

function RecordDetail({ entity, record }: { entity: EntityDef; record: RecordData }) {
  const { t, label, lang } = useI18n();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [archiveOpen, setArchiveOpen] = useState(false);
  const [reason, setReason] = useState('');
  // The version the open edit form was based on: If-Match sends this, not whatever is newest.
  const [editBase, setEditBase] = useState<RecordData>(record);

  const entityLabel = label(entity, entity.name);
  const { entity: activities } = useEntity(ACTIVITIES);
  const colorField = entity.fields.find(isColorEnum);
  // Leads: 响应时效/触达 get their own card and 广告归因 its folded section, not the field list.
  const pipeline = hasPipeline(entity);
  const ownCard = useMemo(
    () => (pipeline ? new Set<string>([...PIPELINE_FIELDS, ...entity.fields.filter((f) => isAttributionField(f.name)).map((f) => f.name)]) : new Set<string>()),
    [entity, pipeline],
  );
  const business = useMemo(() => entity.fields.filter((f) => !f.system && !ownCard.has(f.name)), [entity, ownCard]);
  const system = useMemo(
    // Bookkeeping worth reading: not the id or the version (the title line shows v<N>), and the
    // archive time and reason only on an archived record.
    () => entity.fields.filter((f) => f.system && f.name !== 'id' && f.name !== 'version' && ((f.name !== 'archive_reason' && f.name !== 'archived_at') || record.archived_at)),
    [entity, record.archived_at],
  );
  const editFieldNames = useMemo(() => editableFields(entity).map((f) => f.name), [entity]);
  const may = useCan();
  const mayEdit = may(entity.name, 'update');
  const mayArchive = may(entity.name, 'archive');
  const masked = maskedFields(record);
  // 申请查看 opens with the field clicked (or every masked field); 邀请协作 the invitation.
  const [requestFields, setRequestFields] = useState<string[] | null>(null);
  const [inviting, setInviting] = useState(false);
  // 分配 where the owner is shown: the same people and the same leads as the pool bar's button
  // (not a pooled lead: that one is claimed or transferred).
  const { me } = useAuth();
  const mayAssign = useMayAssign();
  const [assigning, setAssigning] = useState(false);
  const assignable = entity.name === 'leads' && !record.archived_at && !record.pool_id && (mayAssign || (!!me && record.owner_id === me.user.id));
  const assignButton = (f: FieldDef, testId: string, onClick: () => void) =>
    assignable && changedByAction(f) && f.changed_by === 'assign' ? (
      <Button size="small" type="link" icon={<UserAddOutlined />} style={{ padding: 0, height: 'auto' }} onClick={onClick} data-testid={testId}>
        {t('assign.button')}
      </Button>
    ) : null;

  const openEdit = () => {
    setEditBase(record);
    setEditing(true);
  };

  const save = async (values: Record<string, FormValue>, form: Parameters<typeof showError>[1]) => {
    const body = buildPatchBody(entity, editBase, values);
    if (Object.keys(body).length === 0) {
      message.info(t('records.noChanges'));
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      const updated = await endpoints.update(entity.name, record.id, editBase.version, body);
      qc.setQueryData(keys.get(entity.name, record.id), updated);
      message.success(t('common.saved'));
      setEditing(false);
      void invalidateEntity(qc, entity.name);
    } catch (e) {
      if (isApiError(e) && e.status === 412) {
        // Someone else saved first: load their version and let the user redo the change on it.
        const fresh = await endpoints.get(entity.name, record.id).catch(() => null);
        if (fresh) {
          qc.setQueryData(keys.get(entity.name, record.id), fresh);
          setEditBase(fresh);
        }
        void invalidateEntity(qc, entity.name);
        message.warning(t('records.versionConflict'));
      } else {
        showError(e, form, editFieldNames);
      }
    } finally {
      setSaving(false);
    }
  };

  const toggleArchive = async () => {
    try {
      const next = record.archived_at
        ? await endpoints.unarchive(entity.name, record.id)
        : await endpoints.archive(entity.name, record.id, reason.trim());
      qc.setQueryData(keys.get(entity.name, record.id), next);
      setArchiveOpen(false);
      setReason('');
      message.success(t('common.saved'));
      void invalidateEntity(qc, entity.name);
    } catch (e) {
      showError(e);
    }
  };

  const fieldsCard = (
    <Card size="small" title={t('records.fields')} data-testid="record-fields">
      <Descriptions
        size="small"
        column={mobile ? 1 : 2}
        items={[...business, ...system].map((f) => {
          const value = (
            <span data-testid={`value-${f.name}`} data-masked={masked.includes(f.name) ? 'true' : undefined}>
              <FieldDisplay field={f} value={record[f.name]} masked={masked.includes(f.name)} />
            </span>
          );
          const action = masked.includes(f.name) ? (
            <Button size="small" type="link" icon={<KeyOutlined />} style={{ padding: 0, height: 'auto' }} onClick={() => setRequestFields([f.name])} data-testid={`request-${f.name}`}>
              {t('masked.request')}
            </Button>
          ) : (
            assignButton(f, 'assign-inline', () => setAssigning(true))
          );
          return {
            key: f.name,
            label: label(f, f.name),
            children: action ? (
              <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
                {value}
                {action}
              </span>
            ) : (
              value
            ),
          };
        })}
      />
    </Card>
  );
  const historyCard = (
    <Card size="small" title={t('records.history')}>
      <HistoryTimeline entity={entity} id={record.id} />
    </Card>
  );
  const followUps = (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <TasksPanel parent={entity.name} id={record.id} />
      <FollowUpPanel parent={entity.name} id={record.id} />
    </Space>
  );
  const attachments = <AttachmentsCard entity={entity.name} id={record.id} />;
  const hasFollowUps = !!followUpLink(activities, entity.name);
  const attribution = pipeline ? <AttributionSection entity={entity} record={record} /> : null;

  return (
    <div data-testid={`detail-${entity.name}`}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="record-title">
          {recordTitle(entity, record)}
        </Typography.Title>
        {colorField && <FieldDisplay field={colorField} value={record[colorField.name]} />}
        {record.archived_at && <Tag color="default">{t('records.archivedAt', { at: formatDateTime(record.archived_at) })}</Tag>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {entityLabel} · v{record.version}
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Space>
          <Button icon={<UsergroupAddOutlined />} onClick={() => setInviting(true)} data-testid="invite" title={t('grant.invite')}>
            {mobile ? null : t('grant.invite')}
          </Button>
          {mayEdit && (
            <Button icon={<EditOutlined />} type="primary" onClick={openEdit} data-testid="edit-record">
              {t('common.edit')}
            </Button>
          )}
          {mayArchive && (
            <Button
              icon={record.archived_at ? <UndoOutlined /> : <InboxOutlined />}
              onClick={() => (record.archived_at ? void toggleArchive() : setArchiveOpen(true))}
            >
              {mobile ? null : record.archived_at ? t('records.unarchive') : t('records.archive')}
            </Button>
          )}
        </Space>
      </div>

      {mobile ? (
        // On a phone the follow-ups come first: adding one is what a salesperson opens a lead for.
        <>
          {pipeline && <LeadProgress record={record} compact />}
          {entity.name === 'leads' && (
            <div style={{ margin: '8px 0' }}>
              <LeadPoolActions lead={record} compact />
            </div>
          )}
          <Tabs
            defaultActiveKey={hasFollowUps ? 'followups' : 'fields'}
            items={[
              ...(hasFollowUps ? [{ key: 'followups', label: label(activities, t('activities.title')), children: followUps }] : []),
              {
                key: 'fields',
                label: t('records.fields'),
                children: (
                  <Space direction="vertical" style={{ width: '100%' }} size={12}>
                    {fieldsCard}
                    {attribution}
                  </Space>
                ),
              },
              { key: 'attachments', label: <span data-testid="tab-attachments">{t('attach.title')}</span>, children: attachments },
              { key: 'history', label: t('records.history'), children: historyCard },
            ]}
          />
        </>
      ) : (
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Space direction="vertical" style={{ width: '100%' }} size={16}>
              {entity.name === 'leads' && (
                <Card size="small">
                  <LeadPoolActions lead={record} />
                </Card>
              )}
              {pipeline && <LeadProgress record={record} />}
              {fieldsCard}
              {attribution}
              {attachments}
              {historyCard}
            </Space>
          </Col>
          <Col xs={24} lg={10}>
            {followUps}
          </Col>
        </Row>
      )}

      <Drawer
        title={t('records.edit', { entity: entityLabel })}
        open={editing}
        onClose={() => setEditing(false)}
        width={mobile ? '100%' : 520}
        destroyOnClose
      >
        <RecordForm
          key={editBase.version}
          entity={entity}
          record={editBase}
          name="edit"
          fold={pipeline ? { title: t('pipeline.attribution'), test: (f) => isAttributionField(f.name) } : undefined}
          submitting={saving}
          fieldExtra={(f) =>
            assignButton(f, 'edit-assign', () => {
              setEditing(false);
              setAssigning(true);
            })
          }
          onSubmit={(v, form) => void save(v, form)}
          onCancel={() => setEditing(false)}
        />
      </Drawer>

      {requestFields && (
        <RequestAccessModal entity={entity} record={record} fields={requestFields} open onClose={() => setRequestFields(null)} />
      )}
      {entity.name === 'leads' && <AssignModal leadIds={[record.id]} open={assigning} onClose={() => setAssigning(false)} />}
      {inviting && <InviteModal entity={entity.name} recordId={record.id} withFollowUps={hasFollowUps} open onClose={() => setInviting(false)} />}

      <Modal
        title={t('records.archive')}
        open={archiveOpen}
        onOk={() => void toggleArchive()}
        onCancel={() => setArchiveOpen(false)}
        okText={t('records.archive')}
        cancelText={t('common.cancel')}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('records.archiveReason')}
          autoSize={{ minRows: 2 }}
          lang={lang}
        />
      </Modal>
    </div>
  );
}
