// The generic list screen for any entity (线索池 for leads): search, filters from the schema
// (custom fields included), server sort, cursor paging; table on desktop, cards on phones.
import { BarChartOutlined, FilterOutlined, ImportOutlined, PlusOutlined, ThunderboltOutlined, UserAddOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Input, Result, Segmented, Skeleton, Space, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ListQuery } from '../api/endpoints';
import { useEntity, useRecordList } from '../api/queries';
import type { EntityDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { useIsMobile } from '../app/useIsMobile';
import { useWindowHeight } from '../app/useWindowHeight';
import { ClearFilters, FilterField } from './FilterPanel';
import { activeFilterCount, clearField, queryFromSearch } from './filters';
import { RecordCards } from './RecordCards';
import { RecordTable } from './RecordTable';
import { drawerFilterFields, idFieldKind, primaryFilterFields } from './schema';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { AssignModal, useMayAssign } from '../pools/LeadPoolActions';
import { ExportButton } from './ExportButton';
import { SavedViewsBar } from './SavedViewsBar';
import { useCan, useMyRole } from '../access/useCan';
import { HomeButton } from '../app/HomeButton';

// ECharts is only fetched when someone opens the distribution panel.
const DistributionPanel = lazy(() => import('./DistributionPanel'));

export default function RecordListPage({ entityName }: { entityName: string }) {
  const { t } = useI18n();
  const { entity, isLoading } = useEntity(entityName);
  if (isLoading) return <Skeleton active />;
  if (!entity) return <Result status="404" title={t('error.unknownEntity', { name: entityName })} extra={<HomeButton />} />;
  return <AllowedList entity={entity} />;
}

/** The list, or a plain "your role may not view …" for an entity the role cannot read. */
function AllowedList({ entity }: { entity: EntityDef }) {
  const { t, label } = useI18n();
  const may = useCan();
  const { loading } = useMyRole();
  if (loading) return <Skeleton active />;
  if (!may(entity.name, 'read'))
    return (
      <div data-testid="list-forbidden">
        <Result status="403" title={t('access.forbiddenList', { entity: label(entity, entity.name) })} />
      </div>
    );
  return <RecordList key={entity.name} entity={entity} />;
}

const DEFAULT_SORT = '-created_at';
/** Table header + footer + page padding below the scrolling body, in px. */
const TABLE_CHROME = 140;

/** The page-relative bottom edge of `ref`'s element, kept current as it resizes. */
function useBottomEdge(ref: React.RefObject<HTMLElement>): number {
  const [bottom, setBottom] = useState(300);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setBottom(el.getBoundingClientRect().bottom + window.scrollY);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return bottom;
}

function RecordList({ entity }: { entity: EntityDef }) {
  const { t, label } = useI18n();
  const mobile = useIsMobile();
  const winH = useWindowHeight();
  const showError = useApiError();
  const [search, setSearch] = useSearchParams();
  const query = useMemo(() => queryFromSearch(search), [search]);
  const setQuery = useCallback((next: ListQuery) => setSearch(new URLSearchParams(next as Record<string, string>), { replace: true }), [setSearch]);
  // Applying a saved view is a navigation of its own (Back returns to the filters before it).
  const applyView = useCallback((next: ListQuery) => setSearch(new URLSearchParams(next as Record<string, string>)), [setSearch]);
  const sort = query.sort ?? DEFAULT_SORT;
  const apiQuery = useMemo(() => ({ ...query, sort }), [query, sort]);
  const list = useRecordList(entity.name, apiQuery);
  const [drawer, setDrawer] = useState(false);
  const headRef = useRef<HTMLDivElement>(null);
  const headBottom = useBottomEdge(headRef);
  const [chart, setChart] = useState(false);
  const { me, can } = useAuth();
  const isLeads = entity.name === 'leads';
  const mayAssign = useMayAssign();
  const may = useCan();
  const mayCreate = may(entity.name, 'create');
  const [selected, setSelected] = useState<string[]>([]);
  const [assigning, setAssigning] = useState(false);
  useEffect(() => setSelected([]), [query]);
  const mineKey = 'owner_id[in]';
  const mine = !!me && query[mineKey] === me.user.id;
  const [q, setQ] = useState(query.q ?? '');
  useEffect(() => setQ(query.q ?? ''), [query.q]);
  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // An intake source is picked by name, which only intake managers may list: others get no box.
  const mayListSources = can('intake.manage');
  const allFilters = useMemo(() => drawerFilterFields(entity, (f) => idFieldKind(entity, f) === 'intake_source' && !mayListSources), [entity, mayListSources]);
  const primary = useMemo(() => (mobile ? [] : primaryFilterFields(entity)), [entity, mobile]);
  const active = activeFilterCount(query);
  const entityLabel = label(entity, entity.name);

  const footer = (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
      <Typography.Text type="secondary" data-testid="list-count">
        {t('common.loaded', { n: rows.length })}
        {total !== undefined ? ` · ${t('common.total', { n: total })}` : ''}
      </Typography.Text>
      {hasNextPage ? (
        <Button size="small" onClick={loadMore} loading={isFetchingNextPage} data-testid="load-more">
          {t('common.loadMore')}
        </Button>
      ) : rows.length > 0 ? (
        <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      ) : null}
    </div>
  );

  return (
    <div data-testid={`list-${entity.name}`}>
      <div ref={headRef}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1, minWidth: 120 }}>
          {entityLabel}
          {total !== undefined && (
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal', marginInlineStart: 8 }}>
              {t('common.total', { n: total })}
            </Typography.Text>
          )}
        </Typography.Title>
        <Space wrap>
          <Button icon={<BarChartOutlined />} onClick={() => setChart((c) => !c)} type={chart ? 'primary' : 'default'} ghost={chart} data-testid="toggle-distribution">
            {mobile ? null : t('records.distribution')}
          </Button>
          {may(entity.name, 'export') && <ExportButton entity={entity.name} query={apiQuery} compact={mobile} />}
          {!mobile && mayCreate && (
            <Link to={`/import?entity=${encodeURIComponent(entity.name)}`}>
              <Button icon={<ImportOutlined />} data-testid="import">
                {t('import.menu')}
              </Button>
            </Link>
          )}
          {entity.name === 'leads' && mayCreate && (
            <Link to="/leads/quick">
              <Button icon={<ThunderboltOutlined />} data-testid="quick-entry">
                {mobile ? null : t('shell.quickEntry')}
              </Button>
            </Link>
          )}
          {mayCreate && (
            <Link to={`/${entity.name}/new`}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="new-record">
                {mobile ? null : t('records.new', { entity: entityLabel })}
              </Button>
            </Link>
          )}
        </Space>
      </div>

      <SavedViewsBar entity={entity.name} query={query} defaultSort={DEFAULT_SORT} onApply={applyView} compact={mobile} />

      {isLeads && me && (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginBottom: 12 }}>
          <Segmented
            value={mine ? 'mine' : 'all'}
            onChange={(v) => {
              const next = { ...query };
              if (v === 'mine') next[mineKey] = me.user.id;
              else delete next[mineKey];
              setQuery(next);
            }}
            options={[
              { value: 'all', label: <span data-testid="leads-all">{t('leads.all')}</span> },
              { value: 'mine', label: <span data-testid="leads-mine">{t('leads.mine')}</span> },
            ]}
            data-testid="mine-toggle"
            data-mine={String(mine)}
          />
          <Link to="/pool" style={{ fontSize: 13 }} data-testid="open-pool">
            {t('pool.goto')}
          </Link>
          {mayAssign && !mobile && selected.length > 0 && (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAssigning(true)} data-testid="bulk-assign">
              {t('assign.bulk', { n: selected.length })}
            </Button>
          )}
        </div>
      )}

      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-end', marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setQuery({ ...query, q: v.trim() || undefined })}
          placeholder={t('records.searchPlaceholder')}
          style={{ width: mobile ? 'calc(100% - 56px)' : 200 }}
          data-testid="list-search"
        />
        {primary.map((f) => (
          <div key={f.name} style={{ width: 132 }}>
            <FilterField field={f} query={query} onChange={setQuery} />
          </div>
        ))}
        <Badge count={active} size="small">
          <Button icon={<FilterOutlined />} onClick={() => setDrawer(true)} data-testid="more-filters">
            {mobile ? null : t('records.moreFilters')}
          </Button>
        </Badge>
        {active > 0 && !mobile && <ClearFilters onClear={() => setQuery(query.sort ? { sort: query.sort } : {})} />}
      </div>

      {chart && (
        <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
          <DistributionPanel entity={entity} query={query} />
        </Suspense>
      )}
      </div>

      {mobile ? (
        <RecordCards entity={entity} rows={rows} loading={list.isLoading || isFetchingNextPage} onEndReached={loadMore} footer={footer} />
      ) : (
        <RecordTable
          entity={entity}
          rows={rows}
          loading={list.isLoading}
          sort={sort}
          onSort={(s) => setQuery({ ...query, sort: s && s !== DEFAULT_SORT ? s : undefined })}
          onEndReached={loadMore}
          height={Math.max(280, winH - headBottom - TABLE_CHROME)}
          footer={footer}
          selection={isLeads && mayAssign ? { selected, onChange: setSelected } : undefined}
        />
      )}

      {isLeads && <AssignModal leadIds={selected} open={assigning} onClose={() => setAssigning(false)} onDone={() => setSelected([])} />}

      <Drawer
        title={t('records.filters')}
        open={drawer}
        onClose={() => setDrawer(false)}
        placement={mobile ? 'bottom' : 'right'}
        height={mobile ? '85%' : undefined}
        width={mobile ? undefined : 380}
        extra={<ClearFilters disabled={active === 0} onClear={() => setQuery(query.sort ? { sort: query.sort } : {})} />}
        data-testid="filter-drawer"
      >
        <div style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
          {allFilters.map((f) => (
            <FilterField key={f.name} field={f} query={query} onChange={(next) => setQuery(next)} idKind={idFieldKind(entity, f)} />
          ))}
        </div>
        <div style={{ marginTop: 16 }}>
          {Object.keys(query).length > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {allFilters
                .filter((f) => Object.keys(clearField(query, f.name)).length !== Object.keys(query).length)
                .map((f) => label(f, f.name))
                .join(' · ')}
            </Typography.Text>
          )}
        </div>
      </Drawer>
    </div>
  );
}
