import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SavedView } from '../api/types';
import { renderWithProviders } from '../test/render';
import { SavedViewsBar } from './SavedViewsBar';

vi.mock('../auth/AuthProvider', () => ({ useAuth: () => ({ can: () => false }) }));

const schema = {
  entities: [
    {
      name: 'leads',
      label_zh: '线索',
      label_en: 'Leads',
      fields: [
        {
          name: 'channel',
          type: 'enum',
          label_zh: '来源渠道',
          label_en: 'Source channel',
          required: false,
          readonly: false,
          builtin: true,
          options: [{ value: 'douyin_form', label_zh: '抖音表单', label_en: 'Douyin form' }],
        },
        { name: 'owner_id', type: 'user', label_zh: '负责人', label_en: 'Owner', required: false, readonly: false, builtin: true },
      ],
    },
  ],
};

const view = (id: string, query: string, mine: boolean): SavedView => ({
  id,
  entity: 'leads',
  name: `视图${id}`,
  query,
  shared: !mine,
  mine,
  created_at: '2026-11-01T10:00:00+08:00',
  updated_at: '2026-11-01T10:00:00+08:00',
});

const views = [view('mine', 'channel[in]=douyin_form', true), view('theirs', 'owner_id[in]=u1', false)];

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn().mockImplementation(async (input: string) => {
      const path = new URL(String(input), 'http://x').pathname;
      const body =
        path === '/api/v1/views'
          ? { items: views }
          : path === '/api/v1/schema'
            ? schema
            : path === '/api/v1/users'
              ? { items: [{ id: 'u1', name: '张伟', email: 'zw@x.cn' }] }
              : {};
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const bar = (query: Record<string, string>) => renderWithProviders(<SavedViewsBar entity="leads" query={query} defaultSort="-created_at" onApply={() => {}} />);

describe('SavedViewsBar (保存视图)', () => {
  it('offers rename and delete only for the view in force, and only when it is mine', async () => {
    const none = bar({ 'channel[in]': 'baidu_ads' });
    await waitFor(() => expect(screen.getByTestId('views-dropdown')).toHaveTextContent('(2)'));
    expect(screen.getByTestId('views-dropdown')).toHaveAttribute('data-current-view', '');
    expect(screen.queryByTestId('view-edit')).toBeNull();
    expect(screen.queryByTestId('view-delete')).toBeNull();
    none.unmount();

    // Someone else's shared view is in force: it is highlighted, but not mine to change.
    const shared = bar({ 'owner_id[in]': 'u1' });
    await waitFor(() => expect(screen.getByTestId('views-dropdown')).toHaveAttribute('data-current-view', 'theirs'));
    expect(screen.queryByTestId('view-edit')).toBeNull();
    expect(screen.queryByTestId('view-delete')).toBeNull();
    shared.unmount();

    bar({ 'channel[in]': 'douyin_form' });
    await waitFor(() => expect(screen.getByTestId('views-dropdown')).toHaveAttribute('data-current-view', 'mine'));
    expect(screen.getByTestId('view-edit')).toBeInTheDocument();
    expect(screen.getByTestId('view-delete')).toBeInTheDocument();
  });

  it('shows the filters to save in words: field labels, option labels, user names', async () => {
    bar({ 'channel[in]': 'douyin_form', 'owner_id[in]': 'u1', sort: '-created_at' });
    fireEvent.click(await screen.findByTestId('view-save'));
    await waitFor(() => expect(screen.getByTestId('view-query-text').textContent).toBe('来源渠道 等于 抖音表单;负责人 等于 张伟'));
    const items = screen.getAllByTestId('view-condition');
    expect(items.map((li) => li.textContent)).toEqual(['来源渠道 等于 抖音表单', '负责人 等于 张伟']);
    expect(screen.getByTestId('view-query')).not.toHaveTextContent('channel[in]');
  });

  it('says so when there is nothing to filter by', async () => {
    bar({});
    fireEvent.click(await screen.findByTestId('view-save'));
    expect(await screen.findByText('无筛选条件')).toBeInTheDocument();
  });
});
