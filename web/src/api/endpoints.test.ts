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
