// One function per server endpoint used by the UI. Paths and shapes follow the API contract;
// nothing here caches — see queries.ts for the TanStack Query hooks and keys.
import { api, apiDownload, apiResponse } from './client';
import type {
  Attachment,
  SavedView,
  ChannelInput,
  Delivery,
  DocumentItem,
  DryRun,
  NotificationChannel,
  OutboundSettings,
  Rule,
  RuleFiring,
  RuleInput,
  RuleTemplate,
  RuleTemplateInstall,
  Summary,
  Today,
  Alert,
  AlertState,
  AccessExplanation,
  AccessRequest,
  AccessRule,
  AccessRuleInput,
  Grant,
  NewAccessRequest,
  NewGrant,
  Role,
  RolePatch,
  SensitiveField,
  UserPatch,
  AssignmentRule,
  AssignmentRuleInput,
  Availability,
  ImportDryRun,
  ImportJob,
  ImportMapping,
  ImportUpload,
  Pool,
  PoolInput,
  ReclaimPreview,
  CleaningPreview,
  CleaningRequest,
  CleaningRun,
  Department,
  DuplicateCheck,
  IntakeResult,
  IntakeSource,
  IntakeSourcePatch,
  InboxNotification,
  LeadSettings,
  NewIntakeSource,
  QuickEntry,
  QuickEntryResult,
  FieldDef,
  HistoryItem,
  LoginResponse,
  Me,
  NewField,
  NewOption,
  NewUser,
  Page,
  RecordData,
  Schema,
  User,
} from './types';

const V1 = '/api/v1';
const seg = encodeURIComponent;

export type ListQuery = Record<string, string | undefined>;

