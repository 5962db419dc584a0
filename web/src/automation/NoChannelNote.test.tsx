import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { NoChannelNote } from './NoChannelNote';

let perms: string[] = [];
vi.mock('../auth/AuthProvider', () => ({ useAuth: () => ({ can: (p: string) => perms.includes('*') || perms.includes(p) }) }));

describe('NoChannelNote', () => {
  it('says which channel is not set up, neutral, with a link for admins', () => {
    perms = ['*'];
    renderWithProviders(<NoChannelNote kind="dingtalk" />);
    expect(screen.getByText('未配置钉钉渠道,未发送')).toBeInTheDocument();
    expect(screen.getByTestId('firing-setup-channel')).toHaveAttribute('href', '/admin/notification-channels');
  });

  it('has no link for a salesperson, and reads in English', () => {
    perms = [];
    renderWithProviders(<NoChannelNote kind="wecom" />, { lang: 'en' });
    expect(screen.getByText('No WeCom channel set up; not sent')).toBeInTheDocument();
    expect(screen.queryByTestId('firing-setup-channel')).toBeNull();
  });
});
