// Admin → 权限诊断: "why can't she see this?" — GET /access/explain for a user, a record and
// optionally a field/action; shows the decision, what decided it and every check in words.
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, List, Select, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { useSchema, useUsers } from '../api/queries';
import type { AccessExplanation } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { menuEntities } from '../records/schema';
import { ACTIONS, actionLabel, describeCheck } from '../access/rights';
import { useAccessNames } from '../access/useNames';

interface ExplainForm {
  user: string;
  entity: string;
  id: string;
  field?: string;
  action: string;
}

export default function ExplainPage() {
  const { t, label, lang } = useI18n();
  const [search] = useSearchParams();
  const showError = useApiError();
  const users = useUsers();
  const schema = useSchema();
  const entities = useMemo(() => menuEntities(schema.data?.entities ?? []), [schema.data]);
  const names = useAccessNames(true);
  const [form] = Form.useForm<ExplainForm>();
  const entityName = Form.useWatch('entity', form);
  const entity = entities.find((e) => e.name === entityName);
  const [result, setResult] = useState<AccessExplanation | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (v: ExplainForm) => {
    setBusy(true);
    try {
      setResult(await endpoints.explain({ user: v.user, entity: v.entity, id: v.id.trim(), field: v.field || undefined, action: v.action }));
    } catch (e) {
      setResult(null);
      showError(e, form, ['user', 'entity', 'id', 'field', 'action']);
    } finally {
      setBusy(false);
    }
  };

  const decidedBy = (by: string, ent: string) => (by === 'scope' ? (lang === 'en' ? 'Data scope' : '数据范围') : describeCheck(by, ent, names, lang));
  const allow = result?.decision === 'allow';

  return (
    <div data-testid="explain-page" style={{ maxWidth: 860 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('access.explain')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<ExplainForm>
          form={form}
          name="explain"
          layout="vertical"
          initialValues={{ entity: search.get('entity') ?? 'leads', id: search.get('id') ?? '', user: search.get('user') ?? undefined, action: 'read' }}
          onFinish={(v) => void run(v)}
        >
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', columnGap: 12 }}>
            <Form.Item name="user" label={t('explain.user')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.email}` }))} />
            </Form.Item>
            <Form.Item name="entity" label={t('explain.entity')} rules={[{ required: true }]}>
              <Select options={entities.map((e) => ({ value: e.name, label: label(e, e.name) }))} onChange={() => form.setFieldValue('field', undefined)} />
            </Form.Item>
            <Form.Item name="id" label={t('explain.record')} rules={[{ required: true, whitespace: true }]}>
              <Input placeholder="01a2…" autoComplete="off" />
            </Form.Item>
            <Form.Item name="field" label={t('explain.field')}>
              <Select allowClear showSearch optionFilterProp="label" options={(entity?.fields ?? []).filter((f) => !f.system).map((f) => ({ value: f.name, label: label(f, f.name) }))} />
            </Form.Item>
            <Form.Item name="action" label={t('explain.action')}>
              <Select options={ACTIONS.map((a) => ({ value: a, label: actionLabel(a, lang) }))} />
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="explain-run">
            {t('explain.run')}
          </Button>
        </Form>
      </Card>

      {result && (
        <Card size="small" data-testid="explain-result" data-decision={result.decision}>
          <Alert
            type={allow ? 'success' : 'error'}
            showIcon
            message={
              <span data-testid="explain-decision">
                <strong>{allow ? t('explain.allow') : t('explain.deny')}</strong> · {lang === 'en' ? result.reason_en : result.reason_zh}
              </span>
            }
            style={{ marginBottom: 12 }}
          />
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'role', label: t('explain.role'), children: result.role ? names.role(result.role) : '—' },
              { key: 'by', label: t('explain.decidedBy'), children: <span data-testid="explain-decided-by">{decidedBy(result.decided_by, result.entity ?? '')}</span> },
            ]}
          />
          <Typography.Text strong>{t('explain.checks')}</Typography.Text>
          {result.checks.length === 0 ? (
            <Typography.Paragraph type="secondary">{t('explain.noChecks')}</Typography.Paragraph>
          ) : (
            <List
              size="small"
              dataSource={result.checks}
              renderItem={(c) => (
                <List.Item data-testid="explain-check" data-check={c.check} data-holds={String(c.holds)}>
                  <span>
                    {c.holds ? <CheckCircleFilled style={{ color: '#16a34a' }} /> : <CloseCircleFilled style={{ color: '#9ca3af' }} />}{' '}
                    {describeCheck(c.check, result.entity ?? '', names, lang)}
                  </span>
                  <Tag color={c.holds ? 'green' : 'default'}>{c.holds ? t('explain.holds') : t('explain.fails')}</Tag>
                </List.Item>
              )}
            />
          )}
          {result.field && (
            <div style={{ marginTop: 12 }} data-testid="explain-field">
              <Typography.Text strong>{t('explain.fieldState', { field: names.field(result.entity ?? '', result.field.name ?? '') })}</Typography.Text>{' '}
              <Tag color={result.field.sensitive ? 'orange' : 'default'}>{result.field.sensitive ? t('explain.sensitive') : t('explain.notSensitive')}</Tag>
              <Tag color={result.field.masked ? 'red' : 'green'}>{result.field.masked ? t('explain.masked') : t('explain.unmasked')}</Tag>
              {result.field.unmasked_by && (
                <Typography.Text type="secondary">
                  {t('explain.unmaskedBy')}: {describeCheck(result.field.unmasked_by, result.entity ?? '', names, lang)}
                </Typography.Text>
              )}
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
