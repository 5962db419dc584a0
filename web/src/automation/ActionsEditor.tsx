// The ordered actions of a rule: one card per action (type + that type's properties), moved up
// and down, removed, added. Channels and documents are picked from the tenant's own lists; a
// notification's text offers the variables the server fills in ({{lead.name}} …).
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Dropdown, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { useChannels, useDocuments } from '../api/queries';
import type { NotificationChannel, RuleAction } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { UserSelect } from '../records/FieldInput';
import { ACTION_TYPES, actionTypeLabel, channelLabel, colorLabel, newAction, TEXT_VARIABLES } from './ruleText';

type Errors = Record<string, string>;

export function ActionsEditor({ actions, onChange, errors }: { actions: RuleAction[]; onChange: (next: RuleAction[]) => void; errors: Errors }) {
  const { t, lang } = useI18n();
  const channels = useChannels();
  const documents = useDocuments();
  const set = (i: number, a: RuleAction) => onChange(actions.map((x, j) => (j === i ? a : x)));
  const move = (i: number, d: -1 | 1) => {
    const next = [...actions];
    const [a] = next.splice(i, 1);
    next.splice(i + d, 0, a);
    onChange(next);
  };
  return (
    <div style={{ display: 'grid', gap: 8 }} data-testid="actions-editor">
      {actions.map((a, i) => {
        const err = (prop: string) => errors[`actions[${i}].${prop}`];
        const whole = errors[`actions[${i}]`] ?? errors[`actions[${i}].type`];
        return (
          <Card
            key={i}
            size="small"
            data-testid="action-card"
            data-type={a.type}
            title={
              <Space>
                <Tag>{i + 1}</Tag>
                <Select
                  id={`action-type-${i}`}
                  value={a.type}
                  style={{ minWidth: 160 }}
                  onChange={(type: string) => set(i, newAction(type))}
                  options={ACTION_TYPES.map((type) => ({ value: type, label: actionTypeLabel(type, lang) }))}
                  data-testid="action-type"
                />
              </Space>
            }
            extra={
              <Space size={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('auto.moveUp')} />
                <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === actions.length - 1} onClick={() => move(i, 1)} aria-label={t('auto.moveDown')} />
                <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={actions.length <= 1} onClick={() => onChange(actions.filter((_, j) => j !== i))} aria-label={t('auto.remove')} data-testid="action-remove" />
              </Space>
            }
          >
            <Form layout="vertical" component="div">
              <ActionFields index={i} action={a} onChange={(x) => set(i, x)} err={err} channels={channels.data ?? []} documents={(documents.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form>
            {whole && (
              <Typography.Text type="danger" data-testid="action-error">
                {whole}
              </Typography.Text>
            )}
          </Card>
        );
      })}
      <div>
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...actions, newAction('create_task')])} disabled={actions.length >= 20} data-testid="action-add">
          {t('auto.addAction')}
        </Button>
      </div>
    </div>
  );
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function Item({ label, error, children, extra }: { label: string; error?: string; children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <Form.Item label={label} validateStatus={error ? 'error' : undefined} help={error} extra={extra} style={{ marginBottom: 8 }}>
      {children}
    </Form.Item>
  );
}

