import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { renderWithProviders } from '../test/render';
import { RecordForm } from './RecordForm';
import { buildCreateBody, buildPatchBody } from './values';

const f = (name: string, label_zh: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  name, label_zh, label_en: name, type, required: false, readonly: false, builtin: true, ...extra,
});

const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [
    f('id', '编号', 'text', { readonly: true, system: true }),
    f('created_at', '创建时间', 'datetime', { readonly: true, system: true }),
    f('name', '姓名', 'text', { required: true }),
    f('channel', '来源渠道', 'enum', { options: [{ value: 'douyin_form', label_zh: '抖音表单', label_en: 'Douyin form' }] }),
    f('response_hours', '响应时效(小时)', 'number', { readonly: true }),
    f('esg_score', 'ESG评分', 'number', { builtin: false }),
  ],
};

describe('RecordForm (schema-driven)', () => {
  it('renders a control for each editable field, custom ones included, and none for read-only ones', () => {
    renderWithProviders(<RecordForm entity={leads} name="create" onSubmit={vi.fn()} />);
    expect(screen.getByLabelText('ESG评分')).toBeInTheDocument();
    expect(screen.getByLabelText('来源渠道')).toBeInTheDocument();
    expect(screen.queryByText('响应时效(小时)')).toBeNull();
    expect(screen.queryByText('创建时间')).toBeNull();
  });

  it('enforces required fields from the metadata', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<RecordForm entity={leads} name="create" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByTestId('create-submit'));
    expect(await screen.findByText('姓名 · 必填')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits values that become a clean POST body', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<RecordForm entity={leads} name="create" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText('姓名'), '张总');
    await userEvent.type(screen.getByLabelText('ESG评分'), '87.5');
    await userEvent.click(screen.getByTestId('create-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(buildCreateBody(leads, onSubmit.mock.calls[0][0])).toEqual({ name: '张总', esg_score: 87.5 });
  });

  it('offers the owner on create but shows it read-only on edit (it changes only by 分配)', async () => {
    const withOwner: EntityDef = { ...leads, fields: [...leads.fields, f('owner_id', '负责人', 'user', { changed_by: 'assign' })] };
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    client.setQueryData(keys.users, { items: [{ id: 'U1', email: 'a@x.cn', name: '王小明', role: 'sales', department_id: null }] });
    const create = renderWithProviders(<RecordForm entity={withOwner} name="create" onSubmit={vi.fn()} />, { client });
    expect(screen.getByLabelText('负责人')).toBeInTheDocument();
    expect(screen.queryByTestId('readonly-owner_id')).toBeNull();
    create.unmount();

    const record: RecordData = { id: 'L1', version: 2, created_at: '', updated_at: '', name: '张总', owner_id: 'U1' };
    const onSubmit = vi.fn();
    renderWithProviders(<RecordForm entity={withOwner} record={record} name="edit" onSubmit={onSubmit} />, { client });
    expect(await screen.findByTestId('readonly-owner_id')).toHaveTextContent('王小明');
    expect(screen.getByText('负责人只能通过「分配」变更')).toBeInTheDocument();
    expect(screen.queryByLabelText('负责人')).toBeNull();
    await userEvent.clear(screen.getByLabelText('姓名'));
    await userEvent.type(screen.getByLabelText('姓名'), '张总监');
    await userEvent.click(screen.getByTestId('edit-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(buildPatchBody(withOwner, record, onSubmit.mock.calls[0][0])).toEqual({ name: '张总监' });
  });
});
