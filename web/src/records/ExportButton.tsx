// 导出: the list's current filters, search and sort as a CSV (UTF-8 with BOM, opens in Excel) or
// XLSX file, fetched with the session so a refusal (too many rows, no permission) shows as a
// message instead of a broken download.
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { saveBlob } from '../api/client';
import { endpoints, type ListQuery } from '../api/endpoints';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { exportQuery } from './filters';

export function ExportButton({ entity, query, compact }: { entity: string; query: ListQuery; compact?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      const file = await endpoints.exportList(entity, format, exportQuery(query));
      saveBlob(file.blob, file.filename);
      const rows = file.headers.get('X-Export-Rows');
      message.success(rows ? t('export.done', { n: rows }) : t('export.doneFile', { name: file.filename }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'csv', label: <span data-testid="export-csv">{t('export.csv')}</span> },
          { key: 'xlsx', label: <span data-testid="export-xlsx">{t('export.xlsx')}</span> },
        ],
        onClick: ({ key }) => void run(key as 'csv' | 'xlsx'),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="export" title={t('export.title')}>
        {compact ? null : t('export.title')}
      </Button>
    </Dropdown>
  );
}
