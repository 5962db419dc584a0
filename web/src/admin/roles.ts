// Display names of the built-in roles. The server's GET /api/v1/roles has the authoritative
// labels; this table is only a fallback so the users list never shows a bare key.
import type { Lang } from '../i18n/I18nProvider';

const ROLES: Record<string, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  supervisor: { zh: '销售主管', en: 'Sales supervisor' },
  sales: { zh: '销售', en: 'Salesperson' },
  customer_success: { zh: '客户成功', en: 'Customer success' },
};

export function roleLabel(role: string, lang: Lang): string {
  return ROLES[role]?.[lang] ?? role;
}
