// Shows a failed request to the user: the server's `detail` as a toast, and, when the problem
// names a `field` that the form has, the same text under that field.
import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { isApiError } from './client';
import { useI18n } from '../i18n/I18nProvider';

export function useApiError() {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (error: unknown, form?: FormInstance, formFields?: string[]) => {
      if (isApiError(error)) {
        if (error.status === 401) return; // the auth layer redirects to sign-in
        message.error(error.detail);
        if (form && error.field && (!formFields || formFields.includes(error.field))) {
          form.setFields([{ name: error.field, errors: [error.detail] }]);
          form.scrollToField(error.field, { block: 'center' });
        }
        return;
      }
      message.error(error instanceof Error ? error.message : t('error.generic', { status: '?' }));
    },
    [message, t],
  );
}
