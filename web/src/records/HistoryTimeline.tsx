// The history of a record (GET …/{id}/history): who changed which field from old to new, and when —
// 规则「name」 instead of the user a rule ran as (`caused_by`), a sent document with its download
// link (`document`) — plus what rules did that left no event on the record (GET /rule-firings:
// alerts, notifications, tasks, held or failed actions; leads/timeline.ts), and for what came in
// through an intake source 「经 <source> 进线」 with the payload as posted (原始数据, folded) and a
// touch's channel. Values are shown with the same renderers as the record itself.
import { ApiOutlined, CaretDownOutlined, CaretRightOutlined, FileTextOutlined, PaperClipOutlined, RobotOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useHistory, usePools, useUserMap } from '../api/queries';
import type { RuleFiring } from '../api/types';
import { actionSummary, firingErrorText, firingStatusText } from '../automation/ruleText';
import { NoChannelNote } from '../automation/NoChannelNote';
import { attachedFile, causedBy, intakeInfo, mergeTimeline, sentDocument, touchInfo, unconfiguredChannel, type IntakeInfo } from '../leads/timeline';
import { reasonText } from '../leads/historyReason';
import type { EntityDef, HistoryItem } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { FieldDisplay } from './FieldDisplay';
import { findField } from './schema';
import { formatDateTime } from './values';

const VERBS: Record<string, MessageKey> = {
  created: 'records.created',
  updated: 'records.changed',
  changed: 'records.changed',
  archived: 'records.archive',
  unarchived: 'records.unarchive',
  // lead.touched: the same phone/WeChat came in again within the dedup window (查重).
  touched: 'history.touched',
  assigned: 'history.assigned',
  claimed: 'history.claimed',
  released: 'history.released',
  reclaimed: 'history.reclaimed',
  transferred: 'history.transferred',
  document_sent: 'history.documentSent',
  attachment_added: 'history.attachmentAdded',
};

/** "lead.created" → the verb in the UI language; unknown types are shown as they are. */
export function eventVerb(type: string, t: (k: MessageKey) => string): string {
  const suffix = type.slice(type.lastIndexOf('.') + 1);
  return VERBS[suffix] ? t(VERBS[suffix]) : type;
}

export function HistoryTimeline({ entity, id }: { entity: EntityDef; id: string }) {
  const { t } = useI18n();
  const { data, isLoading } = useHistory(entity.name, id);
  const query = { entity: entity.name, record_id: id };
  // Keyed under the history, so the firings refresh with it (live events of the entity); a
  // refused or missing endpoint simply shows no rule entries.
  const firings = useQuery({
    queryKey: [...keys.history(entity.name, id), 'firings'],
    queryFn: () => endpoints.ruleFirings(query),
    select: (d) => d.items,
    retry: false,
  });
  if (isLoading) return <Skeleton active />;
  const entries = mergeTimeline(data ?? [], firings.data ?? []);
  if (entries.length === 0) return <Empty description={t('records.historyEmpty')} />;
  return (
    <Timeline
      data-testid="history"
      items={entries.map((e) =>
        e.kind === 'history'
          ? { key: e.key, children: <HistoryEntry entity={entity} item={e.item} /> }
          : { key: e.key, color: 'purple', dot: <RobotOutlined />, children: <RuleEntry name={e.ruleName} ruleId={e.ruleId} at={e.at} firings={e.firings} /> },
      )}
    />
  );
}

/** What one rule did on one event: 规则「name」 and each action with its outcome. */
function RuleEntry({ name, ruleId, at, firings }: { name: string; ruleId: string; at: string; firings: RuleFiring[] }) {
  const { t, lang } = useI18n();
  const users = useUserMap();
  return (
    <div data-testid="history-rule" data-rule-id={ruleId}>
      <div>
        <strong data-testid="history-rule-name">{t('history.byRule', { name })}</strong>
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
          {formatDateTime(at)}
        </Typography.Text>
      </div>
      {firings.map((f) => {
        const doc = f.action.type === 'send_document' && typeof f.result?.document_id === 'string' ? { id: f.result.document_id, name: String(f.result.name ?? f.result.document_id) } : null;
        return (
          <div key={f.action_index} style={{ fontSize: 13, display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'center' }} data-testid="history-rule-action" data-status={f.status}>
            <span>{actionSummary(f.action, lang, { user: (uid) => users.get(uid)?.name })}</span>
            {unconfiguredChannel(f) === null ? (
              <Tag color={f.status === 'done' ? 'green' : f.status === 'failed' ? 'red' : 'default'} style={{ marginInlineEnd: 0 }}>
                {firingStatusText(f.status, lang)}
              </Tag>
            ) : (
              <NoChannelNote kind={unconfiguredChannel(f) ?? ''} />
            )}
            {doc && (
              <a href={endpoints.documentUrl(doc.id)} download={doc.name}>
                <FileTextOutlined /> {doc.name}
              </a>
            )}
            {typeof f.result?.alert_id === 'string' && <Link to="/alerts">{t('history.alertRaised')}</Link>}
            {typeof f.result?.error === 'string' && <Typography.Text type="danger" data-testid="history-rule-error">{firingErrorText(f.result.error, lang)}</Typography.Text>}
          </div>
        );
      })}
    </div>
  );
}

