import { QueryClient } from '@tanstack/react-query';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Button, Form } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { keys } from '../api/queries';
import type { Pool } from '../api/types';
import { renderWithProviders } from '../test/render';
import { HOME_POOL_FIELD, HomePoolField, homePoolOf, ManualEntryClosed, ManualEntryRefusal, useHomePool } from './HomePoolField';

const pool = (id: string, name: string, extra: Partial<Pool> = {}): Pool => ({ id, name, is_default: false, enabled: true, rules: {}, ...extra });

/** A client whose pools are already loaded (nothing is fetched while they are fresh). */
function clientWith(pools: Pool[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.pools, { items: pools });
  return client;
}

/** The picker's option titled `name` (its dropdown open). */
function option(name: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.ant-select-item-option[title="${name}"]`);
  if (!el) throw new Error(`no option ${name}`);
  return el;
}

let refuse: ((e: unknown) => boolean) | undefined;

function LeadForm({ onSubmit }: { onSubmit: (homePoolId: string | undefined) => void }) {
  const { choice, refusal, refused, clearRefusal } = useHomePool();
  refuse = refused;
  return (
    <>
      <ManualEntryClosed choice={choice} />
      <Form onFinish={(v: Record<string, unknown>) => onSubmit(homePoolOf(choice, v[HOME_POOL_FIELD]))}>
        <HomePoolField choice={choice} onChange={clearRefusal} />
        <ManualEntryRefusal refusal={refusal} />
        <Button htmlType="submit" disabled={choice.closed} data-testid="save">
          保存
        </Button>
      </Form>
    </>
  );
}

afterEach(() => {
  refuse = undefined;
  vi.unstubAllGlobals();
});

describe('归属公海 on a manual lead form', () => {
  it('one pool: no picker, nothing sent (the default pool)', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<LeadForm onSubmit={onSubmit} />, { client: clientWith([pool('p1', '默认公海', { is_default: true })]) });
    expect(screen.queryByTestId('home-pool')).toBeNull();
    await userEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(undefined));
  });

  it('preselects the default pool, shows a closed pool disabled with its note, and sends the choice', async () => {
    const onSubmit = vi.fn();
    const client = clientWith([pool('p1', '默认公海', { is_default: true }), pool('p2', '抖音公海', { rules: { manual_entry: false } }), pool('p3', '华东公海')]);
    renderWithProviders(<LeadForm onSubmit={onSubmit} />, { client });
    const picker = await screen.findByTestId('home-pool');
    expect(picker).toHaveTextContent('默认公海');
    await userEvent.click(picker.querySelector('.ant-select-selector')!);
    const closed = await waitFor(() => option('抖音公海'));
    expect(closed).toHaveClass('ant-select-item-option-disabled');
    expect(closed).toHaveTextContent('已关闭手工录入');
    expect(option('华东公海')).not.toHaveClass('ant-select-item-option-disabled');
    await userEvent.click(option('华东公海'));
    await userEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith('p3'));
  });

  it('the default pool closed: the first pool that allows manual entry is preselected', async () => {
    const client = clientWith([pool('p1', '默认公海', { is_default: true, rules: { manual_entry: false } }), pool('p2', '华东公海')]);
    renderWithProviders(<LeadForm onSubmit={vi.fn()} />, { client });
    expect(await screen.findByTestId('home-pool')).toHaveTextContent('华东公海');
    expect(screen.queryByTestId('manual-entry-closed')).toBeNull();
  });

  it('no pool allows manual entry: the notice, and no saving', async () => {
    const client = clientWith([pool('p1', '默认公海', { is_default: true, rules: { manual_entry: false } })]);
    renderWithProviders(<LeadForm onSubmit={vi.fn()} />, { client });
    expect(await screen.findByTestId('manual-entry-closed')).toHaveTextContent('手工录入已关闭');
    expect(screen.getByTestId('save')).toBeDisabled();
  });

  it('keeps the server’s refusal on the form in its own words and reloads the pools', async () => {
    const fetchMock = vi.fn().mockImplementation(async () => new Response(JSON.stringify({ items: [pool('p1', '默认公海', { is_default: true, rules: { manual_entry: false } })] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    const client = clientWith([pool('p1', '默认公海', { is_default: true })]);
    renderWithProviders(<LeadForm onSubmit={vi.fn()} />, { client });
    const detail = '「默认公海」已关闭手工录入,线索只能通过进线入口进入';
    let handled = false;
    act(() => {
      handled = refuse!(new ApiError({ status: 403, code: 'leads.manual_entry_disabled', detail }));
    });
    expect(handled).toBe(true);
    expect(await screen.findByTestId('manual-entry-refused')).toHaveTextContent(detail);
    // The pools are reloaded: the form now knows manual entry is closed.
    expect(await screen.findByTestId('manual-entry-closed')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalled();
    expect(refuse!(new ApiError({ status: 422, code: 'validation.invalid_value', detail: 'x', field: HOME_POOL_FIELD }))).toBe(false);
  });
});
