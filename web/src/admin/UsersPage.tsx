// Admin → 用户: the tenant's users (GET /api/v1/users); an admin adds a user with an initial password
// (POST /users) and changes a user's role, department, manager (上级) or status (停用) with a reason
// the user is told (PATCH /users/{id}; effective at once).
import { EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Radio, Select, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useDepartments, useRoles, useUsers } from '../api/queries';
import type { NewUser, User, UserPatch } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { roleLabel } from './roles';

interface UserForm {
  role: string;
  department_id: string | null;
  manager_id: string | null;
  status: 'active' | 'disabled';
  reason?: string;
}

/** The PATCH body: only what changed, plus the reason. */
export function userPatch(user: User, v: UserForm): UserPatch {
  const body: UserPatch = {};
  if (v.role !== user.role) body.role = v.role;
  if ((v.department_id ?? null) !== (user.department_id ?? null)) body.department_id = v.department_id ?? null;
  if ((v.manager_id ?? null) !== (user.manager_id ?? null)) body.manager_id = v.manager_id ?? null;
  if (v.status !== (user.status ?? 'active')) body.status = v.status;
  if (Object.keys(body).length && v.reason?.trim()) body.reason = v.reason.trim();
  return body;
}

function EditUser({ user, onClose }: { user: User; onClose: () => void }) {
  const { t, label, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUsers();
  const departments = useDepartments();
  const roles = useRoles();
  const [form] = Form.useForm<UserForm>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: UserForm) => {
    const body = userPatch(user, v);
    if (!Object.keys(body).length) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      await endpoints.updateUser(user.id, body);
      message.success(t('user.saved'));
      void qc.invalidateQueries({ queryKey: keys.users });
      onClose();
    } catch (e) {
      showError(e, form, ['role', 'department_id', 'manager_id', 'status', 'reason']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('user.edit', { name: user.name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnClose>
      <Form<UserForm>
        form={form}
        name="user"
        layout="vertical"
        preserve={false}
        initialValues={{ role: user.role, department_id: user.department_id, manager_id: user.manager_id ?? null, status: (user.status as 'active' | 'disabled') ?? 'active' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="role" label={t('auth.role')}>
          <Select options={(roles.data ?? []).map((r) => ({ value: r.name, label: label(r, roleLabel(r.name, lang)) }))} />
        </Form.Item>
        <Form.Item name="department_id" label={t('admin.department')}>
          <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="manager_id" label={t('admin.manager')}>
          <Select allowClear showSearch optionFilterProp="label" options={(users.data ?? []).filter((u) => u.id !== user.id).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="status" label={t('admin.status')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'active', label: t('user.active') },
              { value: 'disabled', label: t('user.disable') },
            ]}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('user.reason')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface NewUserForm {
  name: string;
  email: string;
  password: string;
  phone?: string;
  role: string;
  department_id?: string;
  manager_id?: string;
}

/** The POST body: trimmed, empty optional fields left out. */
export function newUserBody(v: NewUserForm): NewUser {
  const body: NewUser = { name: v.name.trim(), email: v.email.trim(), password: v.password, role: v.role };
  if (v.phone?.trim()) body.phone = v.phone.trim();
  if (v.department_id) body.department_id = v.department_id;
  if (v.manager_id) body.manager_id = v.manager_id;
  return body;
}

function AddUser({ onClose }: { onClose: () => void }) {
  const { t, label, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUsers();
  const departments = useDepartments();
  const roles = useRoles();
  const [form] = Form.useForm<NewUserForm>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: NewUserForm) => {
    setBusy(true);
    try {
      const user = await endpoints.createUser(newUserBody(v));
      message.success(t('user.added', { name: user.name }));
      void qc.invalidateQueries({ queryKey: keys.users });
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'email', 'password', 'phone', 'role', 'department_id', 'manager_id']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('user.add')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'user-add-submit' }} destroyOnClose>
      <Form<NewUserForm> form={form} name="newuser" layout="vertical" preserve={false} initialValues={{ role: 'sales' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t('admin.name')} rules={[{ required: true, whitespace: true, message: t('user.nameRequired') }]}>
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
        <Form.Item name="email" label={t('admin.email')} rules={[{ required: true, type: 'email', message: t('user.emailInvalid') }]}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t('user.password')} extra={t('user.passwordHelp')} rules={[{ required: true, min: 8, message: t('user.passwordShort') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="phone" label={t('user.phone')}>
          <Input type="tel" inputMode="tel" />
        </Form.Item>
        <Form.Item name="role" label={t('auth.role')} rules={[{ required: true }]}>
          <Select options={(roles.data ?? []).map((r) => ({ value: r.name, label: label(r, roleLabel(r.name, lang)) }))} />
        </Form.Item>
        <Form.Item name="department_id" label={t('admin.department')}>
          <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="manager_id" label={t('admin.manager')}>
          <Select allowClear showSearch optionFilterProp="label" options={(users.data ?? []).filter((u) => u.status !== 'disabled').map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t, lang } = useI18n();
  const { isAdmin, can } = useAuth();
  const users = useUsers();
  const departments = useDepartments();
  const mayEdit = isAdmin || can('users.manage');
  const [editing, setEditing] = useState<User | null>(null);
  const [adding, setAdding] = useState(false);
  const deptName = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const userName = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);
  return (
    <div data-testid="users">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('admin.users')}
        </Typography.Title>
        {mayEdit && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="user-add">
            {t('user.add')}
          </Button>
        )}
      </div>
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data ?? []}
        pagination={false}
        scroll={{ x: 780 }}
        onRow={(u) => ({ 'data-testid': 'user-row', 'data-email': u.email }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('admin.name'), width: 110 },
          { key: 'email', dataIndex: 'email', title: t('admin.email') },
          { key: 'role', title: t('auth.role'), render: (_, u) => roleLabel(u.role, lang), width: 110 },
          { key: 'dept', title: t('admin.department'), render: (_, u) => (u.department_id ? deptName.get(u.department_id) ?? '—' : '—') },
          { key: 'manager', title: t('admin.manager'), render: (_, u) => (u.manager_id ? userName.get(u.manager_id) ?? '—' : '—'), width: 100 },
          { key: 'status', title: t('admin.status'), width: 80, render: (_, u) => (u.status === 'disabled' ? <Tag>{t('user.disabled')}</Tag> : <Tag color="green">{t('user.active')}</Tag>) },
          ...(mayEdit
            ? [
                {
                  key: 'edit',
                  title: '',
                  width: 70,
                  render: (_: unknown, u: User) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} data-testid="user-edit" aria-label={t('common.edit')} />,
                },
              ]
            : []),
        ]}
      />
      {editing && <EditUser key={editing.id} user={editing} onClose={() => setEditing(null)} />}
      {adding && <AddUser onClose={() => setAdding(false)} />}
    </div>
  );
}
