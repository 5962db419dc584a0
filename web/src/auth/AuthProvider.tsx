// Who is signed in. On start the app asks GET /api/v1/me: 200 = signed in, 401 = not. The
// session itself is an HttpOnly cookie set by the server; the UI never sees or stores the token.
// Any 401 from any request later (session expired or revoked) clears cached data and sends the
// user to /login?next=<where they were>.
import { App } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { isApiError, setUnauthorizedHandler } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import type { Me } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

export interface Auth {
  /** undefined while the first /me is in flight; null when signed out. */
  me: Me | null | undefined;
  loading: boolean;
  /** A failure other than 401 on /me (server down): the UI offers a retry. */
  error: unknown;
  retry: () => void;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  isAdmin: boolean;
  /** Whether the signed-in user holds `permission` (or "*"), e.g. "intake.manage", "leads.clean". */
  can: (permission: string) => boolean;
}

/** True when `me` holds `permission`, directly or through "*". */
export function hasPermission(me: Me | null | undefined, permission: string): boolean {
  const perms = me?.user.permissions ?? [];
  return perms.includes('*') || perms.includes(permission);
}

const AuthContext = createContext<Auth | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    return await endpoints.me();
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const { t } = useI18n();
  const meQuery = useQuery({ queryKey: keys.me, queryFn: fetchMe, retry: false, staleTime: Infinity });
  const where = useRef(location);
  where.current = location;

  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        const wasSignedIn = !!qc.getQueryData(keys.me);
        qc.cancelQueries();
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
        qc.setQueryData(keys.me, null);
        if (wasSignedIn) message.warning(t('auth.sessionExpired'));
        const here = where.current;
        if (here.pathname !== '/login') {
          const next = here.pathname + here.search;
          navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
        }
      }),
    [qc, navigate, message, t],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      await endpoints.login(email, password);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
      const me = await fetchMe();
      qc.setQueryData(keys.me, me);
    },
    [qc],
  );

  const signOut = useCallback(async () => {
    try {
      await endpoints.logout();
    } catch {
      /* already signed out server-side: the local sign-out below is what matters */
    }
    qc.clear();
    qc.setQueryData(keys.me, null);
    navigate('/login', { replace: true });
  }, [qc, navigate]);

  const { data: me, isLoading, error, refetch } = meQuery;
  const value = useMemo<Auth>(
    () => ({
      me,
      loading: isLoading,
      error,
      retry: () => void refetch(),
      signIn,
      signOut,
      isAdmin: !!me && (me.user.role === 'admin' || (me.user.permissions ?? []).includes('*')),
      can: (permission: string) => hasPermission(me, permission),
    }),
    [me, isLoading, error, refetch, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
