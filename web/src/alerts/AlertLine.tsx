// One alert as a line in a list (today card, supervisor workbench): severity tag, title linking to
// its record, time. Kept out of AlertsPage so pages that show alerts do not pull that page's chunk.
import { Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Alert } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';

export const SEVERITY_COLOR: Record<string, string> = { critical: 'red', warning: 'orange', info: 'blue' };

export function AlertLine({ alert: a }: { alert: Alert }) {
  const { t } = useI18n();
  return (
    <Space wrap>
      <Tag color={SEVERITY_COLOR[a.severity] ?? 'default'}>{t(`alerts.severity.${a.severity}` as 'alerts.severity.info')}</Tag>
      {a.entity && a.record_id ? <Link to={`/${a.entity}/${a.record_id}`}>{a.title}</Link> : a.title}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(a.created_at)}
      </Typography.Text>
    </Space>
  );
}
