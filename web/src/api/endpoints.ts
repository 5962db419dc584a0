// One function per server endpoint used by the UI. Paths and shapes follow the API contract;
// nothing here caches — see queries.ts for the TanStack Query hooks and keys.
import { api, apiResponse } from './client';
import type {
  CleaningPreview,
  CleaningRequest,
  CleaningRun,
  Department,
  DuplicateCheck,
  IntakeResult,
  IntakeSource,
  LeadSettings,
  NewIntakeSource,
  QuickEntry,
  QuickEntryResult,
  FieldDef,
  HistoryItem,
  LoginResponse,
  Me,
  NewField,
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

  users: () => api<{ items: User[] }>(`${V1}/users`),
  departments: () => api<{ items: Department[] }>(`${V1}/departments`),

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
  rotateIntakeKey: (id: string) => api<IntakeSource>(`${V1}/intake-sources/${seg(id)}/rotate-key`, { method: 'POST' }),
  /** The public intake (no session): the key authenticates; 401 means a wrong key, not sign-in. */
  submitIntake: (source: string, key: string, body: Record<string, string>) =>
    api<IntakeResult>(`${V1}/intake/${seg(source)}`, { method: 'POST', body, query: { key }, skipAuthRedirect: true }),

  cleaningPreview: (body: CleaningRequest) => api<CleaningPreview>(`${V1}/lead-cleaning/preview`, { method: 'POST', body }),
  cleaningRun: (body: CleaningRequest) => api<CleaningRun>(`${V1}/lead-cleaning/runs`, { method: 'POST', body }),
  cleaningRuns: () => api<{ items: CleaningRun[] }>(`${V1}/lead-cleaning/runs`),
  undoCleaning: (id: string) => api<CleaningRun>(`${V1}/lead-cleaning/runs/${seg(id)}/undo`, { method: 'POST' }),

  leadSettings: () => api<LeadSettings>(`${V1}/settings/leads`),
  updateLeadSettings: (body: LeadSettings) => api<LeadSettings>(`${V1}/settings/leads`, { method: 'PATCH', body }),
};
