// One function per server endpoint used by the UI. Paths and shapes follow the API contract;
// nothing here caches — see queries.ts for the TanStack Query hooks and keys.
import { api } from './client';
import type {
  Department,
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
};
