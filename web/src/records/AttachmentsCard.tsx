// 附件: the files attached to a record (GET …/{id}/attachments) — name, size, time, uploader —
// with download links (GET /documents/{id}/content) and an upload button that sends the raw file
// as the body with its own Content-Type (≤ 20 MiB). Whoever may read the record may do all of it.
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Skeleton, Typography, Upload } from 'antd';
import { useState } from 'react';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, useAttachments, useUserMap } from '../api/queries';
import { useApiError } from '../api/useApiError';
import { useI18n } from '../i18n/I18nProvider';
import { MAX_DOCUMENT_BYTES, formatSize } from '../admin/channels';
import { formatDateTime } from './values';

export function AttachmentsCard({ entity, id }: { entity: string; id: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const users = useUserMap();
  const list = useAttachments(entity, id);
  const [uploading, setUploading] = useState(false);

  const upload = async (file: File): Promise<boolean> => {
    setUploading(true);
    try {
      await endpoints.uploadAttachment(entity, id, file, file.name);
      void message.success(t('attach.uploaded', { name: file.name }));
      // The list and the history (attachment_added) are both under the entity's key.
      await invalidateEntity(qc, entity);
      return true;
    } catch (e) {
      showError(e);
      return false;
    } finally {
      setUploading(false);
    }
  };

  const button = (
    <Upload
      showUploadList={false}
      beforeUpload={(file) => {
        if (file.size > MAX_DOCUMENT_BYTES) {
          void message.error(t('attach.tooLarge', { size: formatSize(file.size) }));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        void upload(file as File).then((ok) => (ok ? onSuccess?.({}) : onError?.(new Error('upload failed'))));
      }}
    >
      <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="attachment-upload">
        {uploading ? t('attach.uploading') : t('attach.upload')}
      </Button>
    </Upload>
  );

  const items = list.data ?? [];
  return (
    <Card size="small" title={<span><PaperClipOutlined /> {t('attach.title')}{items.length ? ` (${items.length})` : ''}</span>} extra={button} data-testid="attachments">
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attach.empty')} style={{ margin: '8px 0' }} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(a) => (
            <List.Item key={a.id} data-testid="attachment-row" data-id={a.id} style={{ paddingInline: 0 }}>
              <div style={{ minWidth: 0, flex: 1 }}>
                <a
                  href={endpoints.documentUrl(a.id)}
                  download={a.name}
                  data-testid="attachment-link"
                  style={{ wordBreak: 'break-all' }}
                  title={t('attach.download')}
                >
                  <PaperClipOutlined /> {a.name}
                </a>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="attachment-meta">
                    {formatSize(a.size)} · {t('attach.by', { name: users.get(a.created_by)?.name ?? '—', at: formatDateTime(a.created_at) })}
                  </Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
