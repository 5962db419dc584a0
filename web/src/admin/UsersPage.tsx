// Admin → 用户: the tenant's users (GET /api/v1/users), read-only in this release.
import { Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useDepartments, useUsers } from '../api/queries';
import type { User } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { roleLabel } from './roles';

export default function UsersPage() {
  const { t, lang } = useI18n();
  const users = useUsers();
  const departments = useDepartments();
  const deptName = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const userName = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);
  return (
    <div data-testid="users">
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('admin.users')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.readOnlyNote')}</Typography.Paragraph>
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('admin.name'), width: 110 },
          { key: 'email', dataIndex: 'email', title: t('admin.email') },
          { key: 'role', title: t('auth.role'), render: (_, u) => roleLabel(u.role, lang), width: 110 },
          { key: 'dept', title: t('admin.department'), render: (_, u) => (u.department_id ? deptName.get(u.department_id) ?? '—' : '—') },
          { key: 'manager', title: t('admin.manager'), render: (_, u) => (u.manager_id ? userName.get(u.manager_id) ?? '—' : '—'), width: 100 },
        ]}
      />
    </div>
  );
}
