// Route guard: renders its children only for a signed-in user; otherwise sends them to sign-in
// with ?next= so they come back to the same place.
import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';
import { useAuth } from './AuthProvider';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading, error, retry } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (loading) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (error && !me) {
    return (
      <Result
        status="warning"
        title={isApiError(error) ? error.detail : t('error.network')}
        extra={<Button onClick={retry}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}
