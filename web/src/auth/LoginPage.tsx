// /login: the sign-in screen. After success it goes to ?next= (a same-app path only) or home
// ("/": 今日黄金3分钟 on a phone, the lead list on a desktop).
import { Button, Card, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useI18n } from '../i18n/I18nProvider';
import { useAuth } from './AuthProvider';
import { LoginForm } from './LoginForm';

/** Only in-app paths are followed, never another origin ("//evil.example" included). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const { me, signIn } = useAuth();
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  if (me) return <Navigate to={next} replace />;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16, background: 'linear-gradient(160deg,#eff6ff,#f8fafc 60%)' }}>
      <Card style={{ width: '100%', maxWidth: 400 }} data-testid="login-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start' }}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {t('auth.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('auth.subtitle')}</Typography.Paragraph>
          </div>
          <Button type="link" size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
            {t('lang.switch')}
          </Button>
        </div>
        <LoginForm
          onSubmit={async (email, password) => {
            await signIn(email, password);
            navigate(next, { replace: true });
          }}
        />
      </Card>
    </div>
  );
}
