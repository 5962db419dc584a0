// The public one-screen mobile form behind a trade-show QR code (线下展会): /intake/:sourceId?key=…
// No sign-in: the intake key in the URL authenticates, and the source stamps the channel. Posts
// to /api/v1/intake/{sourceId}?key=… (201 new lead, 200 deduplicated — the visitor sees the
// same thank-you either way) and passes the page URL's ad parameters (utm_*, keyword, …) along.
import { TranslationOutlined } from '@ant-design/icons';
import { Button, Form, Input, Result } from 'antd';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { useI18n } from '../i18n/I18nProvider';
import { ATTRIBUTION_PARAMS } from '../admin/intakeSnippets';
import { isCheckablePhone } from '../leads/phone';

interface Values {
  name: string;
  phone: string;
  company?: string;
  core_need?: string;
}

/** The intake payload: trimmed form values plus the ad parameters the page URL carries. */
export function intakePayload(values: Values, search: URLSearchParams): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' && v.trim()) body[k] = v.trim();
  for (const k of ATTRIBUTION_PARAMS) {
    const v = search.get(k);
    if (v) body[k] = v;
  }
  return body;
}

export default function IntakeFormPage() {
  const { sourceId = '' } = useParams();
  const [search] = useSearchParams();
  const key = search.get('key') ?? '';
  const { t, lang, setLang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [state, setState] = useState<'form' | 'sending' | 'thanks' | 'bad-link'>(key ? 'form' : 'bad-link');
  const [error, setError] = useState<string | null>(null);
  // The source's own name (e.g. "2026 上海展 · 展位 A12") titles the form; a dead link shows so.
  const [source, setSource] = useState<{ name: string; channel_label_zh: string; channel_label_en: string } | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    endpoints.intakeForm(sourceId, key).then(
      (s) => live && setSource(s),
      (e) => live && isApiError(e) && [401, 403, 404].includes(e.status) && setState('bad-link'),
    );
    return () => { live = false; };
  }, [sourceId, key]);

  const submit = async (values: Values) => {
    setState('sending');
    setError(null);
    try {
      await endpoints.submitIntake(sourceId, key, intakePayload(values, search));
      setState('thanks');
    } catch (e) {
      if (isApiError(e) && (e.status === 401 || e.status === 404 || e.status === 403)) {
        setState('bad-link');
        return;
      }
      setState('form');
      if (isApiError(e) && e.field && ['name', 'phone', 'company', 'core_need'].includes(e.field)) {
        form.setFields([{ name: e.field as keyof Values, errors: [e.detail] }]);
      } else {
        setError(isApiError(e) ? e.detail : t('error.network'));
      }
    }
  };

  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #1d4ed8 0, #1d4ed8 160px, #f5f7fb 160px)', padding: '16px 16px 32px' }} data-testid="intake-page">
      <div style={{ maxWidth: 460, marginInline: 'auto' }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button type="text" size="small" icon={<TranslationOutlined />} style={{ color: '#fff' }} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('lang.switch')}
          </Button>
        </div>
        <h1 style={{ color: '#fff', fontSize: 22, margin: '8px 0 4px' }}>{source?.name ?? t('intakeForm.title')}</h1>
        <p style={{ color: 'rgba(255,255,255,.85)', margin: '0 0 16px' }}>
          {source ? `${lang === 'zh' ? source.channel_label_zh : source.channel_label_en} · ` : ''}{t('intakeForm.subtitle')}
        </p>
        <div style={{ background: '#fff', borderRadius: 12, padding: 16, boxShadow: '0 4px 16px rgba(15,23,42,.08)' }}>
          {state === 'thanks' ? (
            <Result
              status="success"
              title={<span data-testid="intake-thanks">{t('intakeForm.thanks')}</span>}
              subTitle={t('intakeForm.thanksDetail')}
              extra={
                <Button
                  onClick={() => {
                    form.resetFields();
                    setState('form');
                  }}
                >
                  {t('intakeForm.again')}
                </Button>
              }
            />
          ) : state === 'bad-link' ? (
            <Result status="warning" title={<span data-testid="intake-bad-link">{t('intakeForm.badLink')}</span>} />
          ) : (
            <Form<Values> form={form} name="intake" layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} size="large">
              <Form.Item name="name" label={t('intakeForm.name')} rules={[{ required: true, whitespace: true, message: t('intakeForm.nameRequired') }]}>
                <Input placeholder={t('intakeForm.namePlaceholder')} autoComplete="name" maxLength={50} />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('intakeForm.phone')}
                rules={[
                  { required: true, whitespace: true, message: t('intakeForm.phoneRequired') },
                  { validator: (_, v: string | undefined) => (!v || isCheckablePhone(v) ? Promise.resolve() : Promise.reject(new Error(t('intakeForm.phoneInvalid')))) },
                ]}
              >
                <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} />
              </Form.Item>
              <Form.Item name="company" label={t('intakeForm.company')}>
                <Input autoComplete="organization" maxLength={100} />
              </Form.Item>
              <Form.Item name="core_need" label={t('intakeForm.need')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} placeholder={t('intakeForm.needPlaceholder')} maxLength={500} />
              </Form.Item>
              {error && (
                <div role="alert" style={{ color: '#dc2626', marginBottom: 12 }} data-testid="intake-error">
                  {error}
                </div>
              )}
              <Button type="primary" htmlType="submit" block loading={state === 'sending'} data-testid="intake-submit">
                {t('intakeForm.submit')}
              </Button>
              <p style={{ color: 'rgba(0,0,0,.45)', fontSize: 12, textAlign: 'center', margin: '12px 0 0' }}>{t('intakeForm.privacy')}</p>
            </Form>
          )}
        </div>
      </div>
    </div>
  );
}
