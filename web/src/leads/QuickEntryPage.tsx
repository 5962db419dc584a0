// 快速录入 (L7): a lead plus a light follow-up card (称呼 / 核心诉求 / 下次动作) in three steps on
// a phone: ① contact (mobile or WeChat, 称呼) ② the card (核心诉求, 下次动作 with a time — typing an
// action picks 明天 10:00 until a time is chosen) ③ source: 来源渠道 (starts from this user's last
// quick entry, else 手工录入) and 首触动作, one tap each, so a Douyin lead that books a demo is
// colour-coded by the rules like any other. POST /api/v1/leads/quick; a phone/WeChat already known within
// the dedup window gives the existing lead a touch instead of a new lead, and the screen says so.
// With more than one pool, ③ also offers 归属公海; when no pool allows manual entry (关闭手工录入)
// the screen says so and cannot be saved.
import { ArrowLeftOutlined, CheckCircleFilled, FileTextOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError, newIdempotencyKey } from '../api/client';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, keys, useEntity } from '../api/queries';
import type { EntityDef, QuickEntry, QuickEntryResult } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { HOME_POOL_FIELD, HomePoolField, homePoolOf, ManualEntryClosed, ManualEntryRefusal, useHomePool } from '../pools/HomePoolField';
import { findField } from '../records/schema';
import { formatDateTime } from '../records/values';
import { FormDuplicateHint } from './DuplicateHint';
import { formatPhone } from './phone';
import { applySalutationSuffix, buildQuickEntry, defaultChannel, rememberChannel, rememberedChannel, SALUTATION_SUFFIXES, WHEN_CHOICES, type QuickValues } from './quickEntry';
import { ACTIVITIES } from './FollowUpPanel';
import { TASKS } from './TasksPanel';

const FORM_FIELDS = ['phone', 'wechat', 'salutation', 'core_need', 'next_action', 'next_action_at', 'company', 'channel', 'first_touch', HOME_POOL_FIELD];

export default function QuickEntryPage() {
  const { entity, isLoading } = useEntity('leads');
  if (isLoading || !entity) return <Skeleton active />;
  return <QuickEntry leads={entity} />;
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 4 } }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <span aria-hidden style={{ display: 'inline-grid', placeItems: 'center', width: 22, height: 22, borderRadius: '50%', background: '#1d4ed8', color: '#fff', fontSize: 12, fontWeight: 600 }}>
          {n}
        </span>
        <Typography.Text strong>{title}</Typography.Text>
      </div>
      {children}
    </Card>
  );
}

