// The signed-in frame: side menu on desktop, bottom tab bar + drawer menu on phones, header with
// the 通知 bell, the live-connection dot, language switch and user menu. Menu entries come from the
// schema, so a new entity appears without code.
import {
  AlertOutlined,
  BellOutlined,
  BranchesOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FolderOpenOutlined,
  FundViewOutlined,
  SendOutlined,
  ApiOutlined,
  AuditOutlined,
  EyeInvisibleOutlined,
  KeyOutlined,
  SafetyOutlined,
  SolutionOutlined,
  AppstoreOutlined,
  ApartmentOutlined,
  ClearOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  ControlOutlined,
  ImportOutlined,
  InboxOutlined,
  ShareAltOutlined,
  DownOutlined,
  FileProtectOutlined,
  FunnelPlotOutlined,
  LogoutOutlined,
  MenuOutlined,
  MessageOutlined,
  PlusOutlined,
  ProfileOutlined,
  RiseOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  TranslationOutlined,
} from '@ant-design/icons';
import { App, Avatar, Badge, Button, Drawer, Dropdown, Layout, Menu, Result, Tooltip, Typography, type MenuProps } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { HomeButton } from './HomeButton';
import { mayOpen, pageRight } from './pageRights';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { useLiveEvents, type LiveStatus } from '../live/useLiveEvents';
import { accessNotice } from '../access/rights';
import { useCan, useMyRole } from '../access/useCan';
import type { RecordEvent } from '../api/types';
import { menuEntities } from '../records/schema';
import { roleLabel } from '../admin/roles';
import { useIsMobile } from './useIsMobile';
import { useAvailability } from './useAvailability';
import { PageFallback } from './PageFallback';
import { NotificationBell } from '../inbox/NotificationBell';

const ENTITY_ICONS: Record<string, ReactNode> = {
  leads: <FunnelPlotOutlined />,
  customers: <ShopOutlined />,
  contacts: <ContactsOutlined />,
  opportunities: <RiseOutlined />,
  contracts: <FileProtectOutlined />,
  activities: <MessageOutlined />,
  tasks: <CheckSquareOutlined />,
};

export function entityIcon(name: string): ReactNode {
  return ENTITY_ICONS[name] ?? <ProfileOutlined />;
}

