// Admin → 资料库 (/admin/documents, documents.manage): the files rules send to leads (product
// brochures, price lists) — upload (the file is the request body with its own Content-Type,
// ≤ 20 MiB), download, remove.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Result, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { keys, useDocuments } from '../api/queries';
import type { DocumentItem } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';
import { MAX_DOCUMENT_BYTES, formatSize } from './channels';

export default function DocumentsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('documents.manage') && !can('notify.manage')) return <Result status="403" title={t('documents.noPermission')} />;
  return <Documents />;
}

function Documents() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const docs = useDocuments();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    if (file.size > MAX_DOCUMENT_BYTES) {
      void message.error(t('documents.tooLarge', { size: formatSize(file.size) }));
      return;
    }
    setUploading(true);
    try {
      await endpoints.uploadDocument(file, file.name);
      void message.success(t('documents.uploaded', { name: file.name }));
      await qc.invalidateQueries({ queryKey: keys.documents });
    } catch (e) {
      showError(e);
    } finally {
      setUploading(false);
    }
  };
  const archive = async (d: DocumentItem) => {
    try {
      await endpoints.archiveDocument(d.id);
      await qc.invalidateQueries({ queryKey: keys.documents });
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="documents-page" style={{ maxWidth: 960 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('documents.title')}
        </Typography.Title>
        <Upload
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} loading={uploading} data-testid="document-upload">
            {t('documents.upload')}
          </Button>
        </Upload>
      </div>
      <Typography.Paragraph type="secondary">{t('documents.subtitle')}</Typography.Paragraph>
      {docs.error ? (
        <Result status="warning" title={isApiError(docs.error) ? docs.error.detail : t('error.network')} />
      ) : (
        <Table<DocumentItem>
          rowKey="id"
          size="small"
          loading={docs.isLoading}
          dataSource={docs.data ?? []}
          pagination={false}
          locale={{ emptyText: t('documents.empty') }}
          onRow={(d) => ({ 'data-testid': 'document-row', 'data-id': d.id }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'name',
              title: t('documents.name'),
              render: (_, d) => (
                <a href={endpoints.documentUrl(d.id)} download={d.name}>
                  <DownloadOutlined /> {d.name}
                </a>
              ),
            },
            { key: 'mime', title: t('documents.mime'), dataIndex: 'mime', width: 180 },
            { key: 'size', title: t('documents.size'), width: 100, align: 'right', render: (_, d) => formatSize(d.size) },
            { key: 'at', title: t('documents.at'), width: 150, render: (_, d) => formatDateTime(d.created_at) },
            {
              key: 'rm',
              title: '',
              width: 80,
              render: (_, d) => (
                <Popconfirm title={t('documents.removeConfirm')} onConfirm={() => void archive(d)}>
                  <Button size="small" danger type="text">
                    {t('documents.remove')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
