// 公海 (public pool): the pools with their claim rules, the leads in the chosen pool (newest in
// first), 领取 per lead with quota / cooldown / cap refusals explained, and 转移 for pool managers.
// A claimed lead is the claimer's at once and shows in 我的线索. Table on desktop, cards on phones.
import { InboxOutlined, ReloadOutlined, SettingOutlined, SwapOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, Result, Segmented, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useEntity, usePools, useRecordList } from '../api/queries';
import type { EntityDef, FieldDef, Pool, RecordData } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { FieldDisplay } from '../records/FieldDisplay';
import { useReferenceMaps } from '../records/references';
import { findField, recordTitle } from '../records/schema';
import { ClaimProblemAlert, TransferModal, useClaim, type ClaimProblem } from './LeadPoolActions';
import { blocksAllClaims, describeRules } from './poolRules';

/** Lead fields shown for a pooled lead, when the schema has them. */
const COLUMNS = ['pooled_at', 'company', 'channel', 'color', 'first_touch', 'region', 'product', 'last_owner_id'];

export default function PoolPage() {
  const { t } = useI18n();
  const { entity, isLoading } = useEntity('leads');
  const pools = usePools();
  if (isLoading || pools.isLoading) return <Skeleton active />;
  if (!entity) return null;
  if (!pools.data?.length) return <Result icon={<InboxOutlined />} title={t('pool.none')} />;
  return <PoolView leads={entity} pools={pools.data} />;
}

