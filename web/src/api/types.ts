// The server's JSON shapes (see the API contract in /api/openapi.json). Records are flat JSON
// whose keys are field names from the schema, so they are typed as a string-keyed map.

export type FieldType =
  | 'text'
  | 'number'
  | 'money' // integer fen (分) in the API
  | 'date' // "YYYY-MM-DD"
  | 'datetime' // RFC 3339 with offset
  | 'enum'
  | 'multi_enum'
  | 'phone'
  | 'email'
  | 'user' // a user id
  | 'reference' // an id of a record of `ref_entity`
  | 'bool'
  | 'tags'; // list of strings; the system field `tags`

export interface FieldOption {
  value: string;
  label_zh: string;
  label_en: string;
}

export interface FieldDef {
  name: string;
  label_zh: string;
  label_en: string;
  type: FieldType;
  required: boolean;
  readonly: boolean;
  builtin: boolean;
  /** Present on the server's own bookkeeping fields (id, created_at, version, …). */
  system?: boolean;
  /** Whether `sort=` accepts this field. */
  sortable?: boolean;
  options?: FieldOption[];
  ref_entity?: string;
  /**
   * The action that alone changes this field once the record exists ("assign": a lead's owner_id
   * changes only through POST /leads/{id}/assign). Set on create, read-only on edit: a PATCH that
   * changes it is refused with 422 validation.changed_by_action.
   */
  changed_by?: string;
}

export interface EntityDef {
  name: string;
  label_zh: string;
  label_en: string;
  fields: FieldDef[];
}

export interface Schema {
  version?: number;
  entities: EntityDef[];
}

export type FieldValue = string | number | boolean | string[] | null;

export interface RecordData {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  created_by?: string | null;
  archived_at?: string | null;
  tags?: string[];
  /** Sensitive fields sent masked ("138****5678") to this reader. */
  _masked?: string[];
  [field: string]: FieldValue | undefined;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  /** Only when the request asked for with_total=true. */
  total?: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  department_id: string | null;
  manager_id?: string | null;
  phone?: string | null;
  status?: string;
}

export interface Department {
  id: string;
  name: string;
  parent_id: string | null;
  path?: string;
  /** 负责人: approves the department's access requests addressed to "department_head". */
  head_user_id?: string | null;
}

