// Which permission a screen needs, by path — the same rule the menu uses to show it — so a deep
// link to a screen the role may not use says so instead of showing an empty page whose requests
// the server refuses (and whose buttons would fail). Pure.

/**
 * A permission (any one of several), a right on an entity's records (the 公海 and the dashboard are
 * made of leads), or 'admin'; undefined: every signed-in user.
 */
export type PageRight = { any: string[] } | { entity: string; action: 'read' | 'create' } | 'admin';

const RIGHTS: Array<[RegExp, PageRight]> = [
  [/^\/rules(\/|$)/, { any: ['rules.manage'] }],
  [/^\/workbench$/, { any: ['team.stream', 'rules.manage'] }],
  [/^\/admin\/(notification-channels|deliveries)$/, { any: ['notify.manage'] }],
  [/^\/admin\/documents$/, { any: ['documents.manage', 'notify.manage'] }],
  [/^\/admin\/intake$/, { any: ['intake.manage'] }],
  [/^\/admin\/assignment$/, { any: ['assignment.manage'] }],
  [/^\/admin\/pools$/, { any: ['pools.manage'] }],
  [/^\/admin\/cleaning$/, { any: ['leads.clean'] }],
  [/^\/admin\/(roles|access-rules|sensitive-fields|explain)$/, { any: ['access.manage'] }],
  [/^\/admin\/lead-settings$/, 'admin'],
  [/^\/(pool|dashboard)$/, { entity: 'leads', action: 'read' }],
  [/^\/leads\/quick$/, { entity: 'leads', action: 'create' }],
];

export function pageRight(pathname: string): PageRight | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  return RIGHTS.find(([re]) => re.test(path))?.[1];
}

/**
 * Whether a user may open `pathname`: an admin always; otherwise by `can` (permissions) and `may`
 * (record rights of the role, as useCan gives them).
 */
export function mayOpen(
  pathname: string,
  isAdmin: boolean,
  can: (permission: string) => boolean,
  may: (entity: string, action: 'read' | 'create') => boolean = () => true,
): boolean {
  const right = pageRight(pathname);
  if (!right || isAdmin) return true;
  if (right === 'admin') return false;
  if ('entity' in right) return may(right.entity, right.action);
  return right.any.some(can);
}
