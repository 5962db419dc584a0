// Pure helpers of 通知渠道: the config fields each channel kind takes, the request body from the
// form (a blank secret is left out so the stored one is kept), and server error fields
// ("config.url") as form paths.
import type { ChannelInput, ChannelKind, NotificationChannel } from '../api/types';

export const CHANNEL_KINDS: ChannelKind[] = ['dingtalk', 'wecom', 'email', 'webhook'];

export interface ConfigField {
  key: string;
  /** Never returned by the server; blank on edit means "keep". */
  secret?: boolean;
  required?: boolean;
  placeholder?: string;
}

export const CONFIG_FIELDS: Record<ChannelKind, ConfigField[]> = {
  dingtalk: [
    { key: 'url', required: true, placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…' },
    { key: 'secret', secret: true, placeholder: 'SEC…' },
  ],
  wecom: [{ key: 'url', required: true, placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' }],
  email: [
    { key: 'smtp_url', required: true, placeholder: 'smtps://smtp.example.com:465' },
    { key: 'username' },
    { key: 'password', secret: true },
    { key: 'from', required: true, placeholder: 'crm@example.com' },
    { key: 'to', placeholder: 'sales@example.com, boss@example.com' },
  ],
  webhook: [
    { key: 'url', required: true, placeholder: 'https://hooks.example.com/leadflow' },
    { key: 'secret', secret: true },
  ],
};

export interface ChannelForm {
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  is_default: boolean;
  config: Record<string, string | undefined>;
}

/** The form's values for an existing channel (secrets blank: the server never sends them). */
export function channelToForm(c: NotificationChannel): ChannelForm {
  const config: Record<string, string | undefined> = {};
  for (const f of CONFIG_FIELDS[c.kind] ?? []) {
    const v = c.config[f.key];
    config[f.key] = f.secret ? '' : typeof v === 'string' ? v : undefined;
  }
  return { kind: c.kind, name: c.name, enabled: c.enabled, is_default: c.is_default, config };
}

/** Create (all set fields) or patch (`existing`: blank secrets and unchanged values left out) body. */
export function channelBody(form: ChannelForm, existing?: NotificationChannel): ChannelInput {
  const config: Record<string, string> = {};
  for (const f of CONFIG_FIELDS[form.kind] ?? []) {
    const v = (form.config[f.key] ?? '').trim();
    if (f.secret && v === '') continue; // keep the stored secret
    if (existing && !f.secret && existing.config[f.key] === v) continue;
    if (!existing && v === '') continue;
    config[f.key] = v;
  }
  const body: ChannelInput = existing ? {} : { kind: form.kind };
  if (!existing || existing.name !== form.name.trim()) body.name = form.name.trim();
  if (!existing || existing.enabled !== form.enabled) body.enabled = form.enabled;
  if (!existing || existing.is_default !== form.is_default) body.is_default = form.is_default;
  if (!existing || Object.keys(config).length > 0) body.config = config;
  return body;
}

/** "config.url" → ["config", "url"] (an antd form path). */
export function fieldPath(field: string): string[] {
  return field.split('.');
}

/** Whether a stored secret exists ("secret_set" / "password_set"). */
export function secretSet(c: NotificationChannel | undefined, key: string): boolean {
  return !!c && c.config[`${key}_set`] === true;
}

/** The allow-list text area (one entry a line, commas too) → entries. */
export function parseAllow(text: string): string[] {
  return text
    .split(/[\n,,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
