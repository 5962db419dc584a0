// A `not_delivered` firing: the rule wanted DingTalk / WeCom / email but the tenant has not set
// that channel up. A neutral grey note (not an error: the rule ran, there was nowhere to send),
// with a link to 通知渠道 for those who may set one up (notify.manage).
import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { channelLabel } from './ruleText';

export function NoChannelNote({ kind }: { kind: string }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  return (
    <span data-testid="firing-no-channel" data-kind={kind} style={{ display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
      <Tag color="default" style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
        {kind ? t('firing.noChannel', { channel: channelLabel(kind, lang) }) : t('firing.noChannelAny')}
      </Tag>
      {can('notify.manage') && (
        <Link to="/admin/notification-channels" style={{ fontSize: 12 }} data-testid="firing-setup-channel">
          {t('firing.setUpChannel')}
        </Link>
      )}
    </span>
  );
}
