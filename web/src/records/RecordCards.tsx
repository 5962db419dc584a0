// The phone list: one compact card per record (title, color badge, three more fields, time),
// with an intersection sentinel that asks for the next page near the end.
import { Card, Empty, Spin } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import type { EntityDef, RecordData } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { FieldDisplay } from './FieldDisplay';
import { useReferenceMaps } from './references';
import { cardFields, isColorEnum, listFields, namingField, recordTitle } from './schema';

/** How many non-empty fields a card shows under the title. */
const CARD_LINES = 4;

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
import { formatDateTime } from './values';

export interface RecordCardsProps {
  entity: EntityDef;
  rows: RecordData[];
  loading: boolean;
  onEndReached: () => void;
  footer?: React.ReactNode;
}

export function RecordCards({ entity, rows, loading, onEndReached, footer }: RecordCardsProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const color = useMemo(() => listFields(entity).find(isColorEnum), [entity]);
  const rest = useMemo(() => cardFields(entity), [entity]);
  const refs = useReferenceMaps(rest, rows);
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onEndReached(), { rootMargin: '400px' });
    io.observe(el);
    return () => io.disconnect();
  }, [onEndReached]);

  if (!loading && rows.length === 0) return <Empty description={t('common.empty')} />;
  return (
    <div data-testid="record-cards" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {rows.map((r) => (
        <Card
          key={r.id}
          size="small"
          hoverable
          data-testid="record-card"
          onClick={() => navigate(`/${entity.name}/${encodeURIComponent(r.id)}`)}
          styles={{ body: { padding: '10px 12px' } }}
        >
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, justifyContent: 'space-between' }}>
            <strong style={{ fontSize: 15, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{recordTitle(entity, r)}</strong>
            {color && r[color.name] ? <FieldDisplay field={color} value={r[color.name]} /> : null}
          </div>
          <div style={{ display: 'flex', flexWrap: 'wrap', columnGap: 12, rowGap: 2, marginTop: 4, fontSize: 13, color: 'rgba(0,0,0,.65)' }}>
            {rest
              .filter((f) => !isBlank(r[f.name]) && f !== namingField(entity, r))
              .slice(0, CARD_LINES)
              .map((f) => (
                <span key={f.name}>
                  <FieldDisplay field={f} value={r[f.name]} refs={refs} compact masked={r._masked?.includes(f.name)} />
                </span>
              ))}
          </div>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,.45)', marginTop: 4 }}>{formatDateTime(r.created_at)}</div>
        </Card>
      ))}
      <div ref={sentinel} />
      {loading && <Spin style={{ margin: 12 }} />}
      {footer}
    </div>
  );
}