function useMenuItems(): MenuProps['items'] {
  const { t, label } = useI18n();
  const { isAdmin, can } = useAuth();
  const schema = useSchema();
  const mayIntake = can('intake.manage');
  const mayClean = can('leads.clean');
  const mayPools = can('pools.manage');
  const mayAssignRules = can('assignment.manage');
  const mayAccess = can('access.manage');
  const mayRules = can('rules.manage');
  const mayNotify = can('notify.manage');
  const mayDocuments = can('documents.manage') || mayNotify;
  const mayTeam = can('team.stream') || mayRules;
  const may = useCan();
  return useMemo(() => {
    const records = menuEntities(schema.data?.entities ?? []).filter((e) => may(e.name, 'read')).map((e) => ({
      key: `/${e.name}`,
      icon: entityIcon(e.name),
      label: <span data-testid={`nav-${e.name}`}>{label(e, e.name)}</span>,
    }));
    // Lead-pipeline screens by permission (admin only for now, through "*").
    const adminItems = [
      ...(mayRules ? [{ key: '/rules', icon: <BranchesOutlined />, label: <span data-testid="nav-rules">{t('auto.rules')}</span> }] : []),
      ...(mayNotify
        ? [
            { key: '/admin/notification-channels', icon: <BellOutlined />, label: <span data-testid="nav-admin-channels">{t('channels.title')}</span> },
            { key: '/admin/deliveries', icon: <SendOutlined />, label: <span data-testid="nav-admin-deliveries">{t('deliveries.title')}</span> },
          ]
        : []),
      ...(mayDocuments ? [{ key: '/admin/documents', icon: <FolderOpenOutlined />, label: <span data-testid="nav-admin-documents">{t('documents.title')}</span> }] : []),
      ...(mayIntake ? [{ key: '/admin/intake', icon: <ApiOutlined />, label: <span data-testid="nav-admin-intake">{t('admin.intake')}</span> }] : []),
      ...(mayAssignRules ? [{ key: '/admin/assignment', icon: <ShareAltOutlined />, label: <span data-testid="nav-admin-assignment">{t('admin.assignment')}</span> }] : []),
      ...(mayPools ? [{ key: '/admin/pools', icon: <ControlOutlined />, label: <span data-testid="nav-admin-pools">{t('admin.pools')}</span> }] : []),
      ...(mayClean ? [{ key: '/admin/cleaning', icon: <ClearOutlined />, label: <span data-testid="nav-admin-cleaning">{t('admin.cleaning')}</span> }] : []),
      ...(isAdmin
        ? [
            { key: '/admin/lead-settings', icon: <SettingOutlined />, label: <span data-testid="nav-admin-lead-settings">{t('admin.leadSettings')}</span> },
            { key: '/admin/fields', icon: <AppstoreOutlined />, label: <span data-testid="nav-admin-fields">{t('admin.fields')}</span> },
            { key: '/admin/users', icon: <TeamOutlined />, label: t('admin.users') },
            { key: '/admin/departments', icon: <ApartmentOutlined />, label: t('admin.departments') },
          ]
        : []),
      ...(mayAccess
        ? [
            { key: '/admin/roles', icon: <SafetyOutlined />, label: <span data-testid="nav-admin-roles">{t('access.roles')}</span> },
            { key: '/admin/access-rules', icon: <KeyOutlined />, label: <span data-testid="nav-admin-access-rules">{t('access.rules')}</span> },
            { key: '/admin/sensitive-fields', icon: <EyeInvisibleOutlined />, label: <span data-testid="nav-admin-sensitive">{t('access.sensitive')}</span> },
            { key: '/admin/explain', icon: <AuditOutlined />, label: <span data-testid="nav-admin-explain">{t('access.explain')}</span> },
          ]
        : []),
    ];
    const admin = adminItems.length ? [{ type: 'group' as const, key: 'admin', label: t('shell.admin'), children: adminItems }] : [];
    const quick = { key: '/leads/quick', icon: <ThunderboltOutlined />, label: <span data-testid="nav-quick-entry">{t('shell.quickEntry')}</span> };
    const pool = { key: '/pool', icon: <InboxOutlined />, label: <span data-testid="nav-pool">{t('pool.title')}</span> };
    const importer = { key: '/import', icon: <ImportOutlined />, label: <span data-testid="nav-import">{t('import.menu')}</span> };
    const sharing = { key: '/access', icon: <SolutionOutlined />, label: <span data-testid="nav-access">{t('access.menu')}</span> };
    const alerts = { key: '/alerts', icon: <AlertOutlined />, label: <span data-testid="nav-alerts">{t('alerts.menu')}</span> };
    const today = { key: '/today', icon: <FieldTimeOutlined />, label: <span data-testid="nav-today">{t('today.menu')}</span> };
    const dashboard = { key: '/dashboard', icon: <DashboardOutlined />, label: <span data-testid="nav-dashboard">{t('dash.menu')}</span> };
    const workbench = { key: '/workbench', icon: <FundViewOutlined />, label: <span data-testid="nav-workbench">{t('wb.menu')}</span> };
    const mayLeads = may('leads', 'read');
    const [first, ...rest] = records;
    const head = mayLeads ? [quick, ...(first ? [first, pool] : [pool])] : first ? [first] : [];
    const overview = [today, ...(mayTeam ? [workbench] : []), ...(mayLeads ? [dashboard] : [])];
    return [
      { type: 'group' as const, key: 'overview', label: t('shell.overview'), children: overview },
      { type: 'group' as const, key: 'records', label: t('shell.records'), children: [...head, ...rest, importer, alerts, sharing] },
      ...admin,
    ];
  }, [schema.data, isAdmin, mayIntake, mayClean, mayPools, mayAssignRules, mayAccess, mayRules, mayNotify, mayDocuments, mayTeam, may, t, label]);
}

