import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { EntityDef, FieldDef } from '../api/types';
import { renderWithProviders } from '../test/render';
import { ConditionBuilder, type ConditionValue } from './ConditionBuilder';

const f = (name: string, label_zh: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({ name, label_zh, label_en: name, type, required: false, readonly: false, builtin: true, ...extra });
const leads: EntityDef = {
  name: 'leads',
  label_zh: '线索',
  label_en: 'Leads',
  fields: [f('channel', '来源渠道', 'enum', { options: [{ value: 'xiaohongshu_dm', label_zh: '小红书私信', label_en: 'Xiaohongshu DM' }] }), f('tags', '标签', 'tags', { system: true })],
};

function Harness({ initial }: { initial: ConditionValue }) {
  const [v, setV] = useState(initial);
  return (
    <>
      <ConditionBuilder entity={leads} subject="lead" value={v} onChange={setV} />
      <output data-testid="state">{JSON.stringify(v)}</output>
    </>
  );
}

const state = () => JSON.parse(screen.getByTestId('state').textContent ?? '{}') as ConditionValue;

describe('ConditionBuilder', () => {
  it('shows the rows as an expression and switches to text mode with the same text', () => {
    renderWithProviders(<Harness initial={{ textMode: false, conditionText: '', conditions: { join: 'and', rows: [{ field: 'channel', op: 'eq', value: 'xiaohongshu_dm' }] } }} />);
    expect(screen.getByTestId('cond-preview').textContent).toBe('lead.channel == "xiaohongshu_dm"');
    fireEvent.click(screen.getByTestId('cond-mode-text'));
    expect(state().textMode).toBe(true);
    expect((screen.getByTestId('cond-text') as HTMLTextAreaElement).value).toBe('lead.channel == "xiaohongshu_dm"');
  });

  it('goes back to the builder only for simple rows', () => {
    renderWithProviders(<Harness initial={{ textMode: true, conditionText: '"VIP" in lead.tags or lead.channel == "xiaohongshu_dm"', conditions: { join: 'and', rows: [] } }} />);
    fireEvent.click(screen.getByTestId('cond-mode-builder'));
    expect(state().textMode).toBe(false);
    expect(state().conditions).toEqual({ join: 'or', rows: [{ field: 'tags', op: 'has', value: 'VIP' }, { field: 'channel', op: 'eq', value: 'xiaohongshu_dm' }] });
    expect(screen.getAllByTestId('cond-row')).toHaveLength(2);
  });

  it('stays in text mode when the text is not simple rows', () => {
    renderWithProviders(<Harness initial={{ textMode: true, conditionText: 'activities_in(3d) >= 2', conditions: { join: 'and', rows: [] } }} />);
    fireEvent.click(screen.getByTestId('cond-mode-builder'));
    expect(state().textMode).toBe(true);
    expect(screen.getByTestId('cond-text')).toBeInTheDocument();
  });
});
