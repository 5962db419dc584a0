import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, buildQuery, newIdempotencyKey, setApiLanguage, setUnauthorizedHandler } from './client';

type FetchArgs = [string, RequestInit];

function respond(status: number, body: unknown, contentType = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vi.fn().mockResolvedValue(new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': contentType } }));
}

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  setApiLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});
function stub(mock: ReturnType<typeof vi.fn>) {
  fetchMock = mock;
  vi.stubGlobal('fetch', mock);
}
const sent = () => fetchMock.mock.calls[0] as FetchArgs;
const header = (name: string) => new Headers(sent()[1].headers).get(name);

describe('api()', () => {
  it('turns a problem+json error into an ApiError with code, detail and field', async () => {
    stub(
      respond(
        422,
        { type: 'https://leadflow.cn/problems/validation.unknown_field', title: 'Unprocessable Entity', status: 422, code: 'validation.unknown_field', detail: '「线索」没有字段 \'foo\'', field: 'foo' },
        'application/problem+json',
      ),
    );
    const err = await api('/api/v1/leads', { method: 'POST', body: { foo: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation.unknown_field');
    expect(e.detail).toBe("「线索」没有字段 'foo'");
    expect(e.field).toBe('foo');
    expect(e.message).toBe(e.detail);
  });

  it('sends the UI language, JSON body, If-Match and Idempotency-Key', async () => {
    stub(respond(200, { id: '1', version: 4 }));
    setApiLanguage('en');
    await api('/api/v1/leads/1', { method: 'PATCH', body: { name: 'x' }, ifMatch: 3, idempotencyKey: 'k-1' });
    expect(header('Accept-Language')).toBe('en');
    expect(header('Content-Type')).toBe('application/json');
    expect(header('If-Match')).toBe('"3"');
    expect(header('Idempotency-Key')).toBe('k-1');
    expect(sent()[1].body).toBe('{"name":"x"}');
    expect(sent()[1].credentials).toBe('same-origin');
  });

  it('calls the unauthorized handler on 401, unless the caller opts out', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    stub(respond(401, { status: 401, code: 'auth.required', detail: '请先登录' }));
    await expect(api('/api/v1/leads')).rejects.toMatchObject({ status: 401, code: 'auth.required' });
    expect(handler).toHaveBeenCalledTimes(1);
    stub(respond(401, { status: 401, code: 'auth.invalid_credentials', detail: '邮箱或密码错误' }));
    await expect(api('/api/v1/auth/login', { method: 'POST', body: {}, skipAuthRedirect: true })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('gives a readable error for a non-JSON failure and for no connection', async () => {
    stub(respond(502, '<html>Bad gateway</html>', 'text/html'));
    await expect(api('/api/v1/me')).rejects.toMatchObject({ status: 502, code: 'http.502', detail: '请求失败(502)' });
    stub(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api('/api/v1/me')).rejects.toMatchObject({ status: 0, code: 'network.unreachable', detail: '无法连接服务器,请检查网络后重试' });
  });

  it('resolves 204 to undefined and JSON to the parsed body', async () => {
    stub(respond(204, ''));
    await expect(api('/api/v1/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
    stub(respond(200, { items: [], next_cursor: null }));
    await expect(api('/api/v1/leads')).resolves.toEqual({ items: [], next_cursor: null });
  });

  it('builds filter queries with operators and offsets encoded', async () => {
    stub(respond(200, { items: [], next_cursor: null }));
    await api('/api/v1/leads', { query: { 'created_at[gte]': '2026-01-01T00:00:00+08:00', color: 'red', q: '', cursor: undefined } });
    expect(sent()[0]).toBe('/api/v1/leads?created_at%5Bgte%5D=2026-01-01T00%3A00%3A00%2B08%3A00&color=red');
    expect(buildQuery({})).toBe('');
  });
});

describe('newIdempotencyKey', () => {
  it('is unique per call', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
  });
});

describe('dispositionFilename', () => {
  it('prefers the UTF-8 filename* (Chinese names) over filename=', async () => {
    const { dispositionFilename } = await import('./client');
    expect(dispositionFilename(`attachment; filename="export.csv"; filename*=UTF-8''%E7%BA%BF%E7%B4%A2-2026-11-24.csv`, 'x')).toBe('线索-2026-11-24.csv');
    expect(dispositionFilename('attachment; filename="import-errors.csv"', 'x')).toBe('import-errors.csv');
    expect(dispositionFilename(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.csv')).toBe('fallback.csv');
    expect(dispositionFilename(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
