// 保存视图 above a list (any entity): a dropdown of 我的视图 / 共享视图 that applies a view by
// navigating to `?<query>` (the list reads its filters from the URL), the view in force
// highlighted when the URL matches it (views.ts), 保存当前筛选为视图 (name, 共享 with views.share,
// the filters in words: viewConditions.ts), and rename / share / delete of the view in force, offered
// only when it is mine (author only; a shared view of someone else's is applied, never changed).
import { DeleteOutlined, DownOutlined, EditOutlined, EyeOutlined, SaveOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Popconfirm, Switch, Tag, Typography, type MenuProps } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import type { ListQuery } from '../api/endpoints';
import { endpoints } from '../api/endpoints';
import { keys, refsQuery, useEntity, useSchema, useViews } from '../api/queries';
import type { EntityDef, FieldDef, RecordData, SavedView } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { filterFieldOf, splitList } from './filters';
import { idFieldKind, recordTitle } from './schema';
import { conditionLine, describeConditions } from './viewConditions';
import { currentView, parseViewQuery, splitViews, viewMatches, viewQueryString } from './views';

export interface SavedViewsBarProps {
  entity: string;
  /** The list's current query (from the URL). */
  query: ListQuery;
  /** The list's default sort, which the URL leaves out. */
  defaultSort?: string;
  /** Applies a query (navigates to `?<query>`). */
  onApply: (query: ListQuery) => void;
  compact?: boolean;
}

interface FormValues {
  name: string;
  shared?: boolean;
  useCurrent?: boolean;
}

export function SavedViewsBar({ entity, query, defaultSort, onApply, compact }: SavedViewsBarProps) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const views = useViews(entity);
  const all = useMemo(() => views.data ?? [], [views.data]);
  const { mine, shared } = useMemo(() => splitViews(all), [all]);
  const current = useMemo(() => currentView(all, query, defaultSort), [all, query, defaultSort]);
  const mayShare = can('views.share');
  // null: closed; 'new': saving the current filters; a view: editing it.
  const [editing, setEditing] = useState<'new' | SavedView | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();

  const refresh = () => qc.invalidateQueries({ queryKey: keys.views(entity) });

  const open = (target: 'new' | SavedView) => {
    form.setFieldsValue(target === 'new' ? { name: '', shared: false, useCurrent: false } : { name: target.name, shared: target.shared, useCurrent: false });
    setEditing(target);
  };

  const submit = async (values: FormValues) => {
    setSaving(true);
    try {
      const name = values.name.trim();
      let saved: SavedView;
      if (editing === 'new') {
        saved = await endpoints.createView({ entity, name, query: viewQueryString(query), ...(mayShare ? { shared: !!values.shared } : {}) });
      } else if (editing) {
        saved = await endpoints.updateView(editing.id, {
          name,
          ...(mayShare ? { shared: !!values.shared } : {}),
          ...(values.useCurrent ? { query: viewQueryString(query) } : {}),
        });
      } else return;
      void message.success(t('views.saved', { name: saved.name }));
      setEditing(null);
      await refresh();
    } catch (e) {
      showError(e, form, ['name', 'shared']);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (v: SavedView) => {
    try {
      await endpoints.deleteView(v.id);
      void message.success(t('views.deleted'));
      await refresh();
    } catch (e) {
      showError(e);
    }
  };

  const item = (v: SavedView) => ({
    key: v.id,
    label: (
      <span data-testid="view-item" data-view-id={v.id} data-view-name={v.name} data-current={String(v.id === current?.id)}>
        {v.name}
        {v.mine && v.shared && (
          <Tag color="blue" style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px' }}>
            {t('views.sharedTag')}
          </Tag>
        )}
      </span>
    ),
  });
  const menu: MenuProps = {
    selectable: true,
    selectedKeys: current ? [current.id] : [],
    onClick: ({ key }) => {
      if (key === '__clear') return onApply(query.sort ? { sort: query.sort } : {});
      const v = all.find((x) => x.id === key);
      if (v) onApply(parseViewQuery(v.query));
    },
    items: [
      { type: 'group', key: 'mine', label: t('views.mine'), children: mine.length ? mine.map(item) : [{ key: '__none_mine', disabled: true, label: t('views.empty') }] },
      ...(shared.length ? [{ type: 'group' as const, key: 'shared', label: t('views.shared'), children: shared.map(item) }] : []),
      { type: 'divider' },
      { key: '__clear', label: <span data-testid="view-clear">{t('views.clear')}</span> },
    ],
  };

  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginBottom: 12 }} data-testid="saved-views">
      <Dropdown menu={menu} trigger={['click']}>
        <Button
          icon={<EyeOutlined />}
          type={current ? 'primary' : 'default'}
          ghost={!!current}
          data-testid="views-dropdown"
          data-current-view={current?.id ?? ''}
          style={{ maxWidth: compact ? 200 : 320 }}
        >
          <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {current ? current.name : `${t('views.label')}${views.data ? ` (${all.length})` : ''}`}
          </span>
          {current && !current.mine && <TeamOutlined />}
          <DownOutlined />
        </Button>
      </Dropdown>
      {current?.mine ? (
        <>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => open(current)} data-testid="view-edit" title={t('views.edit')}>
            {compact ? null : t('views.edit')}
          </Button>
          <Popconfirm title={t('views.deleteConfirm', { name: current.name })} onConfirm={() => void remove(current)} okButtonProps={{ danger: true }}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid="view-delete" title={t('views.delete')} />
          </Popconfirm>
        </>
      ) : null}
      <Button size="small" type="link" icon={<SaveOutlined />} onClick={() => open('new')} data-testid="view-save" style={{ paddingInline: 0 }}>
        {compact ? t('views.saveShort') : t('views.save')}
      </Button>

      <Modal
        title={editing === 'new' ? t('views.save') : t('views.editTitle')}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'view-submit' }}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} name="saved-view">
          <Form.Item name="name" label={t('views.name')} rules={[{ required: true, whitespace: true, message: t('views.nameRequired') }, { max: 60 }]}>
            <Input placeholder={t('views.namePlaceholder')} maxLength={60} data-testid="view-name" autoFocus />
          </Form.Item>
          {mayShare && (
            <Form.Item name="shared" label={t('views.share')} valuePropName="checked" extra={t('views.shareHint')}>
              <Switch data-testid="view-shared" />
            </Form.Item>
          )}
          {editing !== 'new' && editing && !viewMatches(editing, query, defaultSort) && (
            <Form.Item name="useCurrent" valuePropName="checked">
              <Checkbox data-testid="view-use-current">{t('views.useCurrent')}</Checkbox>
            </Form.Item>
          )}
          {editing !== null && (
            <ViewConditions entity={entity} query={editing !== 'new' ? parseViewQuery(editing.query) : query} defaultSort={defaultSort} />
          )}
        </Form>
      </Modal>
    </div>
  );
}

