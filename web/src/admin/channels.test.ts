import { describe, expect, it } from 'vitest';
import type { NotificationChannel } from '../api/types';
import { channelBody, channelToForm, fieldPath, formatSize, parseAllow, secretSet } from './channels';

const existing: NotificationChannel = {
  id: 'c1',
  kind: 'dingtalk',
  name: '销售群',
  enabled: true,
  is_default: false,
  config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=abcd****', secret_set: true },
  created_at: '',
  updated_at: '',
};

describe('notification channel forms', () => {
  it('creates with every set field', () => {
    expect(channelBody({ kind: 'email', name: ' 邮件 ', enabled: true, is_default: true, config: { smtp_url: 'smtp://h:25', from: 'a@b.cn', username: '', password: 'p' } })).toEqual({
      kind: 'email',
      name: '邮件',
      enabled: true,
      is_default: true,
      config: { smtp_url: 'smtp://h:25', from: 'a@b.cn', password: 'p' },
    });
  });
  it('patches only what changed and keeps a blank secret', () => {
    const form = channelToForm(existing);
    expect(form.config).toEqual({ url: existing.config.url, secret: '' });
    expect(channelBody(form, existing)).toEqual({});
    expect(channelBody({ ...form, enabled: false }, existing)).toEqual({ enabled: false });
    expect(channelBody({ ...form, config: { ...form.config, secret: 'SECnew' } }, existing)).toEqual({ config: { secret: 'SECnew' } });
    expect(secretSet(existing, 'secret')).toBe(true);
    expect(secretSet(existing, 'password')).toBe(false);
  });
  it('helpers', () => {
    expect(fieldPath('config.url')).toEqual(['config', 'url']);
    expect(parseAllow('127.0.0.1\n10.0.0.0/8, hooks.intra.example\n\n')).toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.intra.example']);
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(20 * 1024 * 1024)).toBe('20.0 MB');
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1024)).toBe('1.0 KB');
    expect(formatSize(5 * 1024 * 1024 + 300 * 1024)).toBe('5.3 MB');
  });
});
