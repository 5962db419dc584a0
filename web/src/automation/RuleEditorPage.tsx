// /rules/new and /rules/:id: the rule editor — name, trigger (event / after a delay / cron with a
// hint in words), the condition (builder or text), the ordered actions — with the server's
// validation shown at the input it names (an expression error with its line and column), and a
// dry run: which records match now and what each action would do. The server dry-runs saved
// rules only (POST /rules/{id}/dry-run with the unsaved changes as the body), so a new draft is
// first saved disabled; it takes effect when saved with 启用 on.
import { ExperimentOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Radio, Result, Select, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys, useSchema, useUserMap } from '../api/queries';
import type { DryRun, EntityDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { menuEntities } from '../records/schema';
import { ActionsEditor } from './ActionsEditor';
import { ConditionBuilder, conditionFields } from './ConditionBuilder';
import { caretSnippet, errorPosition } from './ruleExpr';
import { actionSummary, cronText, delayText, draftEntity, draftToBody, emptyDraft, errorTarget, eventLabel, eventsFor, isDelay, ruleToDraft, singularOf, wouldText, type RuleDraft } from './ruleText';

export default function RuleEditorPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('rules.manage')) return <Result status="403" title={t('auto.noPermission')} />;
  return <RuleEditor />;
}

function RuleEditor() {
  const { id = 'new' } = useParams();
  const { t, lang, label } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const schema = useSchema();
  const users = useUserMap();
  const entities = useMemo(() => menuEntities(schema.data?.entities ?? []), [schema.data]);
  const isNew = id === 'new';
  const rule = useQuery({ queryKey: keys.rule(id), queryFn: () => endpoints.rule(id), enabled: !isNew });
  const [draft, setDraft] = useState<RuleDraft>(() => emptyDraft());
  const loadedFor = useRef<string | null>(isNew ? 'new' : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [dryRunning, setDryRunning] = useState(false);
  const [savedAsDraft, setSavedAsDraft] = useState(false);

  // The stored rule becomes the draft once per rule (not again after our own save / dry run).
  useEffect(() => {
    if (rule.data && schema.data && loadedFor.current !== id) {
      loadedFor.current = id;
      setDraft(ruleToDraft(rule.data, schema.data.entities));
    }
  }, [rule.data, schema.data, id]);

  const entityName = draftEntity(draft, entities);
  const entity: EntityDef | undefined = entities.find((e) => e.name === entityName);
  const subject = singularOf(entityName);
  const fields = useMemo(() => conditionFields(entity), [entity]);
  const update = (patch: Partial<RuleDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
  };
  const body = () => draftToBody(draft, entities, fields);

  const fail = (e: unknown) => {
    if (isApiError(e) && e.field) {
      const target = errorTarget(e.field);
      setErrors({ [e.field]: e.detail });
      // An expression error is easiest to fix in the text: open it there.
      if (target.area === 'condition' && !draft.textMode) setDraft((d) => ({ ...d, textMode: true, conditionText: draftToBody(d, entities, fields).condition ?? '' }));
    }
    showError(e);
  };

  const save = async () => {
    setSaving(true);
    try {
      const b = body();
      if (isNew) await endpoints.createRule(b);
      else await endpoints.updateRule(id, b);
      await qc.invalidateQueries({ queryKey: keys.rules });
      void message.success(t('auto.saved'));
      navigate('/rules');
    } catch (e) {
      fail(e);
    } finally {
      setSaving(false);
    }
  };

  const dryRun = async () => {
    setDryRunning(true);
    setDry(null);
    try {
      const b = body();
      let ruleId = id;
      if (isNew) {
        // The server dry-runs stored rules: keep the draft as a disabled rule first.
        const created = await endpoints.createRule({ ...b, enabled: false });
        ruleId = created.id;
        loadedFor.current = ruleId;
        setSavedAsDraft(true);
        void qc.invalidateQueries({ queryKey: keys.rules });
        navigate(`/rules/${ruleId}`, { replace: true });
      }
      setDry(await endpoints.dryRunRule(ruleId, b));
    } catch (e) {
      fail(e);
    } finally {
      setDryRunning(false);
    }
  };

  if (!isNew && rule.isLoading) return <Skeleton active />;
  if (!isNew && rule.error) return <Result status="404" title={isApiError(rule.error) ? rule.error.detail : t('auto.notFound')} />;

  const err = (k: string) => errors[k];
  const conditionError = errors.condition;
  const pos = conditionError ? errorPosition(conditionError) : null;
  const snippet = pos && draft.textMode ? caretSnippet(draft.conditionText, pos) : null;
  const triggerError = Object.entries(errors).find(([k]) => k.startsWith('trigger') && k !== 'trigger.after.unless' && k !== 'trigger.after.delay')?.[1];
  const otherError = Object.entries(errors).find(([k]) => !k.startsWith('trigger') && !k.startsWith('actions') && k !== 'condition' && k !== 'name')?.[1];
  const cronHint = draft.kind === 'cron' ? cronText(draft.cron, lang) : null;

  return (
    <div data-testid="rule-editor" style={{ maxWidth: 980 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Link to="/rules">{t('auto.rules')}</Link>
        <span>/</span>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {isNew ? t('auto.newRule') : draft.name || t('auto.editRule')}
        </Typography.Title>
      </div>
      {savedAsDraft && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('auto.savedAsDraft')} data-testid="rule-draft-note" />}
      {otherError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={otherError} />}
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" title={t('auto.basics')}>
          <Form layout="vertical" component="div">
            <Form.Item label={t('auto.name')} required validateStatus={err('name') ? 'error' : undefined} help={err('name')} style={{ marginBottom: 8 }}>
              <Input value={draft.name} onChange={(e) => update({ name: e.target.value })} maxLength={200} placeholder={t('auto.namePlaceholder')} data-testid="rule-name" id="rule-name" />
            </Form.Item>
            <Form.Item label={t('auto.enabled')} style={{ marginBottom: 0 }}>
              <Switch checked={draft.enabled} onChange={(v) => update({ enabled: v })} data-testid="rule-enabled-switch" />
            </Form.Item>
          </Form>
        </Card>

        <Card size="small" title={t('auto.trigger')}>
          <Form layout="vertical" component="div">
            <Radio.Group
              value={draft.kind}
              onChange={(e) => update({ kind: e.target.value })}
              optionType="button"
              style={{ marginBottom: 12 }}
              options={[
                { value: 'event', label: <span data-testid="trigger-event">{t('auto.trig.event')}</span> },
                { value: 'after', label: <span data-testid="trigger-after">{t('auto.trig.after')}</span> },
                { value: 'cron', label: <span data-testid="trigger-cron">{t('auto.trig.cron')}</span> },
              ]}
            />
            {draft.kind !== 'cron' ? (
              <Form.Item label={t('auto.trig.eventLabel')} validateStatus={triggerError ? 'error' : undefined} help={triggerError} style={{ marginBottom: 8 }}>
                <Select
                  id="rule-event"
                  showSearch
                  optionFilterProp="label"
                  value={draft.event}
                  onChange={(event: string) => {
                    // Another entity: the builder's fields no longer apply.
                    const same = event.slice(0, event.indexOf('.')) === draft.event.slice(0, draft.event.indexOf('.'));
                    update(same ? { event } : { event, conditions: { join: 'and', rows: [] }, conditionText: '', textMode: false });
                  }}
                  options={entities.map((e) => ({ label: label(e, e.name), options: eventsFor(e).map((ev) => ({ value: ev, label: `${eventLabel(ev, entities, lang)} · ${ev}` })) }))}
                  data-testid="rule-event"
                />
              </Form.Item>
            ) : (
              <Space wrap align="start">
                <Form.Item
                  label={t('auto.trig.cronLabel')}
                  validateStatus={triggerError ? 'error' : undefined}
                  help={triggerError ?? (cronHint ? `${cronHint}(${t('auto.trig.tenantZone')})` : t('auto.trig.cronHelp'))}
                  style={{ marginBottom: 8 }}
                >
                  <Input value={draft.cron} onChange={(e) => update({ cron: e.target.value })} style={{ width: 200, fontFamily: 'monospace' }} data-testid="rule-cron" />
                </Form.Item>
                <Form.Item label={t('auto.trig.cronEntity')} style={{ marginBottom: 8 }}>
                  <Select value={draft.cronEntity} onChange={(v: string) => update(v === draft.cronEntity ? {} : { cronEntity: v, conditions: { join: 'and', rows: [] }, conditionText: '', textMode: false })} style={{ width: 160 }} options={entities.map((e) => ({ value: e.name, label: label(e, e.name) }))} />
                </Form.Item>
              </Space>
            )}
            {draft.kind === 'after' && (
              <>
                <Form.Item
                  label={t('auto.trig.delay')}
                  validateStatus={err('trigger.after.delay') || (draft.delay && !isDelay(draft.delay)) ? 'error' : undefined}
                  help={err('trigger.after.delay') ?? (isDelay(draft.delay) ? t('auto.trig.delayHint', { delay: delayText(draft.delay, lang) }) : t('auto.trig.delayFormat'))}
                  style={{ marginBottom: 8 }}
                >
                  <Input value={draft.delay} onChange={(e) => update({ delay: e.target.value.trim() })} style={{ width: 120 }} placeholder="3d" data-testid="rule-delay" />
                </Form.Item>
                <Form.Item label={t('auto.trig.unless')} validateStatus={err('trigger.after.unless') ? 'error' : undefined} help={err('trigger.after.unless') ?? t('auto.trig.unlessHint')} style={{ marginBottom: 0 }}>
                  <Input value={draft.unless} onChange={(e) => update({ unless: e.target.value })} placeholder="activities_in(3d) > 0" style={{ fontFamily: 'monospace' }} data-testid="rule-unless" />
                </Form.Item>
              </>
            )}
          </Form>
        </Card>

        <Card size="small" title={t('auto.condition')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('auto.cond.about', { subject })}</Typography.Text>}>
          <ConditionBuilder
            entity={entity}
            subject={subject}
            value={{ textMode: draft.textMode, conditions: draft.conditions, conditionText: draft.conditionText }}
            onChange={(v) => update(v)}
            error={
              conditionError ? (
                <div data-testid="condition-error" style={{ marginTop: 6 }}>
                  <Typography.Text type="danger">{conditionError}</Typography.Text>
                  {snippet && <pre style={{ margin: '4px 0 0', padding: 6, background: '#fef2f2', color: '#b91c1c', fontSize: 12, overflowX: 'auto' }}>{snippet}</pre>}
                </div>
              ) : null
            }
          />
        </Card>

        <Card size="small" title={t('auto.actions')}>
          {errors.actions && <Alert type="error" showIcon message={errors.actions} style={{ marginBottom: 8 }} />}
          <ActionsEditor actions={draft.actions} onChange={(actions) => update({ actions })} errors={errors} />
        </Card>

        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="rule-save">
            {t('common.save')}
          </Button>
          <Button icon={<ExperimentOutlined />} loading={dryRunning} onClick={() => void dryRun()} data-testid="rule-dryrun">
            {t('auto.dryRun')}
          </Button>
          <Button onClick={() => navigate('/rules')}>{t('common.cancel')}</Button>
        </div>

        {dry && (
          <Card size="small" title={t('auto.dryRunResult')} data-testid="dryrun-result">
            <Typography.Paragraph data-testid="dryrun-summary">{t('auto.dryRunSummary', { scanned: dry.scanned, matched: dry.matched })}</Typography.Paragraph>
            <Table
              size="small"
              rowKey="id"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={dry.items}
              locale={{ emptyText: t('auto.dryRunNone') }}
              onRow={(r) => ({ 'data-testid': 'dryrun-item', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
              scroll={{ x: true }}
              columns={[
                { key: 'record', title: t('alerts.record'), render: (_, r) => <Link to={`/${entityName}/${r.id}`}>{r.name ?? r.title ?? r.id.slice(0, 8)}</Link> },
                {
                  key: 'would',
                  title: t('auto.wouldDo'),
                  render: (_, r) => (
                    <Space direction="vertical" size={2}>
                      {r.actions.map((a, i) => (
                        <span key={i}>
                          {actionSummary(a, lang, { user: (uid) => users.get(uid)?.name })} → <Tag color={a.would === 'unchanged' || a.would.startsWith('nothing') || a.would.startsWith('suppressed') ? 'default' : 'blue'}>{wouldText(a.would, lang)}</Tag>
                        </span>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </Space>
    </div>
  );
}
