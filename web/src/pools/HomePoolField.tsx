// 归属公海 on the forms that enter a lead by hand (新建线索, 快速录入): the picker of the tenant's pools
// (a pool with 关闭手工录入 is shown, disabled, with a note), the notice when no pool allows manual
// entry, and the server's refusal (403 leads.manual_entry_disabled) kept on the form.
import { Alert, Form, Select, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isApiError } from '../api/client';
import { keys, usePools } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { homePoolChoice, MANUAL_ENTRY_DISABLED, type HomePoolChoice } from './poolRules';

/** The form field that holds the chosen pool's id. */
export const HOME_POOL_FIELD = 'home_pool_id';

/**
 * The 归属公海 state of a manual lead form (`enabled` false: not a lead form, nothing is fetched
 * or offered): the choice from the tenant's pools, the refusal shown
 * on the form (cleared when another pool is picked), and `refused(e)`, which takes a failed
 * create: a 403 leads.manual_entry_disabled is kept as the form's notice and the pools are
 * reloaded (the switch changed since the form opened); returns whether it was that refusal.
 */
export function useHomePool(enabled = true) {
  const pools = usePools(enabled);
  const qc = useQueryClient();
  const choice = useMemo(() => homePoolChoice(enabled ? pools.data : undefined), [enabled, pools.data]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const refused = useCallback(
    (error: unknown) => {
      if (!isApiError(error) || error.code !== MANUAL_ENTRY_DISABLED) return false;
      setRefusal(error.detail);
      void qc.invalidateQueries({ queryKey: keys.pools });
      return true;
    },
    [qc],
  );
  const clearRefusal = useCallback(() => setRefusal(null), []);
  return { choice, refusal, refused, clearRefusal, loading: pools.isLoading };
}

/** The chosen pool as the create body's `home_pool_id`: only when a pool was offered and chosen. */
export function homePoolOf(choice: HomePoolChoice, value: unknown): string | undefined {
  return choice.show && typeof value === 'string' && value ? value : undefined;
}

/**
 * The 归属公海 picker, inside a Form: nothing when there is one pool. Keeps the value on a pool
 * that allows manual entry when the pools change (a pool switched off meanwhile).
 */
export function HomePoolField({ choice, onChange, size }: { choice: HomePoolChoice; onChange?: () => void; size?: 'large' }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  useEffect(() => {
    if (!choice.show) return;
    const current: unknown = form.getFieldValue(HOME_POOL_FIELD);
    if (!choice.options.some((o) => o.value === current && !o.disabled)) form.setFieldValue(HOME_POOL_FIELD, choice.initial);
  }, [choice, form]);
  if (!choice.show) return null;
  return (
    <Form.Item name={HOME_POOL_FIELD} label={t('homePool.label')} extra={t('homePool.help')} initialValue={choice.initial}>
      <Select
        size={size}
        data-testid="home-pool"
        onChange={onChange}
        placeholder={choice.closed ? t('homePool.closedTitle') : undefined}
        options={choice.options.map((o) => ({
          value: o.value,
          title: o.name,
          disabled: o.disabled,
          'data-closed': String(o.disabled),
          label: o.disabled ? (
            <span>
              {o.name}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('homePool.closedTag')}
              </Typography.Text>
            </span>
          ) : (
            o.name
          ),
        }))}
      />
    </Form.Item>
  );
}

/** 手工录入已关闭: every pool the lead could belong to has manual entry switched off. */
export function ManualEntryClosed({ choice }: { choice: HomePoolChoice }) {
  const { t } = useI18n();
  if (!choice.closed) return null;
  return <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('homePool.closedTitle')} description={t('homePool.closedDetail')} data-testid="manual-entry-closed" />;
}

/** The server's refusal of the last create, in its own words (it names the pool). */
export function ManualEntryRefusal({ refusal }: { refusal: string | null }) {
  const { t } = useI18n();
  if (!refusal) return null;
  return <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('homePool.refusedTitle')} description={refusal} data-testid="manual-entry-refused" />;
}
