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
}