/** The menu key that matches the current path ("/leads/123" → "/leads"). */
function selectedKey(pathname: string): string {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'leads' && parts[1] === 'quick') return '/leads/quick';
  if (parts[0] === 'admin') return `/admin/${parts[1] ?? ''}`;
  if (['pool', 'import', 'access', 'alerts', 'rules', 'today', 'dashboard', 'workbench'].includes(parts[0])) return `/${parts[0]}`;
  return `/${parts[0] ?? 'leads'}`;
}

function LiveDot({ status }: { status: LiveStatus }) {
  const { t } = useI18n();
  return (
    <Tooltip title={status === 'open' ? t('shell.liveOn') : t('shell.liveOff')}>
      <Badge status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'default'} data-testid={`live-${status}`} aria-label={t('shell.live')} />
    </Tooltip>
  );
}

function HeaderTools({ live, compact }: { live: LiveStatus; compact: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { me, signOut } = useAuth();
  const [availability, setAvailability] = useAvailability();
  const items: MenuProps['items'] = [
    { key: 'who', disabled: true, label: <div style={{ lineHeight: 1.4 }}><div data-testid="who-name" style={{ color: 'rgba(0,0,0,.88)', fontWeight: 500 }}>{me?.user.name}</div><div>{me?.user.email}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{me ? roleLabel(me.user.role, lang) : ''} · {me?.tenant.name}</Typography.Text></div> },
    { type: 'divider' },
    {
      key: 'availability',
      icon: <Badge status={availability === 'away' ? 'default' : 'success'} />,
      label: (
        <span data-testid="availability-toggle" data-availability={availability}>
          {availability === 'away' ? t('availability.away') : t('availability.available')} · {availability === 'away' ? t('availability.setAvailable') : t('availability.setAway')}
        </span>
      ),
      onClick: () => void setAvailability(availability === 'away' ? 'available' : 'away'),
    },
    { key: 'lang', icon: <TranslationOutlined />, label: t('lang.switch'), onClick: () => setLang(lang === 'zh' ? 'en' : 'zh') },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="sign-out">{t('auth.signOut')}</span>, onClick: () => void signOut() },
  ];
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: compact ? 8 : 16 }}>
      <NotificationBell />
      <LiveDot status={live} />
      {!compact && (
        <Button type="text" size="small" icon={<TranslationOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
          {t('lang.switch')}
        </Button>
      )}
      <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
        <Button type="text" style={{ paddingInline: 4 }} data-testid="user-menu">
          <Avatar size="small" style={{ background: '#1d4ed8' }}>
            {me?.user.name.slice(0, 1)}
          </Avatar>
          {!compact && (
            <>
              <span style={{ marginInlineStart: 6 }}>{me?.user.name}</span>
              <DownOutlined style={{ fontSize: 10 }} />
            </>
          )}
        </Button>
      </Dropdown>
    </div>
  );
}

