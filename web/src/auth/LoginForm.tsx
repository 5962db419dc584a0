// The sign-in form: email + password, validated before anything is sent; a server refusal
// (401 auth.invalid_credentials, 429 auth.throttled, …) is shown with the server's own `detail`,
// and a problem that names a field marks that field.
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';

export interface LoginFormProps {
  /** Resolves when signed in; rejects with an ApiError (or any error) otherwise. */
  onSubmit: (email: string, password: string) => Promise<void>;
  initialEmail?: string;
}

interface Values {
  email: string;
  password: string;
}

export function LoginForm({ onSubmit, initialEmail }: LoginFormProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const finish = async ({ email, password }: Values) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(email.trim(), password);
    } catch (e) {
      if (isApiError(e)) {
        setError(e.detail);
        if (e.field === 'email' || e.field === 'password') form.setFields([{ name: e.field, errors: [e.detail] }]);
      } else {
        setError(e instanceof Error ? e.message : t('error.network'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      name="login"
      layout="vertical"
      requiredMark={false}
      initialValues={{ email: initialEmail ?? '', password: '' }}
      onFinish={finish}
      onValuesChange={() => error && setError(null)}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" role="alert" />}
      <Form.Item
        name="email"
        label={t('auth.email')}
        rules={[
          { required: true, whitespace: true, message: t('auth.emailRequired') },
          { type: 'email', message: t('auth.emailInvalid') },
        ]}
      >
        <Input prefix={<MailOutlined />} type="email" inputMode="email" autoComplete="username" size="large" />
      </Form.Item>
      <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
        {t('auth.signIn')}
      </Button>
    </Form>
  );
}