export const endpoints = {
  login: (email: string, password: string) =>
    api<LoginResponse>(`${V1}/auth/login`, { method: 'POST', body: { email, password }, skipAuthRedirect: true }),
  logout: () => api<void>(`${V1}/auth/logout`, { method: 'POST', skipAuthRedirect: true }),
  /** 401 when not signed in; the caller decides what that means. */
  me: () => api<Me>(`${V1}/me`, { skipAuthRedirect: true }),

  schema: () => api<Schema>(`${V1}/schema`),
  addField: (entity: string, field: NewField) =>
    api<FieldDef>(`${V1}/schema/${seg(entity)}/fields`, { method: 'POST', body: field }),
  /** Adds an option to an enum field (a new 来源渠道 or 首触动作); returns the field with its options. */
  addOption: (entity: string, field: string, option: NewOption) =>
    api<FieldDef>(`${V1}/schema/${seg(entity)}/fields/${seg(field)}/options`, { method: 'POST', body: option }),

  users: () => api<{ items: User[] }>(`${V1}/users`),
  departments: () => api<{ items: Department[] }>(`${V1}/departments`),
  /** Role, department, manager, status (disable) with a reason the user is told (P4). */
  updateUser: (id: string, body: UserPatch) => api<User>(`${V1}/users/${seg(id)}`, { method: 'PATCH', body }),
  /** A new user with an initial password (admin). */
  createUser: (body: NewUser) => api<User>(`${V1}/users`, { method: 'POST', body }),
  createDepartment: (body: { name: string; parent_id?: string }) => api<Department>(`${V1}/departments`, { method: 'POST', body }),
  updateDepartment: (id: string, body: { name?: string; head_user_id?: string | null }) =>
    api<Department>(`${V1}/departments/${seg(id)}`, { method: 'PATCH', body }),

  // ---- access control (issue 5) ----
  /** Every role with its permissions and entity rights (readable by every user). */
  roles: () => api<{ items: Role[] }>(`${V1}/roles`),
  createRole: (body: Partial<Role> & { name: string; label_zh: string }) => api<Role>(`${V1}/roles`, { method: 'POST', body }),
  updateRole: (name: string, body: RolePatch) => api<Role>(`${V1}/roles/${seg(name)}`, { method: 'PATCH', body }),
  accessRules: () => api<{ items: AccessRule[] }>(`${V1}/access-rules`),
  createAccessRule: (body: AccessRuleInput) => api<AccessRule>(`${V1}/access-rules`, { method: 'POST', body }),
  updateAccessRule: (id: string, body: Partial<AccessRuleInput>) =>
    api<AccessRule>(`${V1}/access-rules/${seg(id)}`, { method: 'PATCH', body }),
  sensitiveFields: () => api<{ items: SensitiveField[] }>(`${V1}/sensitive-fields`),
  setSensitive: (entity: string, field: string, sensitive: boolean) =>
    api<SensitiveField & { sensitive: boolean }>(`${V1}/sensitive-fields/${seg(entity)}/${seg(field)}`, { method: 'PUT', body: { sensitive } }),
  /** Grants I gave or received (all of them for access managers). */
  grants: () => api<{ items: Grant[] }>(`${V1}/grants`),
  alerts: (state?: AlertState) => api<{ items: Alert[] }>(`${V1}/alerts`, { query: state ? { state } : undefined }),
  ackAlert: (id: string) => api<Alert>(`${V1}/alerts/${seg(id)}/ack`, { method: 'POST' }),
  resolveAlert: (id: string) => api<Alert>(`${V1}/alerts/${seg(id)}/resolve`, { method: 'POST' }),
  createGrant: (body: NewGrant) => api<Grant>(`${V1}/grants`, { method: 'POST', body }),
  revokeGrant: (id: string) => api<Grant>(`${V1}/grants/${seg(id)}/revoke`, { method: 'POST' }),
  /** My requests and those waiting for my decision. */
  accessRequests: () => api<{ items: AccessRequest[] }>(`${V1}/access-requests`),
  createAccessRequest: (body: NewAccessRequest) => api<AccessRequest>(`${V1}/access-requests`, { method: 'POST', body }),
  approveAccessRequest: (id: string, note?: string) =>
    api<AccessRequest>(`${V1}/access-requests/${seg(id)}/approve`, { method: 'POST', body: note ? { note } : {} }),
  rejectAccessRequest: (id: string, note: string) =>
    api<AccessRequest>(`${V1}/access-requests/${seg(id)}/reject`, { method: 'POST', body: { note } }),
  explain: (query: { user: string; entity: string; id: string; field?: string; action?: string }) =>
    api<AccessExplanation>(`${V1}/access/explain`, { query }),

  /** GET /{entity}: filters, q, sort, limit, cursor, with_total are passed through as given. */
  list: (entity: string, query: ListQuery, signal?: AbortSignal) =>
    api<Page<RecordData>>(`${V1}/${seg(entity)}`, { query, signal }),
  get: (entity: string, id: string) => api<RecordData>(`${V1}/${seg(entity)}/${seg(id)}`),
  create: (entity: string, body: Record<string, unknown>, idempotencyKey?: string) =>
    api<RecordData>(`${V1}/${seg(entity)}`, { method: 'POST', body, idempotencyKey }),
  /** Partial update; 412 precondition.version_mismatch when `version` is no longer current. */
  update: (entity: string, id: string, version: number, body: Record<string, unknown>) =>
    api<RecordData>(`${V1}/${seg(entity)}/${seg(id)}`, { method: 'PATCH', body, ifMatch: version }),
  archive: (entity: string, id: string, reason: string) =>
    api<RecordData>(`${V1}/${seg(entity)}/${seg(id)}/archive`, { method: 'POST', body: { reason } }),
  unarchive: (entity: string, id: string) =>
    api<RecordData>(`${V1}/${seg(entity)}/${seg(id)}/unarchive`, { method: 'POST' }),
  history: (entity: string, id: string) =>
    api<{ items: HistoryItem[] }>(`${V1}/${seg(entity)}/${seg(id)}/history`),

  /**
   * POST /{entity} telling a new record from a deduplicated one: a lead whose phone/WeChat is
   * already known within the dedup window comes back as 200 + `Deduplicated: true` (the existing
   * lead, touch recorded) instead of 201.
   */
  createChecked: async (entity: string, body: Record<string, unknown>, idempotencyKey?: string) => {
    const res = await apiResponse<RecordData>(`${V1}/${seg(entity)}`, { method: 'POST', body, idempotencyKey });
    return { record: res.data, deduplicated: res.headers.get('Deduplicated')?.toLowerCase() === 'true' };
  },

  quickLead: (body: QuickEntry, idempotencyKey?: string) =>
    api<QuickEntryResult>(`${V1}/leads/quick`, { method: 'POST', body, idempotencyKey }),
  /** Who owns a lead/customer/contact with this phone, WeChat ID or company (never the record). */
  duplicateCheck: (query: { phone?: string; wechat?: string; company?: string }, signal?: AbortSignal) =>
    api<DuplicateCheck>(`${V1}/duplicates/check`, { query, signal }),

  intakeSources: () => api<{ items: IntakeSource[] }>(`${V1}/intake-sources`),
  createIntakeSource: (body: NewIntakeSource) => api<IntakeSource>(`${V1}/intake-sources`, { method: 'POST', body }),
  updateIntakeSource: (id: string, body: IntakeSourcePatch) => api<IntakeSource>(`${V1}/intake-sources/${seg(id)}`, { method: 'PATCH', body }),
  rotateIntakeKey: (id: string) => api<IntakeSource>(`${V1}/intake-sources/${seg(id)}/rotate-key`, { method: 'POST' }),
  /** The public intake (no session): the key authenticates; 401 means a wrong key, not sign-in. */
  intakeForm: (source: string, key: string) =>
    api<{ name: string; channel: string; channel_label_zh: string; channel_label_en: string }>(
      `${V1}/intake/${seg(source)}`, { query: { key }, skipAuthRedirect: true }),
  submitIntake: (source: string, key: string, body: Record<string, string>) =>
    api<IntakeResult>(`${V1}/intake/${seg(source)}`, { method: 'POST', body, query: { key }, skipAuthRedirect: true }),

  cleaningPreview: (body: CleaningRequest) => api<CleaningPreview>(`${V1}/lead-cleaning/preview`, { method: 'POST', body }),
  cleaningRun: (body: CleaningRequest) => api<CleaningRun>(`${V1}/lead-cleaning/runs`, { method: 'POST', body }),
  cleaningRuns: () => api<{ items: CleaningRun[] }>(`${V1}/lead-cleaning/runs`),
  undoCleaning: (id: string) => api<CleaningRun>(`${V1}/lead-cleaning/runs/${seg(id)}/undo`, { method: 'POST' }),

  leadSettings: () => api<LeadSettings>(`${V1}/settings/leads`),
  updateLeadSettings: (body: LeadSettings) => api<LeadSettings>(`${V1}/settings/leads`, { method: 'PATCH', body }),

  assignmentRules: () => api<{ items: AssignmentRule[] }>(`${V1}/assignment-rules`),
  createAssignmentRule: (body: AssignmentRuleInput) => api<AssignmentRule>(`${V1}/assignment-rules`, { method: 'POST', body }),
  updateAssignmentRule: (id: string, body: AssignmentRuleInput) =>
    api<AssignmentRule>(`${V1}/assignment-rules/${seg(id)}`, { method: 'PATCH', body }),
  /** Manual (re)assignment: a lead.assigned event with the note; starts the silent period. */
  assignLead: (id: string, owner_id: string, note?: string) =>
    api<RecordData>(`${V1}/leads/${seg(id)}/assign`, { method: 'POST', body: note ? { owner_id, note } : { owner_id } }),
  setAvailability: (availability: Availability) =>
    api<{ availability: Availability }>(`${V1}/me/availability`, { method: 'PUT', body: { availability } }),

  pools: () => api<{ items: Pool[] }>(`${V1}/pools`),
  createPool: (body: PoolInput) => api<Pool>(`${V1}/pools`, { method: 'POST', body }),
  updatePool: (id: string, body: PoolInput) => api<Pool>(`${V1}/pools/${seg(id)}`, { method: 'PATCH', body }),
  /** 409 pool.cooldown / pool.quota_reached / pool.hold_cap / pool.department_cap / pool.not_in_pool. */
  claimLead: (poolId: string, leadId: string) =>
    api<RecordData>(`${V1}/pools/${seg(poolId)}/claim`, { method: 'POST', body: { lead_id: leadId } }),
  releaseLead: (poolId: string, leadId: string, reason?: string) =>
    api<RecordData>(`${V1}/pools/${seg(poolId)}/release`, { method: 'POST', body: reason ? { lead_id: leadId, reason } : { lead_id: leadId } }),
  transferLead: (poolId: string, leadId: string, toPoolId: string) =>
    api<RecordData>(`${V1}/pools/${seg(poolId)}/transfer`, { method: 'POST', body: { lead_id: leadId, to_pool_id: toPoolId } }),
  reclaimPreview: (poolId: string) => api<ReclaimPreview>(`${V1}/pools/${seg(poolId)}/reclaim-preview`),
  reclaim: (poolId: string) => api<{ reclaimed: number }>(`${V1}/pools/${seg(poolId)}/reclaim`, { method: 'POST' }),

  /** The file is the body (CSV in UTF-8/GBK, or XLSX); the encoding is detected unless given. */
  uploadImport: (entity: string, file: Blob, filename: string, encoding: 'auto' | 'utf-8' | 'gbk' = 'auto') =>
    api<ImportUpload>(`${V1}/imports`, {
      method: 'POST',
      query: { entity, filename, encoding },
      rawBody: file,
      contentType: /\.xlsx$/i.test(filename) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
    }),
  importDryRun: (id: string, body: ImportMapping) => api<ImportDryRun>(`${V1}/imports/${seg(id)}/dry-run`, { method: 'POST', body }),
  startImport: (id: string, body: ImportMapping) => api<ImportJob>(`${V1}/imports/${seg(id)}/start`, { method: 'POST', body }),
  importJob: (id: string) => api<ImportJob>(`${V1}/imports/${seg(id)}`),
  /** The per-row errors as a CSV file. */
  importErrors: (id: string) => apiDownload(`${V1}/imports/${seg(id)}/errors`, undefined, 'import-errors.csv'),
  /** The whole filtered list as a file; `filters` are the list's own query keys. */
  exportList: (entity: string, format: 'csv' | 'xlsx', filters: ListQuery) =>
    apiDownload(`${V1}/exports`, { ...filters, entity, format }, `${entity}.${format}`),

  // ---- automation (issue 4): rules, dry runs, templates, firings, today ----
  rules: () => api<{ items: Rule[] }>(`${V1}/rules`),
  rule: (id: string) => api<Rule>(`${V1}/rules/${seg(id)}`),
  createRule: (body: RuleInput) => api<Rule>(`${V1}/rules`, { method: 'POST', body }),
  /** Partial; the whole rule is checked again (422 with `field` and, for expressions, line/column). */
  updateRule: (id: string, body: Partial<RuleInput>) => api<Rule>(`${V1}/rules/${seg(id)}`, { method: 'PATCH', body }),
  /** Which records the rule (with `changes` applied, unsaved) matches now; writes nothing. */
  dryRunRule: (id: string, changes: Partial<RuleInput> = {}) =>
    api<DryRun>(`${V1}/rules/${seg(id)}/dry-run`, { method: 'POST', body: changes }),
  /** A record's firings (newest 500), or one rule's, a page at a time (`next_cursor` → `cursor`). */
  ruleFirings: (query: { entity?: string; record_id?: string; rule_id?: string; cursor?: string; limit?: string }) =>
    api<{ items: RuleFiring[]; next_cursor?: string | null }>(`${V1}/rule-firings`, { query }),
  ruleTemplates: () => api<{ items: RuleTemplate[] }>(`${V1}/rule-templates`),
  installTemplate: (id: string) => api<RuleTemplateInstall>(`${V1}/rule-templates/${seg(id)}/install`, { method: 'POST', body: {} }),
  today: () => api<Today>(`${V1}/me/today`),
  /** My in-app notifications, newest first (limit 1–200, default 50). */
  notifications: (limit = 50) => api<{ items: InboxNotification[] }>(`${V1}/me/notifications`, { query: { limit: String(limit) } }),

  // ---- analytics ----
  /** GET /{entity}/summary: count (and average) under the list's filters, optionally grouped. */
  summary: (entity: string, query: ListQuery, signal?: AbortSignal) =>
    api<Summary>(`${V1}/${seg(entity)}/summary`, { query, signal }),

  // ---- notification channels, outbound allow-list, deliveries, documents ----
  channels: () => api<{ items: NotificationChannel[] }>(`${V1}/notification-channels`),
  createChannel: (body: ChannelInput) => api<NotificationChannel>(`${V1}/notification-channels`, { method: 'POST', body }),
  updateChannel: (id: string, body: ChannelInput) =>
    api<NotificationChannel>(`${V1}/notification-channels/${seg(id)}`, { method: 'PATCH', body }),
  testChannel: (id: string) => api<Delivery>(`${V1}/notification-channels/${seg(id)}/test`, { method: 'POST', body: {} }),
  outbound: () => api<OutboundSettings>(`${V1}/settings/outbound`),
  updateOutbound: (body: OutboundSettings) => api<OutboundSettings>(`${V1}/settings/outbound`, { method: 'PUT', body }),
  deliveries: (query: { status?: string; channel_id?: string; rule_id?: string; record_id?: string; cursor?: string }) =>
    api<{ items: Delivery[]; next_cursor: string | null }>(`${V1}/deliveries`, { query }),
  retryDelivery: (id: string) => api<Delivery>(`${V1}/deliveries/${seg(id)}/retry`, { method: 'POST', body: {} }),
  documents: () => api<{ items: DocumentItem[] }>(`${V1}/documents`),
  /** The file is the body, with its own Content-Type (≤ 20 MiB). */
  uploadDocument: (file: Blob, name: string) =>
    api<DocumentItem>(`${V1}/documents`, { method: 'POST', query: { name }, rawBody: file, contentType: file.type || 'application/octet-stream' }),
  /** Removes a document from the library (archived, not deleted). */
  archiveDocument: (id: string) => api<unknown>(`${V1}/documents/${seg(id)}/archive`, { method: 'POST', body: {} }),
  documentUrl: (id: string) => `${V1}/documents/${seg(id)}/content`,

  // ---- attachments of a record (whoever may read the record) ----
  attachments: (entity: string, id: string) => api<{ items: Attachment[] }>(`${V1}/${seg(entity)}/${seg(id)}/attachments`),
  /** The file is the body, with its own Content-Type (≤ 20 MiB); 201 → the attachment. */
  uploadAttachment: (entity: string, id: string, file: Blob, name: string) =>
    api<Attachment>(`${V1}/${seg(entity)}/${seg(id)}/attachments`, {
      method: 'POST',
      query: { name },
      rawBody: file,
      contentType: file.type || 'application/octet-stream',
    }),

  // ---- saved list views ----
  /** Mine and the shared ones of `entity`. */
  views: (entity: string) => api<{ items: SavedView[] }>(`${V1}/views`, { query: { entity } }),
  /** `query` is the list's query string; 422 with field "query" when the server rejects it. */
  createView: (body: { entity: string; name: string; query: string; shared?: boolean }) =>
    api<SavedView>(`${V1}/views`, { method: 'POST', body }),
  /** Author only (403 otherwise). */
  updateView: (id: string, body: { name?: string; query?: string; shared?: boolean }) =>
    api<SavedView>(`${V1}/views/${seg(id)}`, { method: 'PATCH', body }),
  deleteView: (id: string) => api<unknown>(`${V1}/views/${seg(id)}`, { method: 'DELETE' }),
};
