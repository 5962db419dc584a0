// A QR code drawn in the browser; the `qrcode` library is fetched only when one is shown.
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';

export function QrCode({ text, size = 220, fileName = 'qrcode.png' }: { text: string; size?: number; fileName?: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setUrl(null);
    import('qrcode')
      .then((QR) => QR.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: size * 2 }))
      .then((data) => live && setUrl(data))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [text, size]);
  if (failed) return null;
  if (!url) return <Skeleton.Image active style={{ width: size, height: size }} />;
  return (
    <div style={{ display: 'inline-flex', flexDirection: 'column', alignItems: 'center', gap: 8 }}>
      <img src={url} width={size} height={size} alt={text} data-testid="intake-qr" data-text={text} style={{ border: '1px solid #e5e7eb', borderRadius: 8 }} />
      <a href={url} download={fileName}>
        <Button size="small" icon={<DownloadOutlined />}>
          {t('common.download')}
        </Button>
      </a>
    </div>
  );
}
