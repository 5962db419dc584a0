// Admin → 角色与权限: the roles with their permissions and record rights; editing a role is a
// matrix of entities × actions (新建/查看/编辑/归档/导出) with a data scope per entity, the reference
// fields it inherits visibility through and its shared field; saved with a reason that is sent
// to every user of the role (PATCH /roles/{name}, effective at the next request).
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useRoles, useSchema } from '../api/queries';
import type { EntityDef, EntityRight, Role } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useI18n, type Lang } from '../i18n/I18nProvider';
import { ACTIONS, DEFAULT_ENTITY, actionLabel, matrixRows, resetRight, scopeLabel, SCOPES, toggleAction, updateRight, type MatrixRow } from '../access/rights';

const PERMISSIONS: Record<string, [string, string]> = {
  '*': ['全部权限', 'Everything'],
  'access.manage': ['管理权限与访问规则', 'Manage access'],
  'fields.unmask': ['查看全部敏感字段', 'See every sensitive field'],
  'users.manage': ['管理用户', 'Manage users'],
  'schema.manage': ['管理字段', 'Manage fields'],
  'settings.manage': ['管理设置', 'Manage settings'],
  'intake.manage': ['管理进线入口', 'Manage intake sources'],
  'leads.clean': ['线索清洗', 'Lead cleaning'],
  'leads.assign': ['分配线索', 'Assign leads'],
  'pools.manage': ['管理公海', 'Manage pools'],
  'assignment.manage': ['管理分配规则', 'Manage assignment rules'],
  'team.stream': ['查看团队动态流', 'Team activity stream'],
};
const permLabel = (p: string, lang: Lang) => PERMISSIONS[p]?.[lang === 'en' ? 1 : 0] ?? p;

/** Short summary of a role's rights: "线索 新建/查看/编辑 · 仅本人". */
function RightsSummary({ role, entities }: { role: Role; entities: EntityDef[] }) {
  const { t, label, lang } = useI18n();
  if (role.permissions.includes('*')) return <Tag color="gold">{t('roles.allPermissions')}</Tag>;
  return (
    <Space size={[4, 4]} wrap>
      {Object.entries(role.entity_access).map(([e, r]) => (
        <Tag key={e} color={r.actions?.length ? 'blue' : 'default'} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
          {e === DEFAULT_ENTITY ? t('roles.default') : label(entities.find((x) => x.name === e), e)}: {r.actions?.length ? r.actions.map((a) => actionLabel(a, lang)).join('/') : t('roles.none')} · {scopeLabel(r.scope, lang)}
        </Tag>
      ))}
    </Space>
  );
}