function ActionFields({
  index,
  action: a,
  onChange,
  err,
  channels,
  documents,
}: {
  index: number;
  action: RuleAction;
  onChange: (a: RuleAction) => void;
  err: (prop: string) => string | undefined;
  channels: NotificationChannel[];
  documents: { value: string; label: string }[];
}) {
  const { t, lang } = useI18n();
  const textRef = useRef<HTMLTextAreaElement | null>(null);
  const put = (k: string, v: unknown) => onChange({ ...a, [k]: v });
  const to = (
    <Item label={t('auto.act.to')} error={err('to')}>
      <Radio.Group
        optionType="button"
        value={str(a.to) || undefined}
        onChange={(e) => put('to', e.target.value)}
        options={[
          { value: 'owner', label: t('auto.act.toOwner') },
          { value: 'supervisor', label: t('auto.act.toSupervisor') },
        ]}
      />
    </Item>
  );
  const title = (
    <Item label={t('auto.act.title')} error={err('title')}>
      <Input id={`action-title-${index}`} value={str(a.title)} onChange={(e) => put('title', e.target.value)} data-testid="action-title" />
    </Item>
  );
  const due = (hint: string) => (
    <Item label={t('auto.act.due')} error={err('due')} extra={hint}>
      <Input value={str(a.due)} onChange={(e) => put('due', e.target.value.trim())} style={{ width: 120 }} placeholder="2h" data-testid="action-due" />
    </Item>
  );
  const channelOptions = (kinds: string[]) =>
    channels.filter((c) => kinds.includes(c.kind)).map((c) => ({ value: c.id, label: `${c.name}${c.enabled ? '' : ` (${t('channels.disabled')})`}${c.is_default ? ` · ${t('channels.default')}` : ''}` }));

  switch (a.type) {
    case 'set_color':
      return (
        <Item label={t('auto.act.color')} error={err('color')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={str(a.color)}
            onChange={(e) => put('color', e.target.value)}
            options={['red', 'yellow', 'green'].map((c) => ({ value: c, label: <span data-testid={`action-color-${c}`}>{colorLabel(c, lang)}</span> }))}
          />
        </Item>
      );
    case 'add_tags':
    case 'remove_tags':
      return (
        <Item label={t('auto.act.tags')} error={err('tags')}>
          <Select mode="tags" value={Array.isArray(a.tags) ? (a.tags as string[]) : []} onChange={(v: string[]) => put('tags', v)} tokenSeparators={[',', ',', '、']} open={false} placeholder={t('auto.act.tagsHint')} data-testid="action-tags" />
        </Item>
      );
    case 'create_task':
      return (
        <>
          {title}
          {due(t('auto.act.dueHint'))}
        </>
      );
    case 'assign':
      return (
        <Item label={t('auto.act.user')} error={err('user_id')}>
          <UserSelect value={str(a.user_id) || undefined} onChange={(v: unknown) => put('user_id', v ?? '')} />
        </Item>
      );
    case 'alert':
      return (
        <>
          {title}
          <Space wrap align="start">
            <Item label={t('auto.act.severity')} error={err('severity')}>
              <Radio.Group
                optionType="button"
                value={str(a.severity) || 'warning'}
                onChange={(e) => put('severity', e.target.value)}
                options={['info', 'warning', 'critical'].map((s) => ({ value: s, label: t(`alerts.severity.${s}` as 'alerts.severity.info') }))}
              />
            </Item>
            <Item label={t('auto.act.kind')} error={err('kind')}>
              <Input value={str(a.kind)} onChange={(e) => put('kind', e.target.value)} style={{ width: 160 }} placeholder="followup_gap" />
            </Item>
          </Space>
          {to}
        </>
      );
    case 'notify': {
      const kind = str(a.channel) || 'in_app';
      const insert = (v: string) => {
        const el = textRef.current;
        const cur = str(a.text);
        if (el && typeof el.selectionStart === 'number') {
          const s = el.selectionStart;
          const e = el.selectionEnd ?? s;
          put('text', cur.slice(0, s) + v + cur.slice(e));
        } else put('text', cur + v);
      };
      return (
        <>
          <Space wrap align="start">
            <Item label={t('auto.act.channel')} error={err('channel')}>
              <Select
                value={kind}
                style={{ width: 140 }}
                onChange={(v: string) => onChange({ ...a, channel: v, channel_id: undefined })}
                options={['in_app', 'dingtalk', 'wecom', 'email'].map((c) => ({ value: c, label: channelLabel(c, lang) }))}
                data-testid="action-channel"
              />
            </Item>
            {kind !== 'in_app' && (
              <Item label={t('auto.act.channelId')} error={err('channel_id')}>
                <Select allowClear value={str(a.channel_id) || undefined} style={{ minWidth: 200 }} onChange={(v?: string) => put('channel_id', v ?? undefined)} options={channelOptions([kind])} placeholder={t('auto.act.defaultChannel')} />
              </Item>
            )}
          </Space>
          {to}
          {title}
          <Item
            label={t('auto.act.text')}
            error={err('text')}
            extra={
              <Dropdown
                trigger={['click']}
                menu={{ items: TEXT_VARIABLES.map((v) => ({ key: v, label: <code>{v}</code> })), onClick: ({ key }) => insert(key) }}
              >
                <Button size="small" type="link" style={{ padding: 0 }} data-testid="action-variables">
                  {t('auto.act.variables')}
                </Button>
              </Dropdown>
            }
          >
            <Input.TextArea ref={(r) => { textRef.current = r?.resizableTextArea?.textArea ?? null; }} value={str(a.text)} onChange={(e) => put('text', e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} placeholder="{{lead.name}} {{lead.phone}} · {{link}}" data-testid="action-text" />
          </Item>
        </>
      );
    }
    case 'escalate':
      return (
        <>
          {title}
          {due(t('auto.act.escalateHint'))}
          <Item label={t('auto.act.severity')} error={err('severity')}>
            <Radio.Group
              optionType="button"
              value={str(a.severity) || 'warning'}
              onChange={(e) => put('severity', e.target.value)}
              options={['info', 'warning', 'critical'].map((s) => ({ value: s, label: t(`alerts.severity.${s}` as 'alerts.severity.info') }))}
            />
          </Item>
        </>
      );
    case 'send_document':
      return (
        <Item label={t('auto.act.document')} error={err('document_id')} extra={documents.length === 0 ? t('auto.act.noDocuments') : undefined}>
          <Select showSearch optionFilterProp="label" value={str(a.document_id) || undefined} onChange={(v: string) => put('document_id', v)} options={documents} data-testid="action-document" />
        </Item>
      );
    case 'webhook':
      return (
        <Item label={t('auto.act.webhook')} error={err('channel_id')} extra={channelOptions(['webhook']).length === 0 ? t('auto.act.noWebhook') : undefined}>
          <Select value={str(a.channel_id) || undefined} onChange={(v: string) => put('channel_id', v)} options={channelOptions(['webhook'])} />
        </Item>
      );
    default:
      return <Typography.Text type="secondary">{JSON.stringify(a)}</Typography.Text>;
  }
}
