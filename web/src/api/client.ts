// The one fetch wrapper every request goes through. Contracts:
// - same-origin requests with the session cookie; JSON in, JSON out;
// - every non-2xx becomes an ApiError carrying the server's problem+json (code, detail, field);
//   a network failure becomes ApiError status 0, code "network.unreachable";
// - Accept-Language follows the UI language, so `detail` is in the user's language;
// - a 401 calls the unauthorized handler (the auth layer sends the user to sign-in) unless the
//   caller opts out (sign-in itself and the initial /me probe).

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  field?: string;
}

export class ApiError extends Error implements Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly field?: string;
  readonly title?: string;
  readonly type?: string;

  constructor(p: Problem) {
    super(p.detail || p.title || p.code);
    this.name = 'ApiError';
    this.status = p.status;
    this.code = p.code;
    this.detail = p.detail;
    this.field = p.field;
    this.title = p.title;
    this.type = p.type;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

let acceptLanguage = 'zh-CN';
/** Called by the i18n layer; "zh-CN" or "en". */
export function setApiLanguage(lang: string): void {
  acceptLanguage = lang;
}
export function apiLanguage(): string {
  return acceptLanguage;
}

type UnauthorizedHandler = (error: ApiError) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;
/** Installs the handler for 401 responses; returns a function that removes it. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is instead of `body` (a file upload), with `contentType`. */
  rawBody?: Blob | ArrayBuffer | Uint8Array;
  contentType?: string;
  /** URL query; undefined/empty values are dropped. Keys may carry operators: "created_at[gte]". */
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Sent as If-Match: "<version>" (optimistic concurrency on PATCH). */
  ifMatch?: number | string;
  /** Sent as Idempotency-Key on creating POSTs, so a retry cannot create twice. */
  idempotencyKey?: string;
  /** Do not call the unauthorized handler on 401. */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
}

function fallbackDetail(status: number): string {
  const en = acceptLanguage.startsWith('en');
  if (status === 0) return en ? 'Cannot reach the server. Check the network and retry.' : '无法连接服务器,请检查网络后重试';
  return en ? `Request failed (${status})` : `请求失败(${status})`;
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Reads a problem+json (or any) error body into a Problem; never throws. */
export async function readProblem(res: Response): Promise<Problem> {
  let body: unknown = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    type: str(b.type),
    title: str(b.title) ?? (res.statusText || undefined),
    status: typeof b.status === 'number' ? b.status : res.status,
    code: str(b.code) ?? `http.${res.status}`,
    detail: str(b.detail) ?? str(b.title) ?? fallbackDetail(res.status),
    field: str(b.field),
  };
}

/** A successful response: the parsed JSON body with the status and headers it came with. */
export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

/** Performs one API request; resolves to the parsed JSON body (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await apiResponse<T>(path, opts)).data;
}

/** Like api(), but also hands back the status and headers (e.g. `Deduplicated: true` on a 200). */
export async function apiResponse<T>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': acceptLanguage,
  };
  if (opts.rawBody !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
  else if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.ifMatch !== undefined) headers['If-Match'] = `"${opts.ifMatch}"`;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path + buildQuery(opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.rawBody !== undefined ? (opts.rawBody as BodyInit) : opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network.unreachable', detail: fallbackDetail(0) });
  }
  if (!res.ok) {
    const error = new ApiError(await readProblem(res));
    if (res.status === 401 && !opts.skipAuthRedirect && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  if (res.status === 204) return { data: undefined as T, status: res.status, headers: res.headers };
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, status: res.status, headers: res.headers };
}

/** A file the server sent: its bytes, the name from Content-Disposition and the response headers. */
export interface Download {
  blob: Blob;
  filename: string;
  headers: Headers;
}

/**
 * The file name in a Content-Disposition header: RFC 6266 `filename*=UTF-8''…` (percent-encoded,
 * preferred, so Chinese names survive) over the plain `filename="…"`; `fallback` when neither.
 */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star) {
    const raw = star[1].trim().replace(/^"|"$/g, '');
    const quote = raw.indexOf("''");
    try {
      const name = decodeURIComponent(quote >= 0 ? raw.slice(quote + 2) : raw);
      if (name) return name;
    } catch {
      /* a malformed escape: fall through to filename= */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || fallback;
}

/**
 * GET a file (an export, an error report) with the session; a problem+json answer becomes an
 * ApiError like any other request, so the caller can show it instead of a broken download.
 */
export async function apiDownload(path: string, query: RequestOptions['query'], fallbackName: string): Promise<Download> {
  let res: Response;
  try {
    res = await fetch(path + buildQuery(query), {
      headers: { 'Accept-Language': acceptLanguage },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network.unreachable', detail: fallbackDetail(0) });
  }
  if (!res.ok) {
    const error = new ApiError(await readProblem(res));
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  return { blob: await res.blob(), filename: dispositionFilename(res.headers.get('Content-Disposition'), fallbackName), headers: res.headers };
}

/** Hands `blob` to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A random key for Idempotency-Key; works outside secure contexts (plain http on a LAN IP). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