export function AppShell() {
  const { t, label } = useI18n();
  const { me, isAdmin, can } = useAuth();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const location = useLocation();
  const navigate = useNavigate();
  const items = useMenuItems();
  const schema = useSchema();
  const [collapsed, setCollapsed] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const { notification } = App.useApp();
  const may = useCan();
  const { loading: roleLoading } = useMyRole();
  // Access events about me: my rights changed (refresh everything I see) or a request waits for
  // my decision (refresh the requests and say so).
  const onEvent = (e: RecordEvent) => {
    // 今日黄金3分钟 is made of tasks, follow-ups and alerts: keep an open card current.
    if (e.entity === 'tasks' || e.entity === 'activities' || e.type.startsWith('alert.')) void qc.invalidateQueries({ queryKey: keys.today });
    // An in-app notification for me (a rule's notify, a 公海 reclaim warning): the bell's list and badge.
    if (e.type === 'notification.created') void qc.invalidateQueries({ queryKey: keys.notifications });
    // An alert for me (S5): an orange pop-up at once, acknowledged in one click.
    if (e.type === 'alert.raised' && e.id === me?.user.id && e.alert_id) {
      const alertId = e.alert_id;
      const key = `alert-${alertId}`;
      void qc.invalidateQueries({ queryKey: ['alerts'] });
      notification.warning({
        key,
        message: t('alerts.live'),
        description: (
          <div data-testid="alert-popup" data-alert-id={alertId}>
            <div style={{ marginBottom: 8 }}>{e.title}</div>
            <Button
              type="primary"
              size="small"
              style={{ background: '#fa8c16', borderColor: '#fa8c16' }}
              data-testid="alert-ack"
              onClick={() => {
                void endpoints.ackAlert(alertId).then(() => {
                  notification.destroy(key);
                  void qc.invalidateQueries({ queryKey: ['alerts'] });
                });
              }}
            >
              {t('alerts.ack')}
            </Button>
            {e.record_id && (
              // The event names the record and its entity (older servers: "users", the recipient's;
              // then the alert itself says). The pop-up renders outside the router (antd App's
              // holder): navigate, no <Link>.
              <Button
                type="link"
                size="small"
                data-testid="alert-open"
                onClick={() => {
                  const recordId = e.record_id as string;
                  if (e.entity && e.entity !== 'users') return navigate(`/${e.entity}/${recordId}`);
                  void endpoints
                    .alerts('open')
                    .then((r) => r.items.find((a) => a.id === alertId))
                    .catch(() => undefined)
                    .then((a) => navigate(a?.entity && a.record_id ? `/${a.entity}/${a.record_id}` : '/alerts'));
                }}
              >
                {t('alerts.openRecord')}
              </Button>
            )}
          </div>
        ),
        duration: 0,
        placement: 'topRight',
        className: 'lf-alert-popup',
        style: { borderLeft: '4px solid #fa8c16' },
      });
      return;
    }
    const notice = accessNotice(e, me?.user.id);
    if (notice === 'changed') {
      notification.info({ key: 'access-changed', message: t('notice.accessChanged'), description: e.reason || t('notice.accessChangedBody'), placement: 'bottomRight', className: 'lf-access-notice' });
      void qc.invalidateQueries();
    } else if (notice === 'approval') {
      notification.warning({
        key: 'access-approval',
        message: t('notice.approvalNeeded'),
        // The notification renders outside the router (antd App's holder): navigate, no <Link>.
        description: (
          <Button
            type="link"
            style={{ padding: 0 }}
            onClick={() => {
              notification.destroy('access-approval');
              navigate('/access?tab=decide');
            }}
            data-testid="notice-open"
          >
            {t('notice.open')}
          </Button>
        ),
        placement: 'bottomRight',
        className: 'lf-access-notice',
      });
      void qc.invalidateQueries({ queryKey: keys.accessRequests });
    }
  };
  // When the browser gives up on the stream, re-check the session: an expired one signs out.
  const live = useLiveEvents(!!me, { onEvent, onClosed: () => void qc.invalidateQueries({ queryKey: keys.me }) });
  const selected = selectedKey(location.pathname);
  // The side menu scrolls on its own: keep the current entry in view (a deep link to an admin page).
  useEffect(() => {
    if (!mobile) document.querySelector('.lf-sider .ant-menu-item-selected')?.scrollIntoView?.({ block: 'nearest' });
  }, [selected, mobile]);
  const go: MenuProps['onClick'] = ({ key }) => {
    setDrawer(false);
    navigate(key);
  };

  // useCan allows nothing but "*" while the roles load: a screen guarded by a record right waits
  // for them rather than flash a 403 (the others do not wait).
  const right = pageRight(location.pathname);
  const content = roleLoading && typeof right === 'object' && 'entity' in right ? (
    <PageFallback />
  ) : mayOpen(location.pathname, isAdmin, can, may) ? (
    <Suspense fallback={<PageFallback />}>
      <Outlet />
    </Suspense>
  ) : (
    <div data-testid="page-forbidden">
      <Result status="403" title={t('access.pageForbidden')} extra={<HomeButton />} />
    </div>
  );

  const ent = (name: string) => schema.data?.entities.find((e) => e.name === name);
  const tab = (name: string, icon: ReactNode) => (
    <NavLink to={`/${name}`} className={({ isActive }) => (isActive ? 'active' : '')} data-testid={`tab-${name}`}>
      {icon}
      <span>{label(ent(name), name)}</span>
    </NavLink>
  );
  // One tree for both sizes: the page (`content`) keeps the same ancestors whether the chrome is
  // the phone's or the desktop's, so crossing the 768 px breakpoint (a rotated tablet, a resized
  // window, a full-page screenshot) never remounts the page and loses what the user typed.
  return (
    <Layout style={{ minHeight: '100vh' }} data-testid={mobile ? 'shell-mobile' : 'shell-desktop'}>
      {!mobile && (
        <Layout.Sider theme="light" collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={208} className="lf-sider" style={{ borderRight: '1px solid #e5e7eb' }}>
          <Link to="/leads" style={{ display: 'flex', alignItems: 'center', gap: 8, height: 56, paddingInline: collapsed ? 24 : 20, fontWeight: 600, fontSize: 16, color: '#1d4ed8', whiteSpace: 'nowrap', overflow: 'hidden' }}>
            {collapsed ? 'LF' : t('app.name')}
          </Link>
          <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={go} style={{ borderInlineEnd: 0 }} />
        </Layout.Sider>
      )}
      <Layout>
        {mobile ? (
          <Layout.Header style={{ position: 'sticky', top: 0, zIndex: 10, display: 'flex', alignItems: 'center', gap: 8, paddingInline: 12, background: '#fff', borderBottom: '1px solid #e5e7eb', height: 52, lineHeight: '52px' }}>
            <Link to="/leads" style={{ fontWeight: 600, fontSize: 16, color: '#1d4ed8', flex: 1 }}>
              {t('app.name')}
            </Link>
            <HeaderTools live={live} compact />
          </Layout.Header>
        ) : (
          <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', paddingInline: 20, background: '#fff', borderBottom: '1px solid #e5e7eb', height: 56 }}>
            <HeaderTools live={live} compact={false} />
          </Layout.Header>
        )}
        <Layout.Content style={mobile ? { padding: 12, paddingBottom: 80 } : { padding: 20 }}>{content}</Layout.Content>
      </Layout>
      {mobile && (
        <nav className="lf-tabbar" aria-label={t('shell.menu')}>
          <NavLink to="/today" className={({ isActive }) => (isActive ? 'active' : '')} data-testid="tab-today">
            <FieldTimeOutlined />
            <span>{t('today.tab')}</span>
          </NavLink>
          {may('leads', 'read') && tab('leads', entityIcon('leads'))}
          {tab('customers', entityIcon('customers'))}
          {may('leads', 'create') && (
            <Link to="/leads/quick" className="lf-tab-new" aria-label={t('shell.quickEntry')} data-testid="tab-new-lead">
              <PlusOutlined />
            </Link>
          )}
          {tab('tasks', <CalendarOutlined />)}
          <button type="button" onClick={() => setDrawer(true)} data-testid="tab-more">
            <MenuOutlined />
            <span>{t('common.more')}</span>
          </button>
        </nav>
      )}
      {mobile && (
        <Drawer placement="left" width={260} open={drawer} onClose={() => setDrawer(false)} title={t('app.name')} styles={{ body: { padding: 0 } }}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={go} />
        </Drawer>
      )}
    </Layout>
  );
}