function RoleEditor({ role, entities, onClose }: { role: Role; entities: EntityDef[]; onClose: () => void }) {
  const { t, label, lang } = useI18n();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [access, setAccess] = useState<Record<string, EntityRight>>(role.entity_access);
  const [permissions, setPermissions] = useState<string[]>(role.permissions);
  const [labels, setLabels] = useState({ zh: role.label_zh, en: role.label_en });
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const rows = useMemo(() => matrixRows(access, entities.map((e) => e.name)), [access, entities]);
  const entityDef = (name: string) => entities.find((e) => e.name === name);
  const refFields = (name: string) => (entityDef(name)?.fields ?? []).filter((f) => f.type === 'reference' && !f.system);
  const sharedOptions = (name: string) => (entityDef(name)?.fields ?? []).filter((f) => !f.system && (f.type === 'text' || f.type === 'reference'));

  const save = async () => {
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    try {
      await endpoints.updateRole(role.name, { label_zh: labels.zh, label_en: labels.en, permissions, entity_access: access, reason: reason.trim() });
      message.success(t('roles.saved', { role: labels.zh || role.name }));
      void qc.invalidateQueries({ queryKey: keys.roles });
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      title={t('roles.edit', { role: label(role, role.name) })}
      width={mobile ? '100%' : 1040}
      onClose={onClose}
      destroyOnClose
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="role-save">
            {t('common.save')}
          </Button>
        </Space>
      }
      data-testid="role-editor"
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Space wrap>
          <Input addonBefore={t('admin.labelZh')} value={labels.zh} onChange={(e) => setLabels({ ...labels, zh: e.target.value })} style={{ width: 240 }} />
          <Input addonBefore={t('admin.labelEn')} value={labels.en} onChange={(e) => setLabels({ ...labels, en: e.target.value })} style={{ width: 260 }} />
        </Space>
        <div>
          <Typography.Text strong>{t('roles.permissions')}</Typography.Text>
          <Select
            mode="tags"
            value={permissions}
            onChange={setPermissions}
            style={{ width: '100%', marginTop: 4 }}
            options={Object.keys(PERMISSIONS).map((p) => ({ value: p, label: `${permLabel(p, lang)} (${p})` }))}
            data-testid="role-permissions"
          />
        </div>
        <div>
          <Typography.Text strong>{t('roles.entityRights')}</Typography.Text>
          <Table<MatrixRow>
            size="small"
            rowKey="entity"
            pagination={false}
            dataSource={rows}
            scroll={{ x: 980 }}
            style={{ marginTop: 4 }}
            onRow={(r) => ({ 'data-testid': 'role-row', 'data-entity': r.entity }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                key: 'entity',
                title: t('roles.entity'),
                fixed: 'left',
                width: 150,
                render: (_, r) => (
                  <div>
                    <div>{r.entity === DEFAULT_ENTITY ? t('roles.default') : label(entityDef(r.entity), r.entity)}</div>
                    {!r.own ? (
                      <Tag style={{ marginTop: 2 }}>{t('roles.followsDefault')}</Tag>
                    ) : r.entity !== DEFAULT_ENTITY ? (
                      <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => setAccess(resetRight(access, r.entity))}>
                        {t('roles.reset')}
                      </Button>
                    ) : null}
                  </div>
                ),
              },
              ...ACTIONS.map((a) => ({
                key: a,
                title: actionLabel(a, lang),
                width: 64,
                align: 'center' as const,
                render: (_: unknown, r: MatrixRow) => (
                  <Checkbox
                    checked={!!r.right.actions?.includes(a)}
                    onChange={(e) => setAccess(toggleAction(access, r.entity, a, e.target.checked))}
                    data-testid={`right-${r.entity}-${a}`}
                    aria-label={`${r.entity} ${actionLabel(a, lang)}`}
                  />
                ),
              })),
              {
                key: 'scope',
                title: t('roles.scope'),
                width: 170,
                render: (_, r) => (
                  <Select
                    size="small"
                    value={r.right.scope ?? 'self'}
                    style={{ width: 160 }}
                    onChange={(scope) => setAccess(updateRight(access, r.entity, { scope }))}
                    options={SCOPES.map((s) => ({ value: s, label: scopeLabel(s, lang) }))}
                    data-testid={`scope-${r.entity}`}
                  />
                ),
              },
              {
                key: 'inherit',
                title: t('roles.inherit'),
                width: 200,
                render: (_, r) =>
                  r.entity === DEFAULT_ENTITY ? null : (
                    <Select
                      size="small"
                      mode="multiple"
                      allowClear
                      value={r.right.inherit ?? []}
                      style={{ width: 190 }}
                      onChange={(inherit) => setAccess(updateRight(access, r.entity, { inherit }))}
                      options={refFields(r.entity).map((f) => ({ value: f.name, label: label(f, f.name) }))}
                    />
                  ),
              },
              {
                key: 'shared',
                title: t('roles.sharedField'),
                width: 150,
                render: (_, r) =>
                  r.entity === DEFAULT_ENTITY ? null : (
                    <Select
                      size="small"
                      allowClear
                      value={r.right.shared_field}
                      style={{ width: 140 }}
                      onChange={(shared_field) => setAccess(updateRight(access, r.entity, { shared_field: shared_field || undefined }))}
                      options={sharedOptions(r.entity).map((f) => ({ value: f.name, label: label(f, f.name) }))}
                    />
                  ),
              },
            ]}
          />
        </div>
        <div>
          <Input.TextArea
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonMissing(false);
            }}
            status={reasonMissing ? 'error' : undefined}
            placeholder={t('roles.reason')}
            autoSize={{ minRows: 2 }}
            maxLength={300}
            data-testid="role-reason"
          />
          {reasonMissing && <Typography.Text type="danger">{t('roles.reasonRequired')}</Typography.Text>}
        </div>
      </Space>
    </Drawer>
  );
}

