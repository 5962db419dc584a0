// 保存视图 above a list (any entity): a dropdown of 我的视图 / 共享视图 that applies a view by
// navigating to `?<query>` (the list reads its filters from the URL), the view in force
// highlighted when the URL matches it (views.ts), 保存当前筛选为视图 (name, 共享 with views.share),
// and rename / re-filter / share / delete of the current view when it is mine (author only).
import { DeleteOutlined, DownOutlined, EditOutlined, EyeOutlined, SaveOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Popconfirm, Switch, Tag, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import type { ListQuery } from '../api/endpoints';
import { endpoints } from '../api/endpoints';
import { keys, useViews } from '../api/queries';
import type { SavedView } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
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
          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }} data-testid="view-query">
            {t('views.conditions')}:{' '}
            {conditionsText(editing && editing !== 'new' ? parseViewQuery(editing.query) : query) || t('views.noConditions')}
          </Typography.Text>
        </Form>
      </Modal>
    </div>
  );
}

/** A query's conditions as `key=value` pairs, decoded, for the save / edit dialog. */
function conditionsText(query: ListQuery): string {
  return Object.entries(query)
    .filter(([k, v]) => v && k !== 'cursor' && k !== 'limit' && k !== 'with_total')
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
}
