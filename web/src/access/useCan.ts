// The signed-in user's record rights, from GET /api/v1/roles and the role in GET /api/v1/me:
// useCan()(entity, action) hides buttons the server would refuse. While the roles load, only a
// "*" user is allowed anything (buttons appear a moment later rather than 403 on click). If the
// roles cannot be loaded at all, nothing is hidden: the server still refuses what it must.
import { useCallback, useMemo } from 'react';
import { useRoles } from '../api/queries';
import type { AccessAction, Role } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { can } from './rights';

export function useMyRole(): { role: Role | undefined; loading: boolean; unknown: boolean } {
  const { me } = useAuth();
  const superuser = !!me?.user.permissions?.includes('*');
  const roles = useRoles(!!me && !superuser);
  const role = useMemo<Role | undefined>(() => {
    if (!me) return undefined;
    if (superuser) return { name: me.user.role, label_zh: '', label_en: '', permissions: ['*'], entity_access: {} };
    return roles.data?.find((r) => r.name === me.user.role);
  }, [me, superuser, roles.data]);
  return { role, loading: !!me && !superuser && roles.isLoading, unknown: !!me && !superuser && roles.isError };
}

export function useCan(): (entity: string, action: AccessAction) => boolean {
  const { role, unknown } = useMyRole();
  return useCallback((entity: string, action: AccessAction) => unknown || can(role, entity, action), [role, unknown]);
}
