// 规则 (A1/A2): the tenant's automation rules — name, trigger in words, enabled switch — with the
// way to the editor, the template gallery and each rule's firings (what it did, to which record).
// Needs rules.manage.
import { AppstoreAddOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Empty, Result, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { Rule, RuleFiring } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';
import { actionSummary, firingStatusText, triggerSummary } from './ruleText';

export default function RulesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('rules.manage')) return <Result status="403" title={t('auto.noPermission')} />;
  return <RulesList />;
}

function RulesList() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const showError = useApiError();
  const { message } = App.useApp();
  const schema = useSchema();
  const entities = schema.data?.entities ?? [];
  const rules = useQuery({ queryKey: keys.rules, queryFn: endpoints.rules, select: (d) => d.items });
  const [firingsOf, setFiringsOf] = useState<Rule | null>(null);
  const [search] = useSearchParams();
  const fresh = new Set((search.get('installed') ?? '').split(',').filter(Boolean));

  const toggle = async (r: Rule, enabled: boolean) => {
    try {
      await endpoints.updateRule(r.id, { enabled });
      void message.success(enabled ? t('auto.enabledOn') : t('auto.enabledOff'));
      await qc.invalidateQueries({ queryKey: keys.rules });
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="rules-page" style={{ maxWidth: 1200 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('auto.rules')}
        </Typography.Title>
        <Button icon={<AppstoreAddOutlined />} onClick={() => navigate('/rules/templates')} data-testid="rules-templates">
          {t('auto.templates')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/rules/new')} data-testid="rules-new">
          {t('auto.newRule')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('auto.rulesSubtitle')}</Typography.Paragraph>
      {rules.isLoading ? (
        <Skeleton active />
      ) : (rules.data ?? []).length === 0 ? (
        <Empty description={t('auto.noRules')}>
          <Button type="primary" onClick={() => navigate('/rules/templates')}>
            {t('auto.fromTemplate')}
          </Button>
        </Empty>
      ) : (
        <Table<Rule>
          rowKey="id"
          size="small"
          dataSource={rules.data}
          pagination={false}
          scroll={{ x: true }}
          onRow={(r) => ({ 'data-testid': 'rule-item', 'data-id': r.id, 'data-name': r.name }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'name',
              title: t('auto.name'),
              width: 200,
              render: (_, r) => (
                <Space size={4}>
                  <Link to={`/rules/${r.id}`} data-testid="rule-link">
                    <strong>{r.name}</strong>
                  </Link>
                  {fresh.has(r.id) && (
                    <Tag color="green" data-testid="rule-fresh">
                      {t('auto.tpl.fresh')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { key: 'trigger', title: t('auto.trigger'), width: 220, render: (_, r) => <span data-testid="rule-trigger">{triggerSummary(r.trigger, entities, lang)}</span> },
            ...(mobile
              ? []
              : [
                  {
                    key: 'actions',
                    title: t('auto.actions'),
                    render: (_: unknown, r: Rule) => (
                      <Space size={[4, 4]} wrap>
                        {r.actions.map((a, i) => (
                          <Tag key={i} className="lf-wrap-tag">
                            {actionSummary(a, lang)}
                          </Tag>
                        ))}
                      </Space>
                    ),
                  },
                ]),
            {
              key: 'enabled',
              title: t('auto.enabled'),
              width: 80,
              render: (_, r) => <Switch size="small" checked={r.enabled} onChange={(v) => void toggle(r, v)} data-testid="rule-enabled" />,
            },
            {
              key: 'firings',
              title: '',
              width: 110,
              render: (_, r) => (
                <Button size="small" icon={<HistoryOutlined />} onClick={() => setFiringsOf(r)} data-testid="rule-firings">
                  {t('auto.firings')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Drawer open={!!firingsOf} onClose={() => setFiringsOf(null)} width={mobile ? '100%' : 640} title={firingsOf ? t('auto.firingsOf', { name: firingsOf.name }) : ''} destroyOnClose>
        {firingsOf && <RuleFirings rule={firingsOf} />}
      </Drawer>
    </div>
  );
}

/** GET /rule-firings?rule_id=…: what the rule did, newest first, each linked to its record. */
function RuleFirings({ rule }: { rule: Rule }) {
  const { t, lang } = useI18n();
  const query = { rule_id: rule.id };
  const firings = useQuery({ queryKey: keys.firings(query), queryFn: () => endpoints.ruleFirings(query), select: (d) => d.items, retry: false });
  if (firings.isLoading) return <Skeleton active />;
  if (firings.error)
    return (
      <Result
        status="warning"
        title={t('auto.firingsUnavailable')}
        subTitle={(firings.error as Error).message}
        extra={<Link to={`/admin/deliveries?rule_id=${encodeURIComponent(rule.id)}`}>{t('auto.ruleDeliveries')}</Link>}
      />
    );
  return (
    <Table<RuleFiring & { key: string }>
      size="small"
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={(firings.data ?? []).map((f) => ({ ...f, key: `${f.event_seq}-${f.action_index}-${String(f.result?.record_id ?? '')}-${f.at}` }))}
      locale={{ emptyText: t('auto.noFirings') }}
      columns={[
        { key: 'at', title: t('auto.at'), width: 140, render: (_, f) => formatDateTime(f.at) },
        { key: 'action', title: t('auto.action'), render: (_, f) => actionSummary(f.action, lang) },
        { key: 'status', title: t('auto.status'), width: 100, render: (_, f) => <Tag color={f.status === 'done' ? 'green' : f.status === 'failed' ? 'red' : 'default'}>{firingStatusText(f.status, lang)}</Tag> },
        {
          key: 'record',
          title: t('alerts.record'),
          width: 100,
          render: (_, f) => {
            const r = f as RuleFiring & { entity?: string; record_id?: string };
            return r.entity && r.record_id ? <Link to={`/${r.entity}/${r.record_id}`}>{r.record_id.slice(0, 8)}</Link> : '—';
          },
        },
      ]}
    />
  );
}