export interface Me {
  user: User & { permissions?: string[] };
  tenant: { id: string; name: string; time_zone: string };
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface HistoryChange {
  field: string;
  old: FieldValue;
  new: FieldValue;
}

export interface HistoryItem {
  seq: number;
  at: string;
  type: string;
  actor: { id: string; name: string } | null;
  changes: HistoryChange[];
  /** On archive/unarchive events, e.g. "线索清洗 lead cleaning <run id>". */
  reason?: string | Record<string, unknown>;
  /** A change made by an automation rule: which one (the user it ran as is `actor`). */
  caused_by?: { rule_id: string; rule_name?: string } | null;
  /** `<singular>.document_sent`: the document sent from the library. */
  document?: { id: string; name?: string } | null;
  /**
   * What came in through an intake source (lead.created, lead.touched): the source and the payload
   * as posted (`raw` is null for a reader with masked fields).
   */
  intake?: { source_id: string; source_name?: string | null; raw?: unknown } | null;
  /** lead.touched: the touch's channel, first-touch action and how it came (intake, import, manual …). */
  channel?: string | null;
  first_touch?: string | null;
  via?: string | null;
}

export interface NewField {
  name: string;
  label_zh: string;
  label_en: string;
  type: Exclude<FieldType, 'tags'>;
  required: boolean;
  options?: FieldOption[];
  ref_entity?: string;
}

/** `event: record` on /api/v1/stream. */
export interface RecordEvent {
  type: string; // e.g. "record.created", "lead.updated"
  entity: string;
  id: string;
  seq: number;
  reason?: string; // access.* notices about the signed-in user: why their access changed
  // alert.raised / notification.created for the signed-in user: what to show.
  title?: string;
  severity?: string;
  alert_id?: string;
  record_id?: string;
}

// ---- Automation (issue 4): alerts ----
export type AlertState = 'open' | 'acknowledged' | 'resolved';
export interface Alert {
  id: string;
  kind: string;
  severity: string;
  title: string;
  entity: string | null;
  record_id: string | null;
  rule_id: string | null;
  owner_id: string | null;
  supervisor_id: string | null;
  state: AlertState;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
}

// ---- Lead pipeline (L1 intake, L3 dedup, L6 cleaning, L7 quick entry) ----

/** POST /api/v1/leads/quick: phone or wechat (one required) and 称呼 (required). */
export interface QuickEntry {
  phone?: string;
  wechat?: string;
  salutation: string;
  core_need?: string;
  next_action?: string;
  /** RFC 3339 with offset. */
  next_action_at?: string;
  company?: string;
  channel?: string;
  first_touch?: string;
  /** 归属公海: the pool the lead returns to when released or reclaimed; omitted = the default pool. */
  home_pool_id?: string;
}

export interface QuickEntryResult {
  lead: RecordData;
  /** true: the phone/WeChat matched a lead within the dedup window; it got a touch instead. */
  deduplicated: boolean;
  /** The follow-up made from 核心诉求. */
  activity_id?: string;
  /** The task made from 下次动作. */
  task_id?: string;
}

export type DuplicateEntity = 'leads' | 'customers' | 'contacts';
export type DuplicateField = 'phone' | 'wechat' | 'company';

export interface DuplicateMatch {
  entity: DuplicateEntity | string;
  field: DuplicateField | string;
  owner: { id: string; name: string } | null;
  mine: boolean;
  in_pool?: boolean;
  archived?: boolean;
}

export interface DuplicateCheck {
  duplicate: boolean;
  matches: DuplicateMatch[];
}

export interface IntakeSource {
  id: string;
  name: string;
  channel: string;
  first_touch: string | null;
  /** The key's last characters, to tell keys apart. */
  key_hint: string;
  enabled: boolean;
  /** Server-relative, e.g. "/api/v1/intake/<id>". */
  intake_url: string;
  /** 目标公海: its leads' home pool, where one no assignment rule takes waits; null = the default pool. */
  pool_id?: string | null;
  /** Only in the answer to create and rotate-key: shown once. */
  key?: string;
}

export interface NewIntakeSource {
  name: string;
  channel: string;
  first_touch?: string;
  pool_id?: string | null;
}

/** PATCH /api/v1/intake-sources/{id}: what may change after creation (not the channel). */
export interface IntakeSourcePatch {
  name?: string;
  first_touch?: string | null;
  enabled?: boolean;
  pool_id?: string | null;
}

/** GET /api/v1/me/notifications: one in-app notification (rule notify action, 公海 reclaim warning). */
export interface InboxNotification {
  seq: number;
  at: string;
  title: string;
  text?: string;
  /** e.g. "pool_reclaim_warning"; absent for a rule's notify action. */
  kind?: string;
  entity?: string;
  record_id?: string;
  caused_by?: { rule_id: string; rule_name?: string } | null;
}

/** POST /api/v1/intake/{source}: 201 new lead, 200 deduplicated. */
export interface IntakeResult {
  id: string;
  deduplicated: boolean;
}

export interface CleaningRequest {
  older_than_days: number;
  /** List-query filters, same keys as GET /leads, e.g. {"channel[in]": "zhihu"}. */
  filters?: Record<string, string>;
  expected_count?: number;
}

export interface CleaningSample {
  id: string;
  name: string | null;
  channel: string | null;
  created_at: string;
}

export interface CleaningPreview {
  older_than_days: number;
  /** Midnight N calendar days ago in the tenant's zone, RFC 3339 with that zone's offset. */
  cutoff: string;
  time_zone: string;
  count: number;
  sample: CleaningSample[];
}

export interface CleaningRun {
  id: string;
  criteria: { older_than_days?: number; filters?: Record<string, string>; time_zone?: string };
  cutoff: string;
  archived: number;
  created_at: string;
  created_by?: string;
  undone_at?: string | null;
  restored?: number | null;
}

export interface LeadSettings {
  /** 查重时间窗: the same phone/WeChat within this many hours counts once. */
  dedup_window_hours: number;
}

// ---- Assignment (L4, L5), public pool 公海 (L11), import / export (L10) ----

export type AssignmentStrategy = 'round_robin' | 'weighted' | 'least_loaded';
export type ConditionOp = 'eq' | 'ne' | 'in' | 'not_in' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists';

/** One condition of an assignment rule; all of a rule's conditions must hold. */
export interface RuleCondition {
  field: string;
  op: ConditionOp;
  /** A scalar; an array for in / not_in; a boolean for exists. */
  value: FieldValue;
}

export interface RuleMember {
  user_id: string;
  /** 1–1000; used by the weighted strategy. */
  weight: number;
}

export interface AssignmentRule {
  id: string;
  name: string;
  /** Rules are tried in this order; the first with an eligible member wins. */
  position: number;
  enabled: boolean;
  conditions: RuleCondition[];
  strategy: AssignmentStrategy;
  members: RuleMember[];
  /** Most open leads per member; null = no cap. */
  cap: number | null;
}

export type AssignmentRuleInput = Partial<Omit<AssignmentRule, 'id'>>;

export type Availability = 'available' | 'away';

export interface PoolRules {
  daily_claim_quota?: number | null;
  cooldown_days?: number | null;
  hold_cap_person?: number | null;
  hold_cap_department?: number | null;
  reclaim_days_without_followup?: number | null;
  reclaim_days_without_opportunity?: number | null;
  warn_days_ahead?: number | null;
  /** Absent or true: sales may enter leads by hand into this pool; false: 关闭手工录入 (leads come only from intake sources and imports). */
  manual_entry?: boolean | null;
}

export interface Pool {
  id: string;
  name: string;
  description?: string | null;
  is_default: boolean;
  enabled: boolean;
  rules: PoolRules;
  lead_count?: number;
}

export interface PoolInput {
  name?: string;
  description?: string | null;
  is_default?: boolean;
  enabled?: boolean;
  rules?: PoolRules;
}

export interface ReclaimItem {
  id: string;
  name: string;
  owner_id: string;
  /** The last follow-up, else the assignment, else the creation. */
  last_activity_at: string;
}

export interface ReclaimPreview {
  pool_id: string;
  due: ReclaimItem[];
  warning: ReclaimItem[];
  followup_cutoff?: string | null;
  opportunity_cutoff?: string | null;
}

/** POST /api/v1/imports: the file is stored, nothing imported yet. */
export interface ImportUpload {
  id: string;
  entity: string;
  /** "utf-8" | "gbk" | …, detected unless the upload declared it. */
  encoding: string;
  columns: string[];
  row_count: number;
  /** The first rows, as text, in column order. */
  sample?: string[][];
  /** column → field, matched by name or label. */
  suggested_mapping?: Record<string, string>;
}

export interface ImportMapping {
  mapping: Record<string, string>;
  /** IANA zone for times without an offset; absent → such times are errors. */
  time_zone?: string | null;
  /** Leads: rows naming no owner go to the assignment rules, not to the importer. */
  distribute?: boolean;
}

export interface ImportRowError {
  /** As in the spreadsheet: the header is row 1. */
  row: number;
  /** The column's name (servers so far send "" or a 1-based column number; see importErrors.ts). */
  column: string;
  field: string;
  code: string;
  detail: string;
}

export interface ImportDryRun {
  rows: number;
  valid: number;
  invalid: number;
  /** The first errors (at most 200). */
  errors: ImportRowError[];
}

export interface ImportJob {
  id: string;
  status: 'uploaded' | 'running' | 'done';
  processed: number;
  imported: number;
  duplicates: number;
  failed: number;
  row_count?: number;
  entity?: string;
  filename?: string;
  encoding?: string;
  columns?: string[];
  mapping?: Record<string, string> | null;
  time_zone?: string | null;
  errors_url?: string;
  created_at?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
}

// ---- Access control (issue 5: roles, scopes, tag rules, grants, sensitive fields, requests) ----

export type AccessAction = 'create' | 'read' | 'update' | 'archive' | 'export';
export type DataScope = 'none' | 'self' | 'subordinates' | 'department' | 'department_tree' | 'all';

/** One entity's rights in a role; the key "*" holds the default for entities without their own. */
export interface EntityRight {
  actions?: AccessAction[];
  scope?: DataScope;
  /** Reference fields through which a readable parent opens the record (e.g. "lead_id"). */
  inherit?: string[];
  /** A field whose being set shares the record with everyone holding the right (e.g. "pool_id"). */
  shared_field?: string;
}

export interface Role {
  name: string;
  label_zh: string;
  label_en: string;
  permissions: string[];
  entity_access: Record<string, EntityRight>;
}

export interface RolePatch {
  label_zh?: string;
  label_en?: string;
  permissions?: string[];
  entity_access?: Record<string, EntityRight>;
  reason?: string;
}

/** POST /users: a user with an initial password (told to them out of band). */
export interface NewUser {
  name: string;
  email: string;
  password: string;
  phone?: string;
  role?: string;
  department_id?: string;
  manager_id?: string;
}

/** POST /schema/{entity}/fields/{field}/options. */
export interface NewOption {
  value: string;
  label_zh: string;
  label_en?: string;
}

export interface UserPatch {
  name?: string;
  role?: string;
  department_id?: string | null;
  manager_id?: string | null;
  phone?: string | null;
  status?: 'active' | 'disabled';
  reason?: string;
}

export interface AccessRuleMatch {
  tag?: string;
  via?: string;
  field?: string;
  in?: string[];
}

export interface AccessRuleAllow {
  departments?: string[];
  roles?: string[];
  users?: string[];
  user_fields?: string[];
}

export interface AccessRule {
  id: string;
  name: string;
  entity: string;
  enabled: boolean;
  match: AccessRuleMatch;
  allow: AccessRuleAllow;
}

export type AccessRuleInput = Omit<AccessRule, 'id' | 'enabled'> & { enabled?: boolean };

export type GrantMode = 'read' | 'write';
export type GrantState = 'active' | 'expired' | 'revoked';

export interface Grant {
  id: string;
  entity: string;
  record_id: string;
  grantee_id: string;
  granted_by?: string;
  mode: GrantMode;
  hours?: number;
  relations?: string[];
  reason?: string | null;
  created_at?: string;
  expires_at?: string;
  revoked_at?: string | null;
  state: GrantState;
}

export interface NewGrant {
  entity: string;
  record_id: string;
  grantee_id: string;
  mode: GrantMode;
  hours: number;
  relations?: string[];
  reason?: string;
}

export interface SensitiveField {
  entity: string;
  field: string;
}

export type AccessPurpose = 'police_filing' | 'quality_trace' | 'tender' | 'other';

export interface AccessRequest {
  id: string;
  entity: string;
  record_id: string;
  fields: string[];
  purpose: AccessPurpose;
  purpose_text?: string | null;
  approver?: string;
  approver_id: string;
  requester_id: string;
  hours?: number;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  created_at?: string;
  decided_at?: string | null;
  decision_note?: string | null;
  expires_at?: string | null;
}

export interface NewAccessRequest {
  entity: string;
  record_id: string;
  fields: string[];
  purpose: AccessPurpose;
  purpose_text?: string;
  /** "manager" | "department_head" | a user id. */
  approver: string;
  hours: number;
}

export interface ExplainCheck {
  check: string;
  holds: boolean;
}

export interface AccessExplanation {
  user?: string;
  role?: string;
  entity?: string;
  id?: string;
  action?: AccessAction;
  decision: 'allow' | 'deny';
  decided_by: string;
  reason_zh?: string;
  reason_en?: string;
  checks: ExplainCheck[];
  field?: { name?: string; sensitive: boolean; masked: boolean; unmasked_by: string | null };
}

// ---- Automation (issue 4): rules, dry runs, templates, firings, today ----

export type RuleColor = 'red' | 'yellow' | 'green';
export type RuleRecipient = 'owner' | 'supervisor';
export type NotifyChannelKind = 'in_app' | 'dingtalk' | 'wecom' | 'email';

/** One action of a rule, as the API stores it: `type` plus that type's properties. */
export interface RuleAction {
  type: string;
  [property: string]: unknown;
}

export type RuleTrigger =
  | { event: string }
  | { cron: string; entity?: string }
  | { after: { event: string; delay: string; unless?: string } };

export interface RuleInput {
  name: string;
  enabled?: boolean;
  trigger: RuleTrigger;
  condition?: string;
  actions: RuleAction[];
}

export interface Rule extends RuleInput {
  id: string;
  enabled: boolean;
  condition: string;
  template_id: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
  created_by?: string;
}

/** What one action would do to one record (POST /rules/{id}/dry-run). */
export interface DryRunAction extends RuleAction {
  would: string;
  current?: unknown;
}

export interface DryRunItem {
  id: string;
  name?: string;
  title?: string;
  unless_holds?: boolean;
  actions: DryRunAction[];
}

export interface DryRun {
  rule_id: string;
  scanned: number;
  matched: number;
  items: DryRunItem[];
}

export interface RuleTemplate {
  id: string;
  name_zh: string;
  name_en: string;
  description?: string;
  description_en?: string;
  needs_scheduler: boolean;
  rules: RuleInput[];
}

export interface RuleTemplateInstall {
  template: string;
  needs_scheduler: boolean;
  items: Rule[];
}

/** What a rule did to a record (GET /rule-firings?entity=&record_id=). */
export interface RuleFiring {
  rule_id: string;
  rule_name: string | null;
  /** The record the action ran on (always given by the server; optional for older answers). */
  entity?: string;
  record_id?: string;
  event_seq: number;
  action_index: number;
  action: RuleAction;
  status: string;
  result: Record<string, unknown> | null;
  at: string;
}

export interface TodayTask {
  id: string;
  title: string;
  due_at: string;
  overdue: boolean;
  minutes_left: number;
  lead_id: string | null;
  customer_id: string | null;
}

export interface HotLead {
  id: string;
  name: string;
  color: string | null;
  activities: number;
}

/** GET /me/today: the 今日黄金3分钟 card. */
export interface Today {
  tasks: TodayTask[];
  hot_leads: HotLead[];
  alerts: Alert[];
}

// ---- Analytics: GET /{entity}/summary ----
export interface SummaryGroup {
  value: string | number | boolean | null;
  count: number;
  avg: number | null;
  /** The value in words (an enum option's label, a user's name), when the server adds it. */
  label?: string | number | boolean | null;
  label_en?: string | number | boolean | null;
}

export interface Summary {
  total: number;
  avg: number | null;
  groups?: SummaryGroup[];
}

// ---- Notifications (通知渠道), deliveries, documents (资料库) ----
export type ChannelKind = 'dingtalk' | 'wecom' | 'email' | 'webhook';

export interface NotificationChannel {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  is_default: boolean;
  /** Secrets are never returned: `secret_set` / `password_set` say whether one is stored. */
  config: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface ChannelInput {
  kind?: ChannelKind;
  name?: string;
  enabled?: boolean;
  is_default?: boolean;
  config?: Record<string, unknown>;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface Delivery {
  id: string;
  channel_id: string;
  channel_kind: string;
  channel_name: string | null;
  rule_id: string | null;
  rule_name: string | null;
  entity: string | null;
  record_id: string | null;
  recipient: string;
  title: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  response_code: number | null;
  created_at: string;
  next_attempt_at: string | null;
  delivered_at: string | null;
  latency_ms: number | null;
}

export interface OutboundSettings {
  allow: string[];
}

export interface DocumentItem {
  id: string;
  name: string;
  mime: string;
  size: number;
  created_at: string;
}

/** A file attached to a record (GET/POST /{entity}/{id}/attachments); downloaded as a document. */
export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: string;
  /** The uploader's user id. */
  created_by: string;
}

/** A saved list view (GET /views?entity=): `query` is the list's URL query string. */
export interface SavedView {
  id: string;
  entity: string;
  name: string;
  query: string;
  shared: boolean;
  /** Mine (I may rename / delete it); otherwise someone else's shared view. */
  mine: boolean;
  created_at: string;
  updated_at: string;
}
