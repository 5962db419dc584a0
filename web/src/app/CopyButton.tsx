// Copies text to the clipboard: the async Clipboard API where the page is a secure context, the
// old execCommand way elsewhere (plain http on a LAN address), and says whether it worked.
import { CopyOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps } from 'antd';
import { useI18n } from '../i18n/I18nProvider';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the old way */
  }
  try {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    document.body.removeChild(ta);
    return ok;
  } catch {
    return false;
  }
}

export function CopyButton({ text, onCopied, children, ...rest }: { text: string; onCopied?: () => void } & Omit<ButtonProps, 'onClick'>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return (
    <Button
      icon={<CopyOutlined />}
      {...rest}
      onClick={async () => {
        if (await copyText(text)) {
          message.success({ content: t('common.copied'), key: 'copy' });
          onCopied?.();
        } else {
          message.error({ content: t('common.copyFailed'), key: 'copy' });
        }
      }}
    >
      {children ?? t('common.copy')}
    </Button>
  );
}
