import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { DuplicateHint } from './DuplicateHint';

function stubFetch(body: unknown, status = 200) {
  const mock = vi.fn().mockImplementation(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', mock);
  return mock;
}

afterEach(() => vi.unstubAllGlobals());

describe('DuplicateHint (查重)', () => {
  it('asks the server once the phone is complete and says whose lead it is', async () => {
    const fetchMock = stubFetch({ duplicate: true, matches: [{ entity: 'leads', field: 'phone', owner: { id: 'u1', name: '张伟' }, mine: false, in_pool: false, archived: false }] });
    renderWithProviders(<DuplicateHint field="phone" value="138 0013 8000" />);
    expect(await screen.findByText(/该手机号已是 张伟 的线索/, undefined, { timeout: 3000 })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const url = new URL(String(fetchMock.mock.calls[0][0]), 'http://x');
    expect(url.pathname).toBe('/api/v1/duplicates/check');
    expect(url.searchParams.get('phone')).toBe('138 0013 8000');
    expect(screen.getByTestId('dup-phone')).toHaveAttribute('data-state', 'duplicate');
  });

  it('says 已在公海 for a pooled company, and nothing links to the record', async () => {
    stubFetch({ duplicate: true, matches: [{ entity: 'leads', field: 'company', owner: null, mine: false, in_pool: true, archived: false }] });
    const { container } = renderWithProviders(<DuplicateHint field="company" value="杭州云帆" />);
    expect(await screen.findByText(/该公司已在公海/, undefined, { timeout: 3000 })).toBeInTheDocument();
    expect(container.querySelector('a')).toBeNull();
  });

  it('reports a clear check, and sends nothing for an unfinished phone', async () => {
    const fetchMock = stubFetch({ duplicate: false, matches: [] });
    const partial = renderWithProviders(<DuplicateHint field="phone" value="138 00" />);
    await new Promise((r) => setTimeout(r, 600));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.queryByTestId('dup-phone')).toBeNull();
    partial.unmount();
    renderWithProviders(<DuplicateHint field="phone" value="13800138000" />);
    await waitFor(() => expect(screen.getByTestId('dup-phone')).toHaveAttribute('data-state', 'clear'), { timeout: 3000 });
    expect(screen.getByText('未发现重复')).toBeInTheDocument();
  });
});