/**
 * The conditions of a view in words, one per line (「来源渠道 等于 抖音表单」): field labels from the
 * schema, option labels, people, linked records and pools by name (fetched while the dialog is open).
 */
function ViewConditions({ entity, query, defaultSort }: { entity: string; query: ListQuery; defaultSort?: string }) {
  const { t, lang } = useI18n();
  const { entity: def } = useEntity(entity);
  const names = useConditionNames(def, query);
  const conditions = useMemo(() => describeConditions(query, { lang, entity: def, defaultSort, ...names }), [query, lang, def, defaultSort, names]);
  return (
    <div data-testid="view-query" style={{ fontSize: 12 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('views.conditions')}
      </Typography.Text>
      {conditions.length === 0 ? (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('views.noConditions')}
          </Typography.Text>
        </div>
      ) : (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, wordBreak: 'break-word' }}>
          {conditions.map((c) => (
            <li key={c.keys.join('&')} data-testid="view-condition" data-field={c.field}>
              <Typography.Text strong style={{ fontSize: 12 }}>
                {c.label}
              </Typography.Text>
              {c.op || c.value ? <span> {[c.op, c.value].filter(Boolean).join(' ')}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <span hidden data-testid="view-query-text">
        {conditions.map(conditionLine).join(';')}
      </span>
    </div>
  );
}

/** The loaded records of each reference query (a stable function, so useQueries keeps the result stable). */
const refsData = (results: { data?: Map<string, RecordData> }[]) => results.map((r) => r.data);

/** Resolvers for the ids a query names: users, records of reference fields, 公海, intake sources. */
function useConditionNames(def: EntityDef | undefined, query: ListQuery) {
  const schema = useSchema();
  const { can } = useAuth();
  const { userFields, refIds, poolFields, sourceFields } = useMemo(() => {
    const userFields: FieldDef[] = [];
    const refIds = new Map<string, Set<string>>();
    let poolFields = false;
    let sourceFields = false;
    for (const [key, value] of Object.entries(query)) {
      const name = filterFieldOf(key);
      const field = name ? def?.fields.find((f) => f.name === name) : undefined;
      if (!def || !field || !value || key.endsWith('[null]')) continue;
      const idKind = idFieldKind(def, field);
      if (field.type === 'user') userFields.push(field);
      else if (field.type === 'reference' && field.ref_entity) {
        const ids = refIds.get(field.ref_entity) ?? new Set<string>();
        for (const id of splitList(value)) ids.add(id);
        refIds.set(field.ref_entity, ids);
      } else if (idKind === 'pool') poolFields = true;
      else if (idKind === 'intake_source') sourceFields = true;
    }
    return { userFields, refIds, poolFields, sourceFields };
  }, [def, query]);
  const users = useQuery({ queryKey: keys.users, queryFn: endpoints.users, staleTime: 5 * 60_000, enabled: userFields.length > 0 });
  const pools = useQuery({ queryKey: keys.pools, queryFn: endpoints.pools, staleTime: 30_000, enabled: poolFields });
  // Only intake managers may list the sources; others see the id.
  const sources = useQuery({ queryKey: keys.intakeSources, queryFn: endpoints.intakeSources, staleTime: 60_000, enabled: sourceFields && can('intake.manage') });
  const refEntities = useMemo(() => [...refIds.keys()].sort(), [refIds]);
  const refData = useQueries({ queries: refEntities.map((e) => refsQuery(e, [...(refIds.get(e) ?? [])].sort().slice(0, 200))), combine: refsData });
  const userName = useCallback((id: string) => users.data?.items.find((u) => u.id === id)?.name, [users.data]);
  const refName = useCallback(
    (field: FieldDef, id: string) => {
      const idKind = def ? idFieldKind(def, field) : undefined;
      if (idKind === 'pool') return pools.data?.items.find((p) => p.id === id)?.name;
      if (idKind === 'intake_source') return sources.data?.items.find((x) => x.id === id)?.name;
      if (field.type !== 'reference' || !field.ref_entity) return undefined;
      const record = refData[refEntities.indexOf(field.ref_entity)]?.get(id);
      const refDef = schema.data?.entities.find((e) => e.name === field.ref_entity);
      return record ? recordTitle(refDef, record) : undefined;
    },
    [def, pools.data, sources.data, refData, refEntities, schema.data],
  );
  return useMemo(() => ({ userName, refName }), [userName, refName]);
}