function HistoryEntry({ entity, item }: { entity: EntityDef; item: HistoryItem }) {
  const { t, label, lang } = useI18n();
  const users = useUserMap();
  const pools = usePools();
  const reason = reasonText(
    item.reason,
    lang,
    (id) => users.get(id)?.name,
    (id) => pools.data?.find((p) => p.id === id)?.name,
  );
  const rule = causedBy(item);
  const doc = sentDocument(item);
  const file = attachedFile(item);
  const intake = intakeInfo(item);
  const touch = touchInfo(item);
  return (
    <div data-testid="history-item" data-type={item.type}>
      <div>
        <strong data-testid={rule ? 'history-by-rule' : undefined}>{rule ? t('history.byRule', { name: rule.rule_name || rule.rule_id.slice(0, 8) }) : item.actor?.name ?? '—'}</strong> {eventVerb(item.type, t)}
        {file && (
          <span data-testid="history-attachment">
            「
            <a href={endpoints.documentUrl(file.id)} download={file.name}>
              <PaperClipOutlined /> {file.name}
            </a>
            」
          </span>
        )}
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
          {formatDateTime(item.at)}
        </Typography.Text>
      </div>
      {(intake || touch) && <IntakeLine entity={entity} intake={intake} touch={touch} />}
      {intake?.raw && <RawPayload raw={intake.raw} />}
      {doc && (
        <div style={{ fontSize: 13 }} data-testid="history-document">
          <a href={endpoints.documentUrl(doc.id)} download={doc.name}>
            <FileTextOutlined /> {doc.name}
          </a>
        </div>
      )}
      {reason && !(rule && typeof item.reason === 'object') ? (
        <div style={{ fontSize: 13 }} data-testid="history-reason">
          <Typography.Text type="secondary">{t('history.reason', { reason })}</Typography.Text>
        </div>
      ) : null}
      {item.changes.map((c) => {
        const f = findField(entity, c.field);
        return (
          <div key={c.field} style={{ fontSize: 13, display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
            <Typography.Text type="secondary">{f ? label(f, c.field) : c.field}:</Typography.Text>
            {f ? <FieldDisplay field={f} value={c.old} compact /> : <span>{JSON.stringify(c.old)}</span>}
            <span aria-hidden>→</span>
            {f ? <FieldDisplay field={f} value={c.new} compact /> : <span>{JSON.stringify(c.new)}</span>}
          </div>
        );
      })}
    </div>
  );
}

/** 「经 <source> 进线」 and a touch's channel / first-touch action / path, on one wrapping line. */
function IntakeLine({ entity, intake, touch }: { entity: EntityDef; intake: IntakeInfo | null; touch: ReturnType<typeof touchInfo> }) {
  const { t, label } = useI18n();
  const value = (name: string, v: string) => {
    const f = findField(entity, name);
    return (
      <span style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }} data-testid={`history-touch-${name}`}>
        <Typography.Text type="secondary">{f ? label(f, name) : name}:</Typography.Text>
        {f ? <FieldDisplay field={f} value={v} compact /> : <span>{v}</span>}
      </span>
    );
  };
  return (
    <div style={{ fontSize: 13, display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }} data-testid="history-intake-line">
      {intake && (
        <Typography.Text type="secondary" data-testid="history-intake" data-source-id={intake.sourceId}>
          <ApiOutlined /> {t('history.viaIntake', { source: intake.sourceName })}
        </Typography.Text>
      )}
      {touch?.channel && value('channel', touch.channel)}
      {touch?.firstTouch && value('first_touch', touch.firstTouch)}
      {touch?.via && <Tag style={{ marginInlineEnd: 0 }}>{touch.via === 'quick_entry' ? t('shell.quickEntry') : touch.via}</Tag>}
    </div>
  );
}

/** The intake payload as posted, folded under 原始数据. */
function RawPayload({ raw }: { raw: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div style={{ fontSize: 13 }}>
      <Button
        type="link"
        size="small"
        style={{ padding: 0, height: 'auto' }}
        icon={open ? <CaretDownOutlined /> : <CaretRightOutlined />}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="history-raw-toggle"
      >
        {t('history.raw')}
      </Button>
      {open && (
        <pre
          data-testid="history-raw"
          style={{ margin: '4px 0 0', padding: '8px 10px', background: '#f8fafc', border: '1px solid #e5e7eb', borderRadius: 6, fontSize: 12, lineHeight: 1.5, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 280, overflow: 'auto' }}
        >
          {raw}
        </pre>
      )}
    </div>
  );
}
