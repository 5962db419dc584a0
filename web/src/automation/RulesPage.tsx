// 规则 (A1/A2): the tenant's automation rules — name, trigger in words, enabled switch — with the
// way to the editor, the template gallery and each rule's firings (what it did, to which record).
// Needs rules.manage.
import { AppstoreAddOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Empty, Result, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema, useUserMap } from '../api/queries';
import type { Rule, RuleFiring } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { useRecordTitles } from '../records/references';
import { formatDateTime } from '../records/values';
import { actionSummary, firingErrorText, firingStatusText, triggerSummary } from './ruleText';
import { NoChannelNote } from './NoChannelNote';
import { unconfiguredChannel } from '../leads/timeline';

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

/**
 * GET /rule-firings?rule_id=…: what the rule did, newest first, each linked to its record by name
 * (one id[in] lookup per entity; a record no longer readable keeps its short id).
 */
function RuleFirings({ rule }: { rule: Rule }) {
  const { t, lang, label } = useI18n();
  const users = useUserMap();
  const mobile = useIsMobile();
  const schema = useSchema();
  const query = { rule_id: rule.id, limit: '200' };
  const firings = useInfiniteQuery({
    queryKey: keys.firings(query),
    initialPageParam: '',
    queryFn: ({ pageParam }) => endpoints.ruleFirings({ ...query, cursor: pageParam || undefined }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    retry: false,
  });
  const items = useMemo(() => firings.data?.pages.flatMap((p) => p.items) ?? [], [firings.data]);
  const titleOf = useRecordTitles(items, schema.data?.entities ?? []);
  const multi = new Set(items.map((f) => f.entity)).size > 1;
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
  const recordCell = (f: RuleFiring) => {
    if (!f.entity || !f.record_id) return '—';
    const def = schema.data?.entities.find((e) => e.name === f.entity);
    return (
      <Link to={`/${f.entity}/${encodeURIComponent(f.record_id)}`} data-testid="firing-record" data-record-id={f.record_id}>
        {multi && def ? `${label(def, f.entity)} · ` : ''}
        {titleOf(f.entity, f.record_id) || f.record_id.slice(0, 8)}
      </Link>
    );
  };
  return (
    <>
    <Table<RuleFiring & { key: string }>
      size="small"
      data-testid="rule-firings-table"
      scroll={{ x: true }}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={items.map((f) => ({ ...f, key: `${f.entity ?? ''}-${f.record_id ?? ''}-${f.event_seq}-${f.action_index}` }))}
      locale={{ emptyText: t('auto.noFirings') }}
      onRow={(f) => ({ 'data-testid': 'firing-row', 'data-status': f.status }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'at', title: t('auto.at'), width: mobile ? 96 : 150, render: (_, f) => <span style={{ whiteSpace: mobile ? undefined : 'nowrap' }}>{formatDateTime(f.at)}</span> },
        { key: 'record', title: t('alerts.record'), width: 120, render: (_, f) => recordCell(f) },
        {
          key: 'action',
          title: t('auto.action'),
          render: (_, f) => (
            <>
              {actionSummary(f.action, lang, { user: (uid) => users.get(uid)?.name })}
              {typeof f.result?.error === 'string' && (
                <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                  {firingErrorText(f.result.error, lang)}
                </Typography.Text>
              )}
            </>
          ),
        },
        {
          key: 'status',
          title: t('auto.status'),
          width: 120,
          render: (_, f) =>
            unconfiguredChannel(f) === null ? (
              <Tag color={f.status === 'done' ? 'green' : f.status === 'failed' ? 'red' : 'default'}>{firingStatusText(f.status, lang)}</Tag>
            ) : (
              <NoChannelNote kind={unconfiguredChannel(f) ?? ''} />
            ),
        },
      ]}
    />
    {firings.hasNextPage && (
      <Button block style={{ marginTop: 8 }} loading={firings.isFetchingNextPage} onClick={() => void firings.fetchNextPage()} data-testid="firings-more">
        {t('common.loadMore')}
      </Button>
    )}
    </>
  );
}
