// The route table. Every screen is its own chunk (React.lazy), so the first load carries only
// the shell; entity screens are generic and take the entity name from the URL.
import { Result } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, useParams, type RouteObject } from 'react-router-dom';
import { useCan, useMyRole } from '../access/useCan';
import { RequireAuth } from '../auth/RequireAuth';
import { useI18n } from '../i18n/I18nProvider';
import { AppShell } from './AppShell';
import { HomeButton } from './HomeButton';
import { PageFallback } from './PageFallback';
import { useIsMobile } from './useIsMobile';

const LoginPage = lazy(() => import('../auth/LoginPage'));
const RecordListPage = lazy(() => import('../records/RecordListPage'));
const RecordDetailPage = lazy(() => import('../records/RecordDetailPage'));
const RecordCreatePage = lazy(() => import('../records/RecordCreatePage'));
const CustomFieldsPage = lazy(() => import('../admin/CustomFieldsPage'));
const UsersPage = lazy(() => import('../admin/UsersPage'));
const DepartmentsPage = lazy(() => import('../admin/DepartmentsPage'));
const IntakeSourcesPage = lazy(() => import('../admin/IntakeSourcesPage'));
const LeadCleaningPage = lazy(() => import('../admin/LeadCleaningPage'));
const LeadSettingsPage = lazy(() => import('../admin/LeadSettingsPage'));
const QuickEntryPage = lazy(() => import('../leads/QuickEntryPage'));
const IntakeFormPage = lazy(() => import('../intake/IntakeFormPage'));
const PoolPage = lazy(() => import('../pools/PoolPage'));
const PoolRulesPage = lazy(() => import('../admin/PoolRulesPage'));
const AssignmentRulesPage = lazy(() => import('../admin/AssignmentRulesPage'));
const ImportPage = lazy(() => import('../imports/ImportPage'));
const RolesPage = lazy(() => import('../admin/RolesPage'));
const AccessRulesPage = lazy(() => import('../admin/AccessRulesPage'));
const SensitiveFieldsPage = lazy(() => import('../admin/SensitiveFieldsPage'));
const ExplainPage = lazy(() => import('../admin/ExplainPage'));
const MyAccessPage = lazy(() => import('../access/MyAccessPage'));
const AlertsPage = lazy(() => import('../alerts/AlertsPage'));
const RulesPage = lazy(() => import('../automation/RulesPage'));
const RuleEditorPage = lazy(() => import('../automation/RuleEditorPage'));
const TemplatesPage = lazy(() => import('../automation/TemplatesPage'));
const TodayPage = lazy(() => import('../today/TodayPage'));
const DashboardPage = lazy(() => import('../analytics/DashboardPage'));
const WorkbenchPage = lazy(() => import('../workbench/WorkbenchPage'));
const NotificationChannelsPage = lazy(() => import('../admin/NotificationChannelsPage'));
const DeliveriesPage = lazy(() => import('../admin/DeliveriesPage'));
const DocumentsPage = lazy(() => import('../admin/DocumentsPage'));

function ListRoute() {
  const { entity = '' } = useParams();
  return <RecordListPage entityName={entity} />;
}
function DetailRoute() {
  const { entity = '', id = '' } = useParams();
  return <RecordDetailPage key={`${entity}/${id}`} entityName={entity} />;
}
function CreateRoute() {
  const { entity = '' } = useParams();
  return <RecordCreatePage key={entity} entityName={entity} />;
}
/**
 * After sign-in: 今日黄金3分钟 on a phone, the lead list on a desktop — or 今日黄金3分钟 there too for a
 * role that may not read leads (customer success), rather than a "no right" page.
 */
function Home() {
  const mobile = useIsMobile();
  const may = useCan();
  const { loading } = useMyRole();
  if (loading) return <PageFallback />;
  return <Navigate to={mobile || !may('leads', 'read') ? '/today' : '/leads'} replace />;
}
function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title={t('error.notFound')} extra={<HomeButton />} />;
}

export const routes: RouteObject[] = [
  {
    path: '/login',
    element: (
      <Suspense fallback={<PageFallback />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    // Public: the trade-show QR code's mobile form; the intake key in the URL authenticates.
    path: '/intake/:sourceId',
    element: (
      <Suspense fallback={<PageFallback />}>
        <IntakeFormPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'admin', element: <Navigate to="/admin/fields" replace /> },
      { path: 'admin/fields', element: <CustomFieldsPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/departments', element: <DepartmentsPage /> },
      { path: 'admin/intake', element: <IntakeSourcesPage /> },
      { path: 'admin/cleaning', element: <LeadCleaningPage /> },
      { path: 'admin/lead-settings', element: <LeadSettingsPage /> },
      { path: 'admin/pools', element: <PoolRulesPage /> },
      { path: 'admin/assignment', element: <AssignmentRulesPage /> },
      { path: 'admin/roles', element: <RolesPage /> },
      { path: 'admin/access-rules', element: <AccessRulesPage /> },
      { path: 'admin/sensitive-fields', element: <SensitiveFieldsPage /> },
      { path: 'admin/explain', element: <ExplainPage /> },
      { path: 'access', element: <MyAccessPage /> },
      { path: 'alerts', element: <AlertsPage /> },
      { path: 'rules', element: <RulesPage /> },
      { path: 'rules/templates', element: <TemplatesPage /> },
      // One route for new and existing rules: saving a new draft (for a dry run) moves to its id
      // without remounting the editor.
      { path: 'rules/:id', element: <RuleEditorPage /> },
      { path: 'today', element: <TodayPage /> },
      { path: 'dashboard', element: <DashboardPage /> },
      { path: 'workbench', element: <WorkbenchPage /> },
      { path: 'admin/notification-channels', element: <NotificationChannelsPage /> },
      { path: 'admin/deliveries', element: <DeliveriesPage /> },
      { path: 'admin/documents', element: <DocumentsPage /> },
      { path: 'leads/quick', element: <QuickEntryPage /> },
      { path: 'pool', element: <PoolPage /> },
      { path: 'import', element: <ImportPage /> },
      { path: ':entity', element: <ListRoute /> },
      { path: ':entity/new', element: <CreateRoute /> },
      { path: ':entity/:id', element: <DetailRoute /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];
