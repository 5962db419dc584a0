// 查重 while typing: a debounced GET /api/v1/duplicates/check for one field (phone, WeChat ID or
// company) and the answer under that field — who owns the match, or that it is in the public
// pool — never a link to the record (the API does not reveal it).
import { CheckCircleOutlined, ExclamationCircleOutlined, InfoCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { Form, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { checkValue, duplicateMessages, onlyArchived, type CheckField } from './duplicates';

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const h = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(h);
  }, [value, ms]);
  return settled;
}

export const DUPLICATE_DEBOUNCE_MS = 400;

export function useDuplicateCheck(field: CheckField, typed: unknown) {
  const value = checkValue(field, typed);
  const settled = useDebounced(value, DUPLICATE_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: keys.duplicates(field, settled ?? ''),
    queryFn: ({ signal }) => endpoints.duplicateCheck({ [field]: settled ?? undefined }, signal),
    enabled: !!settled && settled === value,
    staleTime: 30_000,
    retry: false,
  });
  // While typing (value ahead of the settled one) the last answer no longer applies.
  const current = !!value && settled === value;
  return { value, pending: !!value && (!current || query.isFetching), data: current ? query.data : undefined, error: current ? query.error : null };
}

/** The hint for one field's current text; renders nothing while there is nothing to check. */
export function DuplicateHint({ field, value }: { field: CheckField; value: unknown }) {
  const { t, lang } = useI18n();
  const check = useDuplicateCheck(field, value);
  const testId = `dup-${field}`;
  if (!check.value) return null;
  if (check.pending && !check.data) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={testId} data-state="checking">
        <LoadingOutlined /> {t('dup.checking')}
      </Typography.Text>
    );
  }
  if (check.error) {
    // A value the server cannot read (e.g. not a phone number): say so, the save would say it too.
    return isApiError(check.error) && check.error.status === 400 ? (
      <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={testId} data-state="invalid">
        {check.error.detail}
      </Typography.Text>
    ) : null;
  }
  const lines = duplicateMessages(check.data, lang);
  if (lines.length === 0) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={testId} data-state="clear">
        <CheckCircleOutlined style={{ color: '#16a34a' }} /> {t('dup.clear')}
      </Typography.Text>
    );
  }
  const archivedOnly = onlyArchived(check.data);
  return (
    <div data-testid={testId} data-state={archivedOnly ? 'archived' : 'duplicate'} role="status" style={{ fontSize: 12, color: archivedOnly ? 'rgba(0,0,0,.55)' : '#b45309', display: 'grid', gap: 2, marginTop: 2 }}>
      {lines.map((line) => (
        <span key={line}>
          {archivedOnly ? <InfoCircleOutlined /> : <ExclamationCircleOutlined />} {line}
        </span>
      ))}
    </div>
  );
}

/** DuplicateHint for a field of the surrounding antd Form (watches its value). */
export function FormDuplicateHint({ field, name }: { field: CheckField; name?: string }) {
  const form = Form.useFormInstance();
  const value: unknown = Form.useWatch(name ?? field, form);
  return <DuplicateHint field={field} value={value} />;
}
