// The generic "new record" screen: the schema-driven form, POST with an Idempotency-Key (kept
// across retries of the same submission), then the new record's detail page. Query parameters
// that name editable fields prefill them, e.g. /tasks/new?lead_id=… from a lead. A lead also gets
// its 归属公海 (when there is more than one pool) and the 关闭手工录入 notice.
import { ArrowLeftOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Card, Result, Skeleton, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError, newIdempotencyKey } from '../api/client';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, keys, useEntity } from '../api/queries';
import type { EntityDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { RecordForm } from './RecordForm';
import { FormDuplicateHint } from '../leads/DuplicateHint';
import { isAttributionField } from '../leads/pipeline';
import type { FieldDef } from '../api/types';
import { editableFields, recordTitle } from './schema';
import { buildCreateBody, type FormValue } from './values';
import { HomeButton } from '../app/HomeButton';
import { HOME_POOL_FIELD, HomePoolField, homePoolOf, ManualEntryClosed, ManualEntryRefusal, useHomePool } from '../pools/HomePoolField';

/** Entities whose phone / wechat / company the duplicate check (查重) covers. */
const DUPLICATE_CHECKED = new Set(['leads', 'customers', 'contacts']);

export default function RecordCreatePage({ entityName }: { entityName: string }) {
  const { t } = useI18n();
  const { entity, isLoading } = useEntity(entityName);
  if (isLoading) return <Skeleton active />;
  if (!entity) return <Result status="404" title={t('error.unknownEntity', { name: entityName })} extra={<HomeButton />} />;
  return <CreateRecord entity={entity} />;
}

function CreateRecord({ entity }: { entity: EntityDef }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [search] = useSearchParams();
  const [saving, setSaving] = useState(false);
  // Kept while the outcome is unknown (network error, 5xx) so a retry cannot create twice; renewed
  // after a 4xx, which proves nothing was created (and the corrected body will differ).
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const editable = useMemo(() => editableFields(entity), [entity]);
  const isLead = entity.name === 'leads';
  const homePool = useHomePool(isLead);
  const { choice, refusal, clearRefusal } = homePool;
  const after = useMemo(
    () =>
      isLead ? (
        <>
          <HomePoolField choice={choice} onChange={clearRefusal} />
          <ManualEntryRefusal refusal={refusal} />
        </>
      ) : undefined,
    [isLead, choice, refusal, clearRefusal],
  );
  const defaults = useMemo(() => {
    const out: Record<string, FormValue> = {};
    for (const f of editable) {
      const v = search.get(f.name);
      if (v && (f.type === 'reference' || f.type === 'user' || f.type === 'enum' || f.type === 'text')) out[f.name] = v;
    }
    return out;
  }, [editable, search]);
  const entityLabel = label(entity, entity.name);
  // 查重 under phone / WeChat / company of the entities the duplicate check covers.
  const checked = DUPLICATE_CHECKED.has(entity.name);
  const fieldExtra = useMemo(
    () =>
      checked
        ? (f: FieldDef) =>
            f.name === 'phone' || f.name === 'wechat' || f.name === 'company' ? <FormDuplicateHint field={f.name} /> : null
        : undefined,
    [checked],
  );
  const fold = useMemo(
    () => (entity.fields.some((f) => isAttributionField(f.name)) ? { title: t('pipeline.attribution'), test: (f: FieldDef) => isAttributionField(f.name) } : undefined),
    [entity, t],
  );

  return (
    <div style={{ maxWidth: 720 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('records.new', { entity: entityLabel })}
        </Typography.Title>
        {entity.name === 'leads' && (
          <Link to="/leads/quick" replace data-testid="to-quick-entry">
            <ThunderboltOutlined /> {t('shell.quickEntry')}
          </Link>
        )}
      </div>
      <Card size="small">
        {isLead && <ManualEntryClosed choice={choice} />}
        <RecordForm
          entity={entity}
          defaults={defaults}
          name="create"
          fieldExtra={fieldExtra}
          fold={fold}
          submitting={saving}
          submitLabel={t('common.create')}
          after={after}
          submitDisabled={isLead && choice.closed}
          onCancel={() => navigate(-1)}
          onSubmit={async (values, form) => {
            setSaving(true);
            clearRefusal();
            try {
              const body: Record<string, unknown> = buildCreateBody(entity, values);
              const homePoolId = isLead ? homePoolOf(choice, values[HOME_POOL_FIELD]) : undefined;
              if (homePoolId) body[HOME_POOL_FIELD] = homePoolId;
              const { record: created, deduplicated } = await endpoints.createChecked(entity.name, body, idemKey);
              qc.setQueryData(keys.get(entity.name, created.id), created);
              void invalidateEntity(qc, entity.name);
              if (deduplicated) {
                // 查重: the phone/WeChat is a lead within the dedup window; it got a touch instead.
                message.warning({
                  content: t('dedup.created', { name: recordTitle(entity, created), n: String(created.touch_count ?? '') }),
                  duration: 6,
                  key: 'dedup',
                });
              } else {
                message.success(t('common.created'));
              }
              navigate(`/${entity.name}/${encodeURIComponent(created.id)}`, { replace: true });
            } catch (e) {
              if (isApiError(e) && e.status >= 400 && e.status < 500) setIdemKey(newIdempotencyKey());
              // 关闭手工录入 stays on the form in the server's words (it names the pool).
              if (!homePool.refused(e)) showError(e, form, [...editable.map((f) => f.name), HOME_POOL_FIELD]);
            } finally {
              setSaving(false);
            }
          }}
        />
      </Card>
    </div>
  );
}
