// Display names for the access screens (entities, fields, departments, roles, people, rules), so
// rules and explain checks read in words instead of ids.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useDepartments, useRoles, useSchema, useUsers } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { roleLabel } from '../admin/roles';
import type { Names } from './rights';

/** The access rules (admins only: pass enabled=false for others). */
export function useAccessRules(enabled = true) {
  return useQuery({ queryKey: keys.accessRules, queryFn: endpoints.accessRules, enabled, select: (d) => d.items });
}

export function useAccessNames(withRules = false): Names {
  const { label, lang } = useI18n();
  const schema = useSchema();
  const departments = useDepartments();
  const roles = useRoles();
  const users = useUsers();
  const rules = useAccessRules(withRules);
  return useMemo<Names>(() => {
    const ents = schema.data?.entities ?? [];
    const ent = (name: string) => ents.find((e) => e.name === name);
    return {
      entity: (name) => (name === '*' ? '*' : label(ent(name), name)),
      field: (entity, name) => label(ent(entity)?.fields.find((f) => f.name === name), name),
      department: (id) => departments.data?.find((d) => d.id === id)?.name ?? id.slice(0, 8),
      role: (name) => {
        const r = roles.data?.find((x) => x.name === name);
        return r ? label(r, name) : roleLabel(name, lang);
      },
      user: (id) => users.data?.find((u) => u.id === id)?.name ?? id.slice(0, 8),
      rule: (id) => rules.data?.find((r) => r.id === id)?.name ?? id.slice(0, 8),
    };
  }, [schema.data, departments.data, roles.data, users.data, rules.data, label, lang]);
}