function NewRoleModal({ roles, onClose }: { roles: Role[]; onClose: () => void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; label_zh: string; label_en?: string; copy?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { name: string; label_zh: string; label_en?: string; copy?: string }) => {
    const from = roles.find((r) => r.name === v.copy);
    setBusy(true);
    try {
      await endpoints.createRole({
        name: v.name.trim(),
        label_zh: v.label_zh.trim(),
        label_en: v.label_en?.trim() || v.name.trim(),
        permissions: from ? from.permissions.filter((p) => p !== '*') : [],
        entity_access: from && !from.permissions.includes('*') ? from.entity_access : { '*': { actions: ['read'], scope: 'self' } },
      });
      message.success(t('common.created'));
      void qc.invalidateQueries({ queryKey: keys.roles });
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'label_zh', 'label_en']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('roles.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.create')} cancelText={t('common.cancel')} destroyOnClose>
      <Form form={form} layout="vertical" name="newRole" onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item name="name" label={t('roles.name')} extra={t('roles.nameHelp')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="label_zh" label={t('admin.labelZh')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="label_en" label={t('admin.labelEn')}>
          <Input />
        </Form.Item>
        <Form.Item name="copy" label={t('roles.entityRights')}>
          <Select allowClear options={roles.map((r) => ({ value: r.name, label: label(r, r.name) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RolesPage() {
  const { t, label } = useI18n();
  const mobile = useIsMobile();
  const roles = useRoles();
  const schema = useSchema();
  // Every entity, tags too: roles hold rights on all of them.
  const entities = useMemo(() => schema.data?.entities ?? [], [schema.data]);
  const [editing, setEditing] = useState<Role | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <div data-testid="roles-page">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('access.roles')}
        </Typography.Title>
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="role-new">
          {t('roles.new')}
        </Button>
      </div>
      <Table<Role>
        size="small"
        rowKey="name"
        loading={roles.isLoading}
        dataSource={roles.data ?? []}
        pagination={false}
        scroll={{ x: mobile ? 600 : 720 }}
        // On a phone the columns keep their widths (long right tags wrap) instead of squeezing the
        // role's name to a character per line.
        tableLayout={mobile ? 'fixed' : undefined}
        onRow={(r) => ({ 'data-testid': 'role', 'data-role': r.name }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'label', title: t('roles.label'), width: mobile ? 88 : 120, render: (_, r) => label(r, r.name) },
          // The role's code is for admins wiring the API; on a phone the label says enough.
          ...(mobile ? [] : [{ key: 'name', title: t('roles.name'), dataIndex: 'name', width: 140 }]),
          { key: 'perms', title: t('roles.permissions'), width: mobile ? 120 : 180, render: (_, r) => <PermTags perms={r.permissions} /> },
          { key: 'rights', title: t('roles.entityRights'), render: (_, r) => <RightsSummary role={r} entities={entities} /> },
          {
            key: 'edit',
            title: '',
            width: 80,
            render: (_, r) =>
              r.permissions.includes('*') ? null : (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid="role-edit">
                  {t('common.edit')}
                </Button>
              ),
          },
        ]}
      />
      {editing && <RoleEditor key={editing.name} role={editing} entities={entities} onClose={() => setEditing(null)} />}
      {creating && <NewRoleModal roles={roles.data ?? []} onClose={() => setCreating(false)} />}
    </div>
  );
}

function PermTags({ perms }: { perms: string[] }) {
  const { t, lang } = useI18n();
  if (!perms.length) return <Typography.Text type="secondary">{t('roles.none')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {perms.map((p) => (
        <Tag key={p}>{permLabel(p, lang)}</Tag>
      ))}
    </Space>
  );
}
