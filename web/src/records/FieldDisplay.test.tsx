import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import { renderWithProviders } from '../test/render';
import { FieldDisplay } from './FieldDisplay';

const phone: FieldDef = { name: 'phone', label_zh: '手机号', label_en: 'Phone', type: 'phone', required: false, readonly: false, builtin: true };

describe('FieldDisplay of a masked value', () => {
  it('shows the masked phone as sent, with a lock and no dial link', () => {
    const { container } = renderWithProviders(<FieldDisplay field={phone} value="138****5678" masked />);
    expect(screen.getByTestId('masked-value').textContent).toBe('138****5678');
    expect(container.querySelector('.anticon-lock')).not.toBeNull();
    expect(container.querySelector('a[href^="tel:"]')).toBeNull();
  });
  it('a masked phone in the history (no _masked there) is not dialable either', () => {
    const { container } = renderWithProviders(<FieldDisplay field={phone} value="138****5678" />);
    expect(container.querySelector('a[href^="tel:"]')).toBeNull();
  });
  it('a full number stays a grouped dial link', () => {
    const { container } = renderWithProviders(<FieldDisplay field={phone} value="+8613812345678" />);
    expect(container.querySelector('a[href="tel:+8613812345678"]')?.textContent).toBe('+86 138 1234 5678');
  });
});
