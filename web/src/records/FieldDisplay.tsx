// Shows one field value read-only, by field type: option labels, color badges, ¥ amounts,
// tenant-zone times, user names and links to referenced records.
import { LockOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { EntityDef, FieldDef, FieldValue, RecordData } from '../api/types';
import { usePools, useSchema, useUserMap, useRecordsByIds } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { ColorBadge } from '../leads/ColorBadge';
import { isColorEnum, recordTitle } from './schema';
import { formatDateTime, formatMoney } from './values';
import { formatPhone } from '../leads/phone';
import type { RefMaps } from './references';

export interface FieldDisplayProps {
  field: FieldDef;
  value: FieldValue | undefined;
  /** Preloaded referenced records (lists); without it a reference loads its own target. */
  refs?: RefMaps;
  /** Narrow rendering for table cells. */
  compact?: boolean;
  /** The server sent the value masked ("138****5678", the record's `_masked`): shown as is, with a lock. */
  masked?: boolean;
}

export function FieldDisplay({ field, value, refs, compact, masked }: FieldDisplayProps) {
  const { t, label, lang } = useI18n();
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  // A masked phone ("138****5678") is never a dial link, wherever it shows (history too).
  if (masked || (field.type === 'phone' && String(value).includes('****'))) {
    return (
      <Tooltip title={t('masked.lock')}>
        <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid="masked-value">
          <LockOutlined style={{ color: '#9ca3af', marginInlineEnd: 4 }} aria-label={t('masked.lock')} />
          {Array.isArray(value) ? value.join(', ') : String(value)}
        </span>
      </Tooltip>
    );
  }
  const option = (v: string) => field.options?.find((o) => o.value === v);
  switch (field.type) {
    case 'enum': {
      const o = option(String(value));
      if (isColorEnum(field)) return <ColorBadge value={String(value)} label={label(o)} lang={lang} />;
      return <span>{o ? label(o) : String(value)}</span>;
    }
    case 'multi_enum':
    case 'tags':
      return (
        <span style={{ display: 'inline-flex', flexWrap: compact ? 'nowrap' : 'wrap', gap: 4 }}>
          {(Array.isArray(value) ? value : [String(value)]).map((v) => (
            <Tag key={v} style={{ marginInlineEnd: 0 }}>
              {label(option(v), v)}
            </Tag>
          ))}
        </span>
      );
    case 'money':
      return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{typeof value === 'number' ? formatMoney(value) : String(value)}</span>;
    case 'number':
      return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value)}</span>;
    case 'datetime':
      return <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(String(value))}</span>;
    case 'bool':
      return <span>{value ? t('common.yes') : t('common.no')}</span>;
    case 'user':
      return <UserName id={String(value)} />;
    case 'reference':
      return <ReferenceLink entity={field.ref_entity} id={String(value)} refs={refs} />;
    case 'phone':
      // E.164 from the server ("+8613800138000"), shown grouped: +86 138 0013 8000.
      return (
        <a href={`tel:${String(value)}`} onClick={(e) => e.stopPropagation()} style={{ whiteSpace: 'nowrap' }}>
          {formatPhone(String(value))}
        </a>
      );
    case 'email':
      return <a href={`mailto:${String(value)}`} onClick={(e) => e.stopPropagation()}>{String(value)}</a>;
    default:
      // The lead's pool fields hold pool ids as text (the schema has no pool reference type).
      if (POOL_FIELDS.has(field.name)) return <PoolName id={String(value)} />;
      return <span style={compact ? undefined : { whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
  }
}

const POOL_FIELDS = new Set(['pool_id', 'home_pool_id']);

function PoolName({ id }: { id: string }) {
  const pools = usePools();
  const pool = pools.data?.find((p) => p.id === id);
  return <span>{pool ? pool.name : id.slice(0, 8)}</span>;
}

export function UserName({ id }: { id: string }) {
  const users = useUserMap();
  return <span>{users.get(id)?.name ?? id.slice(0, 8)}</span>;
}

function ReferenceLink({ entity, id, refs }: { entity?: string; id: string; refs?: RefMaps }) {
  const preloaded = entity ? refs?.get(entity)?.get(id) : undefined;
  const own = useRecordsByIds(refs || !entity ? undefined : entity, [id]);
  const schema = useSchema();
  const def: EntityDef | undefined = schema.data?.entities.find((e) => e.name === entity);
  const record: RecordData | undefined = preloaded ?? own.data?.get(id);
  const text = record ? recordTitle(def, record) : id.slice(0, 8) + '…';
  if (!entity) return <span>{text}</span>;
  return (
    <Link to={`/${entity}/${encodeURIComponent(id)}`} onClick={(e) => e.stopPropagation()}>
      {text}
    </Link>
  );
}
