import { afterEach, describe, expect, it, vi } from 'vitest';
import { endpoints } from './endpoints';

afterEach(() => vi.unstubAllGlobals());

function stub(status: number, body: unknown, headers: Record<string, string> = {}) {
  const mock = vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }));
  vi.stubGlobal('fetch', mock);
  return mock;
}

describe('endpoints.createChecked', () => {
  it('tells a deduplicated lead (200 + Deduplicated: true) from a new one (201)', async () => {
    stub(200, { id: 'l1', version: 3, touch_count: 2 }, { Deduplicated: 'true' });
    const dup = await endpoints.createChecked('leads', { name: '张总', phone: '13800138000' }, 'k');
    expect(dup).toEqual({ record: { id: 'l1', version: 3, touch_count: 2 }, deduplicated: true });
    stub(201, { id: 'l2', version: 1 });
    expect((await endpoints.createChecked('leads', { name: '李总' })).deduplicated).toBe(false);
  });
});

describe('endpoints.submitIntake', () => {
  it('posts to the public intake with ?key= and does not treat 401 as a lost session', async () => {
    const mock = stub(401, { status: 401, code: 'intake.bad_key', detail: '进线入口不存在或密钥错误' });
    const err = await endpoints.submitIntake('src 1', 'a+b', { name: '王女士' }).catch((e: unknown) => e);
    expect(String(mock.mock.calls[0][0])).toBe('/api/v1/intake/src%201?key=a%2Bb');
    expect((err as { code: string }).code).toBe('intake.bad_key');
  });
});

describe('automation endpoints', () => {
  it('asks for a summary with the list filters and an offset kept intact', async () => {
    const mock = stub(200, { total: 3, avg: null, groups: [] });
    await endpoints.summary('leads', { group_by: 'channel', 'created_at[gte]': '2026-03-01T00:00:00+08:00' });
    expect(String(mock.mock.calls[0][0])).toBe('/api/v1/leads/summary?group_by=channel&created_at%5Bgte%5D=2026-03-01T00%3A00%3A00%2B08%3A00');
  });
  it('dry-runs a rule with the unsaved changes as the body', async () => {
    const mock = stub(200, { rule_id: 'r1', scanned: 0, matched: 0, items: [] });
    await endpoints.dryRunRule('r1', { condition: 'lead.channel == "zhihu"' });
    expect(String(mock.mock.calls[0][0])).toBe('/api/v1/rules/r1/dry-run');
    expect(JSON.parse(mock.mock.calls[0][1].body as string)).toEqual({ condition: 'lead.channel == "zhihu"' });
  });
  it('uploads a document as the raw body with its own Content-Type', async () => {
    const mock = stub(201, { id: 'd1', name: '报价单.pdf', mime: 'application/pdf', size: 3, created_at: '' });
    await endpoints.uploadDocument(new Blob(['abc'], { type: 'application/pdf' }), '报价单.pdf');
    const [url, init] = mock.mock.calls[0];
    expect(String(url)).toBe(`/api/v1/documents?name=${encodeURIComponent('报价单.pdf')}`);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/pdf');
    expect(init.body).toBeInstanceOf(Blob);
  });
});
