// The way out of a "not found" page: back to the start (今日黄金3分钟 on a phone, the lead list on a
// desktop — the index route decides).
import { Button } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/I18nProvider';

export function HomeButton() {
  const { t } = useI18n();
  return (
    <Link to="/">
      <Button type="primary" data-testid="back-home">
        {t('error.backHome')}
      </Button>
    </Link>
  );
}
