// The lead page's pipeline figures: 响应时效 (computed by the server at the first follow-up; until
// then "waiting N h" since creation), first follow-up, touches (触达次数: repeated intake within
// the dedup window), last touch, intake source; and the folded 「广告归因」 section.
import { QuestionCircleOutlined } from '@ant-design/icons';
import { Badge, Card, Collapse, Descriptions, Tag, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { EntityDef, RecordData } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { useNow } from '../app/useNow';
import { FieldDisplay } from '../records/FieldDisplay';
import { formatDateTime } from '../records/values';
import { isAttributionField, responseState, responseText, responseTone } from './pipeline';

/** Whether the entity has the lead pipeline fields (the server computes them). */
export function hasPipeline(entity: EntityDef): boolean {
  return entity.fields.some((f) => f.name === 'response_hours');
}

/** The 响应时效 tag; `wrap`: may break at spaces (a long wait in a narrow desktop column). */
export function ResponseTime({ record, wrap }: { record: RecordData; wrap?: boolean }) {
  const { lang } = useI18n();
  const now = useNow();
  const state = responseState(record, now);
  return (
    <Tag color={responseTone(state)} data-testid="response-time" data-state={state.kind} style={{ marginInlineEnd: 0, whiteSpace: wrap ? 'normal' : undefined, height: 'auto' }}>
      {responseText(state, lang)}
    </Tag>
  );
}

function IntakeSourceName({ id }: { id: string }) {
  const { can } = useAuth();
  const allowed = can('intake.manage');
  // Only intake managers may list sources; others see the id's start.
  const sources = useQuery({ queryKey: keys.intakeSources, queryFn: endpoints.intakeSources, enabled: allowed, staleTime: 60_000 });
  const name = sources.data?.items.find((s) => s.id === id)?.name;
  return <span data-testid="intake-source">{name ?? `${id.slice(0, 8)}…`}</span>;
}

export function LeadProgress({ record, compact }: { record: RecordData; compact?: boolean }) {
  const { t } = useI18n();
  // On a phone the year is dropped to keep each figure on one line.
  const dt = (v: unknown) => (typeof v === 'string' && v ? (compact ? formatDateTime(v).slice(5) : formatDateTime(v)) : t('pipeline.none'));
  const items = [
    {
      key: 'response',
      label: (
        <span>
          {t('pipeline.response')}{' '}
          <Tooltip title={t('pipeline.responseHelp')}>
            <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,.45)' }} />
          </Tooltip>
        </span>
      ),
      children: <ResponseTime record={record} />,
      // On a phone the tag ("等待中 12.5 小时") needs the whole row, or it runs into 触达次数.
      ...(compact ? { span: 2 } : {}),
    },
    { key: 'touches', label: t('pipeline.touches'), children: <span data-testid="touch-count">{typeof record.touch_count === 'number' ? record.touch_count : '—'}</span> },
    { key: 'first', label: t('pipeline.firstFollowup'), children: <span data-testid="first-followup">{dt(record.first_followup_at)}</span> },
    { key: 'last', label: t('pipeline.lastTouch'), children: <span data-testid="last-touch">{dt(record.last_touch_at)}</span> },
    ...(typeof record.intake_source_id === 'string' && record.intake_source_id
      ? [{ key: 'source', label: t('pipeline.intakeSource'), children: <IntakeSourceName id={record.intake_source_id} /> }]
      : []),
  ];
  return (
    <Card size="small" title={compact ? undefined : t('pipeline.title')} data-testid="lead-progress" styles={compact ? { body: { padding: '8px 12px' } } : undefined}>
      <Descriptions size="small" column={2} items={items} colon={!compact} />
    </Card>
  );
}

/** 「广告归因」: Baidu / Ocean Engine / UTM fields of the lead, folded; the count of filled ones. */
export function AttributionSection({ entity, record }: { entity: EntityDef; record: RecordData }) {
  const { t, label } = useI18n();
  const fields = entity.fields.filter((f) => isAttributionField(f.name));
  if (fields.length === 0) return null;
  const filled = fields.filter((f) => record[f.name] !== null && record[f.name] !== undefined && record[f.name] !== '');
  return (
    <Collapse
      size="small"
      data-testid="attribution"
      items={[
        {
          key: 'ads',
          label: (
            <span>
              {t('pipeline.attribution')} <Badge count={filled.length} showZero={false} color="#1d4ed8" size="small" />
            </span>
          ),
          children:
            filled.length === 0 ? (
              <Typography.Text type="secondary">{t('pipeline.attributionEmpty')}</Typography.Text>
            ) : (
              <Descriptions
                size="small"
                column={1}
                items={filled.map((f) => ({
                  key: f.name,
                  label: label(f, f.name),
                  children: (
                    <span data-testid={`value-${f.name}`}>
                      <FieldDisplay field={f} value={record[f.name]} />
                    </span>
                  ),
                }))}
              />
            ),
        },
      ]}
    />
  );
}
