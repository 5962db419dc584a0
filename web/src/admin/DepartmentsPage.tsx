// Admin → 部门: the department tree (GET /api/v1/departments, parent_id links) with head counts,
// read-only in this release.
import { Empty, Skeleton, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo } from 'react';
import { useDepartments, useUsers } from '../api/queries';
import type { Department } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** Builds the tree; a department whose parent is unknown is shown at the top level. */
export function departmentTree(items: Department[], headcount: Map<string, number>): DataNode[] {
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
        title: `${d.name} (${headcount.get(d.id) ?? 0})`,
        children: build(d.id, new Set([...seen, d.id])),
      }));
  return build(null, new Set());
}

export default function DepartmentsPage() {
  const { t } = useI18n();
  const departments = useDepartments();
  const users = useUsers();
  const tree = useMemo(() => {
    const count = new Map<string, number>();
    for (const u of users.data ?? []) if (u.department_id) count.set(u.department_id, (count.get(u.department_id) ?? 0) + 1);
    return departmentTree(departments.data ?? [], count);
  }, [departments.data, users.data]);
  return (
    <div data-testid="departments">
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('admin.departments')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.readOnlyNote')}</Typography.Paragraph>
      {departments.isLoading ? <Skeleton active /> : tree.length === 0 ? <Empty /> : <Tree treeData={tree} defaultExpandAll selectable={false} showLine />}
    </div>
  );
}