function PoolView({ leads, pools }: { leads: EntityDef; pools: Pool[] }) {
  const { t, lang, label } = useI18n();
  const { me, can } = useAuth();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const [search, setSearch] = useSearchParams();
  const poolId = search.get('pool') && pools.some((p) => p.id === search.get('pool')) ? (search.get('pool') as string) : (pools.find((p) => p.is_default) ?? pools[0]).id;
  const pool = pools.find((p) => p.id === poolId) as Pool;
  const q = search.get('q') ?? '';
  const [qInput, setQInput] = useState(q);
  useEffect(() => setQInput(q), [q]);
  const setParam = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(search);
    if (v) next.set(k, v);
    else next.delete(k);
    setSearch(next, { replace: true });
  };
  const query = useMemo(() => ({ pool_id: poolId, sort: '-pooled_at', q: q || undefined }), [poolId, q]);
  const list = useRecordList('leads', query);
  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const fields = useMemo(() => COLUMNS.map((n) => findField(leads, n)).filter((f): f is FieldDef => !!f), [leads]);
  const refs = useReferenceMaps(fields, rows);
  const claim = useClaim();
  const [claiming, setClaiming] = useState<string | null>(null);
  const [problem, setProblem] = useState<ClaimProblem | null>(null);
  const [blocked, setBlocked] = useState(false);
  const [transfer, setTransfer] = useState<RecordData | null>(null);
  const managesPools = can('pools.manage');
  const rules = describeRules(pool.rules, lang);
  useEffect(() => {
    setProblem(null);
    setBlocked(false);
  }, [poolId]);

  const mineUrl = `/leads?owner_id%5Bin%5D=${encodeURIComponent(me?.user.id ?? '')}`;
  const doClaim = useCallback(
    async (lead: RecordData) => {
      setClaiming(lead.id);
      const r = await claim(poolId, lead);
      setClaiming(null);
      if (r.ok) {
        setProblem(null);
        message.success({
          content: (
            <span data-testid="claim-success">
              {t('pool.claimedName', { name: recordTitle(leads, r.lead) })}{' '}
              {/* The toast renders outside the router: a plain link that navigates through the page's router. */}
              <a
                href={mineUrl}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(mineUrl);
                }}
              >
                {t('pool.seeMine')}
              </a>
            </span>
          ),
        });
      } else {
        setProblem(r.problem);
        if (blocksAllClaims(r.problem.kind)) setBlocked(true);
      }
    },
    [claim, poolId, message, t, leads, mineUrl, navigate],
  );

  const claimButton = (r: RecordData) => (
    <Button
      type="primary"
      size="small"
      loading={claiming === r.id}
      disabled={blocked || (!!claiming && claiming !== r.id) || !pool.enabled}
      onClick={(e) => {
        e.stopPropagation();
        void doClaim(r);
      }}
      data-testid="pool-claim"
    >
      {t('pool.claim')}
    </Button>
  );

  const header = (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
      <Typography.Title level={4} style={{ margin: 0, flex: 1, minWidth: 120 }}>
        {t('pool.title')}
        {total !== undefined && (
          <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal', marginInlineStart: 8 }} data-testid="pool-total">
            {t('common.total', { n: total })}
          </Typography.Text>
        )}
      </Typography.Title>
      <Space wrap>
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.reload')} />
        {managesPools && (
          <Link to="/admin/pools">
            <Button icon={<SettingOutlined />}>{mobile ? null : t('pool.rules')}</Button>
          </Link>
        )}
      </Space>
    </div>
  );

  const picker =
    pools.length > 1 ? (
      mobile ? (
        <Select
          style={{ width: '100%' }}
          value={poolId}
          onChange={(v) => setParam('pool', v)}
          options={pools.map((p) => ({ value: p.id, label: `${p.name}${p.lead_count !== undefined ? ` (${p.lead_count})` : ''}` }))}
          data-testid="pool-picker"
        />
      ) : (
        <Segmented
          value={poolId}
          onChange={(v) => setParam('pool', String(v))}
          options={pools.map((p) => ({ value: p.id, label: <span data-testid={`pool-tab-${p.id}`}>{p.name}{p.lead_count !== undefined ? ` · ${p.lead_count}` : ''}</span> }))}
          data-testid="pool-picker"
        />
      )
    ) : null;

  return (
    <div data-testid="pool-page" data-pool={poolId}>
      {header}
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {picker}
        <Card size="small" styles={{ body: { padding: mobile ? 10 : 12 } }}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }} data-testid="pool-rules">
            <Typography.Text strong style={{ marginInlineEnd: 4 }}>
              {pool.name}
            </Typography.Text>
            {!pool.enabled && <Tag color="default">{t('pool.closed')}</Tag>}
            {rules.length ? rules.map((r) => <Tag key={r} style={{ marginInlineEnd: 0 }}>{r}</Tag>) : <Typography.Text type="secondary">{t('pool.noRules')}</Typography.Text>}
          </div>
          {pool.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
              {pool.description}
            </Typography.Text>
          )}
        </Card>
        {problem && <ClaimProblemAlert problem={problem} onClose={() => setProblem(null)} />}
        <Input.Search
          allowClear
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(v) => setParam('q', v.trim() || undefined)}
          placeholder={t('records.searchPlaceholder')}
          style={{ maxWidth: mobile ? undefined : 280 }}
          data-testid="pool-search"
        />
        {mobile ? (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="pool-cards">
            {list.isLoading && <Skeleton active />}
            {!list.isLoading && rows.length === 0 && <Empty description={t('pool.empty')} />}
            {rows.map((r) => (
              <Card key={r.id} size="small" data-testid="pool-lead" data-id={r.id} styles={{ body: { padding: '10px 12px' } }} onClick={() => navigate(`/leads/${encodeURIComponent(r.id)}`)}>
                <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                  <strong style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{recordTitle(leads, r)}</strong>
                  {claimButton(r)}
                </div>
                <div style={{ display: 'flex', flexWrap: 'wrap', columnGap: 12, rowGap: 2, marginTop: 4, fontSize: 13, color: 'rgba(0,0,0,.65)' }}>
                  {fields
                    .filter((f) => r[f.name] !== null && r[f.name] !== undefined && r[f.name] !== '')
                    .slice(0, 4)
                    .map((f) => (
                      <span key={f.name}>
                        <FieldDisplay field={f} value={r[f.name]} refs={refs} compact masked={r._masked?.includes(f.name)} />
                      </span>
                    ))}
                </div>
              </Card>
            ))}
          </div>
        ) : (
          <Table<RecordData>
            size="middle"
            rowKey="id"
            dataSource={rows}
            loading={list.isLoading}
            pagination={false}
            scroll={{ x: 1300 }}
            data-testid="pool-table"
            onRow={(r) => ({ 'data-testid': 'pool-lead', 'data-id': r.id, onClick: () => navigate(`/leads/${encodeURIComponent(r.id)}`), style: { cursor: 'pointer' } }) as React.HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty description={t('pool.empty')} /> }}
            columns={[
              {
                key: 'name',
                title: label(findField(leads, 'name'), 'name'),
                fixed: 'left',
                width: 150,
                render: (_, r) => (
                  <Link to={`/leads/${encodeURIComponent(r.id)}`} onClick={(e) => e.stopPropagation()} data-testid="pool-lead-name">
                    {recordTitle(leads, r)}
                  </Link>
                ),
              },
              ...fields.map((f) => ({
                key: f.name,
                title: label(f, f.name),
                ellipsis: true,
                width: f.type === 'datetime' ? 150 : f.name === 'company' ? 190 : 120,
                render: (_: unknown, r: RecordData) => <FieldDisplay field={f} value={r[f.name]} refs={refs} compact masked={r._masked?.includes(f.name)} />,
              })),
              {
                key: 'actions',
                title: '',
                fixed: 'right',
                width: managesPools ? 150 : 80,
                render: (_, r) => (
                  <Space size={4}>
                    {claimButton(r)}
                    {managesPools && pools.length > 1 && (
                      <Button
                        size="small"
                        icon={<SwapOutlined />}
                        onClick={(e) => {
                          e.stopPropagation();
                          setTransfer(r);
                        }}
                        data-testid="pool-transfer"
                        title={t('pool.transfer')}
                      />
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Text type="secondary">{t('common.loaded', { n: rows.length })}</Typography.Text>
          {list.hasNextPage && (
            <Button size="small" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      </Space>
      {transfer && <TransferModal lead={transfer} fromPool={poolId} open onClose={() => setTransfer(null)} />}
    </div>
  );
}
