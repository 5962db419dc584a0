// The field history of a record (GET …/{id}/history): who changed which field from old to new,
// and when. Values are shown with the same renderers as the record itself.
import { Empty, Skeleton, Timeline, Typography } from 'antd';
import { useHistory, usePools, useUserMap } from '../api/queries';
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
};

/** "lead.created" → the verb in the UI language; unknown types are shown as they are. */
export function eventVerb(type: string, t: (k: MessageKey) => string): string {
  const suffix = type.slice(type.lastIndexOf('.') + 1);
  return VERBS[suffix] ? t(VERBS[suffix]) : type;
}

export function HistoryTimeline({ entity, id }: { entity: EntityDef; id: string }) {
  const { t } = useI18n();
  const { data, isLoading } = useHistory(entity.name, id);
  if (isLoading) return <Skeleton active />;
  if (!data || data.length === 0) return <Empty description={t('records.historyEmpty')} />;
  const items = [...data].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      data-testid="history"
      items={items.map((h) => ({
        key: h.seq,
        children: <HistoryEntry entity={entity} item={h} />,
      }))}
    />
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
  return (
    <div data-testid="history-item" data-type={item.type}>
      <div>
        <strong>{item.actor?.name ?? '—'}</strong> {eventVerb(item.type, t)}
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
          {formatDateTime(item.at)}
        </Typography.Text>
      </div>
      {reason ? (
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