/** A row of tappable option chips bound to a form value (antd injects value/onChange). */
function Chips({ options, value, onChange, allowClear, testId }: { options: { value: string; label: string }[]; value?: string; onChange?: (v: string | undefined) => void; allowClear?: boolean; testId: string }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} data-testid={testId}>
      {options.map((o) => (
        <Tag.CheckableTag
          key={o.value}
          checked={value === o.value}
          onChange={(on) => onChange?.(on ? o.value : allowClear ? undefined : o.value)}
          style={{ border: '1px solid #d9d9d9', padding: '3px 10px', fontSize: 13, marginInlineEnd: 0 }}
          data-value={o.value}
        >
          {o.label}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}

function QuickEntry({ leads }: { leads: EntityDef }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<QuickValues>();
  const [saving, setSaving] = useState(false);
  const [showWechat, setShowWechat] = useState(false);
  const [done, setDone] = useState<{ result: QuickEntryResult; sent: QuickEntry } | null>(null);
  // Kept while the outcome is unknown so a retry cannot enter the lead twice; renewed after a 4xx.
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const when = Form.useWatch('when', form);
  const { me } = useAuth();
  const userId = me?.user.id;
  // Whether the user chose a time themselves (then typing an action no longer picks one).
  const whenTouched = useRef(false);
  const homePool = useHomePool();
  const { choice, refusal, clearRefusal } = homePool;

  const optionsOf = (name: string) => (findField(leads, name)?.options ?? []).map((o) => ({ value: o.value, label: label(o, o.value) }));
  const channels = optionsOf('channel');
  const touches = optionsOf('first_touch');
  const startChannel = () => defaultChannel(rememberedChannel(userId), channels);

  const submit = async (values: QuickValues) => {
    const sent = buildQuickEntry({ ...values, home_pool_id: homePoolOf(choice, values.home_pool_id) }, dayjs());
    setSaving(true);
    clearRefusal();
    try {
      const result = await endpoints.quickLead(sent, idemKey);
      qc.setQueryData(keys.get('leads', result.lead.id), result.lead);
      void Promise.all([invalidateEntity(qc, 'leads'), invalidateEntity(qc, ACTIVITIES), invalidateEntity(qc, TASKS)]);
      setIdemKey(newIdempotencyKey());
      rememberChannel(userId, sent.channel);
      setDone({ result, sent });
      // The result screen says it all; a toast only for a new lead (it stays over the next page).
      if (!result.deduplicated) message.success({ content: t('quick.created', { name: String(result.lead.name ?? sent.salutation) }), key: 'quick' });
      window.scrollTo?.(0, 0);
    } catch (e) {
      if (isApiError(e) && e.status >= 400 && e.status < 500) setIdemKey(newIdempotencyKey());
      if (isApiError(e) && e.field === 'phone' && !form.getFieldValue('phone') && form.getFieldValue('wechat') === undefined) setShowWechat(true);
      // 关闭手工录入 stays on the form in the server's words (it names the pool).
      if (!homePool.refused(e)) showError(e, form, FORM_FIELDS);
    } finally {
      setSaving(false);
    }
  };

  const again = () => {
    setDone(null);
    setShowWechat(false);
    whenTouched.current = false;
    form.resetFields();
    form.setFieldsValue({ channel: startChannel() });
  };

  const onValuesChange = (changed: Partial<QuickValues>) => {
    if ('when' in changed) whenTouched.current = true;
    if (typeof changed.next_action === 'string' && changed.next_action.trim() && !whenTouched.current && form.getFieldValue('when') === 'none') form.setFieldValue('when', 'tomorrow');
  };

  const header = (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
      <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
      <div style={{ flex: 1, minWidth: 0 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('quick.title')}
        </Typography.Title>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('quick.subtitle')}
        </Typography.Text>
      </div>
      <Link to="/leads/new" data-testid="to-full-form" style={{ whiteSpace: 'nowrap' }}>
        <FileTextOutlined /> {t('quick.fullForm')}
      </Link>
    </div>
  );

  if (done) {
    const { result, sent } = done;
    const lead = result.lead;
    const name = String(lead.name ?? lead.salutation ?? sent.salutation);
    const contact = typeof lead.phone === 'string' && lead.phone ? formatPhone(lead.phone) : String(lead.wechat ?? '');
    return (
      <div style={{ maxWidth: 560, marginInline: 'auto' }} data-testid="quick-result" data-deduplicated={String(result.deduplicated)}>
        {header}
        <Card size="small">
          <Result
            style={{ padding: '16px 0' }}
            status={result.deduplicated ? 'warning' : 'success'}
            title={result.deduplicated ? t('quick.deduplicated') : t('quick.created', { name })}
            subTitle={
              <span data-testid="quick-result-detail">
                {result.deduplicated ? t('quick.dedupDetail', { name, n: String(lead.touch_count ?? '') }) : contact}
              </span>
            }
            extra={[
              <Button key="open" type="primary" onClick={() => navigate(`/leads/${encodeURIComponent(lead.id)}`)} data-testid="quick-open-lead">
                {t('quick.openLead')}
              </Button>,
              <Button key="again" onClick={again} data-testid="quick-again">
                {t('quick.again')}
              </Button>,
            ]}
          >
            {(result.activity_id || result.task_id) && (
              <div style={{ display: 'grid', gap: 6 }}>
                {result.activity_id && (
                  <span>
                    <CheckCircleFilled style={{ color: '#16a34a' }} /> {t('quick.followupDone')}
                  </span>
                )}
                {result.task_id && (
                  <span>
                    <CheckCircleFilled style={{ color: '#16a34a' }} />{' '}
                    {t('quick.taskDone', { title: sent.next_action ?? t('quick.defaultAction'), when: sent.next_action_at ? ` · ${formatDateTime(sent.next_action_at)}` : '' })}
                  </span>
                )}
              </div>
            )}
          </Result>
        </Card>
      </div>
    );
  }

  return (
    <div style={{ maxWidth: 560, marginInline: 'auto' }} data-testid="quick-entry">
      {header}
      <ManualEntryClosed choice={choice} />
      <Form<QuickValues>
        form={form}
        name="quick"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onValuesChange={onValuesChange}
        initialValues={{ channel: startChannel(), when: 'none' }}
        requiredMark={false}
        scrollToFirstError
        data-testid="quick-form"
      >
        <Step n={1} title={t('quick.step1')}>
          <Form.Item
            name="phone"
            label={t('quick.phone')}
            dependencies={['wechat']}
            extra={<FormDuplicateHint field="phone" />}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) =>
                  (v && v.trim()) || (getFieldValue('wechat') as string | undefined)?.trim() ? Promise.resolve() : Promise.reject(new Error(t('quick.contactRequired'))),
              }),
            ]}
          >
            <Input type="tel" inputMode="tel" autoComplete="off" allowClear placeholder={t('quick.phonePlaceholder')} size="large" />
          </Form.Item>
          {showWechat ? (
            <Form.Item name="wechat" label={t('quick.wechat')} extra={<FormDuplicateHint field="wechat" />}>
              <Input autoComplete="off" allowClear />
            </Form.Item>
          ) : (
            <Button type="link" size="small" onClick={() => setShowWechat(true)} style={{ paddingInline: 0, marginTop: -12, marginBottom: 8 }} data-testid="quick-add-wechat">
              {t('quick.addWechat')}
            </Button>
          )}
          <Form.Item name="salutation" label={t('quick.salutation')} rules={[{ required: true, whitespace: true, message: t('quick.salutationRequired') }]} style={{ marginBottom: 6 }}>
            <Input allowClear placeholder={t('quick.salutationPlaceholder')} size="large" />
          </Form.Item>
          <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', marginBottom: 12 }}>
            {SALUTATION_SUFFIXES.map((s) => (
              <Button key={s} size="small" autoInsertSpace={false} onClick={() => form.setFieldValue('salutation', applySalutationSuffix(form.getFieldValue('salutation'), s))}>
                {s}
              </Button>
            ))}
          </div>
        </Step>

        <Step n={2} title={t('quick.step2')}>
          <Form.Item name="core_need" label={t('quick.coreNeed')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('quick.coreNeedPlaceholder')} />
          </Form.Item>
          <Form.Item name="next_action" label={t('quick.nextAction')} style={{ marginBottom: 8 }}>
            <Input allowClear placeholder={t('quick.nextActionPlaceholder')} />
          </Form.Item>
          <Form.Item name="when" label={t('quick.when')} style={{ marginBottom: when === 'custom' ? 8 : 16 }}>
            <Chips testId="quick-when" options={WHEN_CHOICES.map((c) => ({ value: c, label: t(`quick.when.${c}` as MessageKey) }))} />
          </Form.Item>
          {when === 'custom' && (
            <Form.Item name="when_at" rules={[{ required: true, message: t('quick.whenRequired') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          )}
        </Step>

        <Step n={3} title={t('quick.step3')}>
          <Form.Item name="channel" label={label(findField(leads, 'channel'), t('quick.channel'))}>
            <Chips testId="quick-channel" options={channels} />
          </Form.Item>
          <Form.Item name="first_touch" label={label(findField(leads, 'first_touch'), t('quick.firstTouch'))}>
            <Chips testId="quick-first-touch" options={touches} allowClear />
          </Form.Item>
          <Form.Item name="company" label={t('quick.company')} extra={<FormDuplicateHint field="company" />}>
            <Input allowClear autoComplete="organization" />
          </Form.Item>
          <HomePoolField choice={choice} onChange={clearRefusal} />
        </Step>

        <ManualEntryRefusal refusal={refusal} />
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block size="large" loading={saving} disabled={choice.closed} data-testid="quick-submit">
            {t('quick.save')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}
