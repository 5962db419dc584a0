// Admin → 部门: the department tree (GET /api/v1/departments, parent_id links) with head counts and
// each department's 负责人 (head), who approves access requests sent to "department_head"; an admin
// creates a department (top level or under another: POST /departments), renames one and sets its head
// (PATCH /departments/{id}).
import { PlusOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Empty, Form, Input, Modal, Select, Skeleton, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useDepartments, useUsers } from '../api/queries';
import type { Department } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';

/** Builds the tree; a department whose parent is unknown is shown at the top level. */
export function departmentTree(items: Department[], headcount: Map<string, number>, title?: (d: Department, count: number) => React.ReactNode): DataNode[] {
  const ids = new Set(items.map((d) => d.id));
  const children = new Map<string | null, Department[]>();
  for (const d of items) {
    const p = d.parent_id && ids.has(d.parent_id) ? d.parent_id : null;
    children.set(p, [...(children.get(p) ?? []), d]);
  }
  const build = (parent: string | null, seen: Set<string>): DataNode[] =>
    (children.get(parent) ?? [])
      .filter((d) => !seen.has(d.id))
      .map((d) => ({
        key: d.id,
        title: title ? title(d, headcount.get(d.id) ?? 0) : `${d.name} (${headcount.get(d.id) ?? 0})`,
        children: build(d.id, new Set([...seen, d.id])),
      }));
  return build(null, new Set());
}

function HeadModal({ dept, onClose }: { dept: Department; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUsers();
  const [head, setHead] = useState<string | null>(dept.head_user_id ?? null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await endpoints.updateDepartment(dept.id, { head_user_id: head });
      message.success(t('dept.saved'));
      void qc.invalidateQueries({ queryKey: keys.departments });
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t('dept.setHead')} · ${dept.name}`} onCancel={onClose} onOk={() => void save()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        value={head ?? undefined}
        onChange={(v) => setHead(v ?? null)}
        style={{ width: '100%' }}
        placeholder={t('dept.head')}
        options={(users.data ?? []).filter((u) => u.status !== 'disabled').map((u) => ({ value: u.id, label: u.name }))}
        data-testid="dept-head-select"
      />
    </Modal>
  );
}

/** 新建部门 (optionally under `parent`) or 重命名 `dept`. */
function NameModal({ dept, parent, onClose }: { dept?: Department; parent?: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const departments = useDepartments();
  const [form] = Form.useForm<{ name: string; parent_id?: string }>();
  const [busy, setBusy] = useState(false);
  const save = async (v: { name: string; parent_id?: string }) => {
    setBusy(true);
    try {
      const name = v.name.trim();
      if (dept) {
        await endpoints.updateDepartment(dept.id, { name });
        message.success(t('dept.renamed', { name }));
      } else {
        await endpoints.createDepartment({ name, ...(v.parent_id ? { parent_id: v.parent_id } : {}) });
        message.success(t('dept.added', { name }));
      }
      void qc.invalidateQueries({ queryKey: keys.departments });
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'parent_id']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={dept ? `${t('dept.rename')} · ${dept.name}` : t('dept.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'dept-submit' }}
      destroyOnClose
    >
      <Form form={form} name="dept" layout="vertical" preserve={false} initialValues={{ name: dept?.name ?? '', parent_id: parent }} onFinish={(v) => void save(v)}>
        <Form.Item name="name" label={t('dept.name')} rules={[{ required: true, whitespace: true, message: t('dept.nameRequired') }, { max: 60 }]}>
          <Input maxLength={60} autoFocus data-testid="dept-name" />
        </Form.Item>
        {!dept && (
          <Form.Item name="parent_id" label={t('dept.parent')}>
            <Select allowClear placeholder={t('dept.parentNone')} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function DepartmentsPage() {
  const { t } = useI18n();
  const { isAdmin } = useAuth();
  const departments = useDepartments();
  const users = useUsers();
  const [editing, setEditing] = useState<Department | null>(null);
  // Naming: a department to rename, or a new one (under `parent`, if set).
  const [naming, setNaming] = useState<{ dept?: Department; parent?: string } | null>(null);
  const tree = useMemo(() => {
    const count = new Map<string, number>();
    for (const u of users.data ?? []) if (u.department_id) count.set(u.department_id, (count.get(u.department_id) ?? 0) + 1);
    const name = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id.slice(0, 8);
    return departmentTree(departments.data ?? [], count, (d, n) => (
      <span data-testid="dept" data-name={d.name}>
        {d.name} ({n}){' '}
        {d.head_user_id ? (
          <Tag icon={<UserOutlined />} color="blue">
            {t('dept.head')}: {name(d.head_user_id)}
          </Tag>
        ) : null}
        {isAdmin && (
          <>
            <Button type="link" size="small" onClick={() => setEditing(d)} data-testid="dept-set-head">
              {t('dept.setHead')}
            </Button>
            <Button type="link" size="small" onClick={() => setNaming({ dept: d })} data-testid="dept-rename">
              {t('dept.rename')}
            </Button>
            <Button type="link" size="small" onClick={() => setNaming({ parent: d.id })} data-testid="dept-add-under">
              {t('dept.addUnder')}
            </Button>
          </>
        )}
      </span>
    ));
  }, [departments.data, users.data, isAdmin, t]);
  return (
    <div data-testid="departments">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('admin.departments')}
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setNaming({})} data-testid="dept-add">
            {t('dept.add')}
          </Button>
        )}
      </div>
      {departments.isLoading ? <Skeleton active /> : tree.length === 0 ? <Empty /> : <Tree key={departments.data?.length} treeData={tree} defaultExpandAll selectable={false} showLine />}
      {editing && <HeadModal dept={editing} onClose={() => setEditing(null)} />}
      {naming && <NameModal dept={naming.dept} parent={naming.parent} onClose={() => setNaming(null)} />}
    </div>
  );
}
