// Pure helpers of the rule screens: entity singular names, the events a trigger may name, a
// trigger / cron / delay / action in words (zh and en), the editor's draft ↔ the API's rule JSON.
import type { EntityDef, Rule, RuleAction, RuleInput, RuleTrigger } from '../api/types';
import type { Lang } from '../i18n/I18nProvider';
import { pickLabel } from '../i18n/I18nProvider';
import { exprToRows, rowsToExpr, type Conditions } from './ruleExpr';
import type { FieldDef } from '../api/types';

const SINGULAR: Record<string, string> = {
  leads: 'lead',
  customers: 'customer',
  contacts: 'contact',
  opportunities: 'opportunity',
  contracts: 'contract',
  activities: 'activity',
  tasks: 'task',
  tags: 'tag',
};

/** "leads" → "lead": the name rules use for an entity (the schema's plural without its ending). */
export function singularOf(entity: string): string {
  if (SINGULAR[entity]) return SINGULAR[entity];
  if (entity.endsWith('ies')) return `${entity.slice(0, -3)}y`;
  if (entity.endsWith('s')) return entity.slice(0, -1);
  return entity;
}

/** "lead.created" → "leads" (among `entities`), or undefined. */
export function entityOfEvent(event: string, entities: EntityDef[]): EntityDef | undefined {
  const prefix = event.slice(0, event.indexOf('.'));
  return entities.find((e) => singularOf(e.name) === prefix);
}

export const COMMON_EVENTS = ['created', 'updated', 'archived', 'unarchived'] as const;
export const LEAD_EVENTS = ['assigned', 'touched', 'claimed', 'reclaimed', 'released', 'transferred'] as const;

const EVENT_WORDS: Record<string, { zh: string; en: string }> = {
  created: { zh: '新建时', en: 'is created' },
  updated: { zh: '修改时', en: 'is updated' },
  archived: { zh: '归档时', en: 'is archived' },
  unarchived: { zh: '取消归档时', en: 'is unarchived' },
  assigned: { zh: '分配时', en: 'is assigned' },
  touched: { zh: '重复进线(触达)时', en: 'comes in again (touch)' },
  claimed: { zh: '从公海领取时', en: 'is claimed from the pool' },
  reclaimed: { zh: '被回收公海时', en: 'is reclaimed to the pool' },
  released: { zh: '放入公海时', en: 'is released to the pool' },
  transferred: { zh: '转移公海时', en: 'is moved to another pool' },
};

/** Every event a trigger may name for `entity` ("lead.created", … "lead.assigned" …). */
export function eventsFor(entity: EntityDef): string[] {
  const s = singularOf(entity.name);
  const kinds: string[] = [...COMMON_EVENTS, ...(entity.name === 'leads' ? LEAD_EVENTS : [])];
  return kinds.map((k) => `${s}.${k}`);
}

/** "lead.created" → "线索 新建时" / "Lead is created". */
export function eventLabel(event: string, entities: EntityDef[], lang: Lang): string {
  const e = entityOfEvent(event, entities);
  const kind = event.slice(event.indexOf('.') + 1);
  const words = EVENT_WORDS[kind]?.[lang];
  const name = e ? pickLabel(lang, e, e.name) : event.slice(0, event.indexOf('.'));
  if (!words) return event;
  if (lang === 'en') {
    const one = e ? singularOf(e.name) : event.slice(0, event.indexOf('.'));
    return `When a${/^[aeiou]/.test(one) ? 'n' : ''} ${one} ${words}`;
  }
  return `${name} ${words}`;
}

/** "3d" → "3 天" / "3 days"; "72h" → "72 小时"; "30m" → "30 分钟"; anything else as is. */
export function delayText(delay: string, lang: Lang): string {
  const m = /^(\d+)([dhm])$/.exec(delay.trim());
  if (!m) return delay;
  const n = Number(m[1]);
  const unit = m[2];
  if (lang === 'en') return `${n} ${unit === 'd' ? 'day' : unit === 'h' ? 'hour' : 'minute'}${n === 1 ? '' : 's'}`;
  return `${n} ${unit === 'd' ? '天' : unit === 'h' ? '小时' : '分钟'}`;
}

export function isDelay(text: string): boolean {
  const m = /^(\d{1,7})([dhm])$/.exec(text.trim());
  return !!m && Number(m[1]) >= 1;
}

const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六', '日'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A five-field cron in words, for the common shapes (every N minutes, daily / weekdays / weekly /
 * monthly at a time); null when the expression is not one of them (the hint then shows nothing
 * more than "cron"). Times are the tenant zone's wall clock.
 */
export function cronText(cron: string, lang: Lang): string | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const [min, hour, dom, mon, dow] = f;
  const en = lang === 'en';
  const every = /^\*\/(\d+)$/.exec(min);
  if (every && hour === '*' && dom === '*' && mon === '*' && dow === '*')
    return en ? `Every ${every[1]} minutes` : `每 ${every[1]} 分钟`;
  if (min === '0' && hour === '*' && dom === '*' && mon === '*' && dow === '*') return en ? 'Every hour' : '每小时整点';
  if (!/^\d+$/.test(min) || mon !== '*') return null;
  const hours = hour.split(',');
  if (!hours.every((h) => /^\d+$/.test(h) && Number(h) < 24) || Number(min) > 59) return null;
  const at = hours.map((h) => `${two(Number(h))}:${two(Number(min))}`).join(en ? ', ' : '、');
  if (dom === '*' && dow === '*') return en ? `Every day at ${at}` : `每天 ${at}`;
  if (dom === '*' && (dow === '1-5' || dow === 'MON-FRI')) return en ? `Weekdays (Mon–Fri) at ${at}` : `工作日(周一至周五)${at}`;
  if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow)) {
    const days = dow.split(',').map(Number);
    return en
      ? `Every ${days.map((d) => WEEKDAYS_EN[d]).join(', ')} at ${at}`
      : `每周${days.map((d) => WEEKDAYS_ZH[d]).join('、')} ${at}`;
  }
  if (dow === '*' && /^\d+$/.test(dom) && Number(dom) >= 1 && Number(dom) <= 31)
    return en ? `Day ${dom} of every month at ${at}` : `每月 ${dom} 日 ${at}`;
  return null;
}

/** A trigger in one line: "线索 新建时", "每天 09:00 · 客户", "线索 分配时 + 3 天, 除非 …". */
export function triggerSummary(trigger: RuleTrigger | undefined, entities: EntityDef[], lang: Lang): string {
  const en = lang === 'en';
  if (!trigger) return '—';
  if ('event' in trigger) return eventLabel(trigger.event, entities, lang);
  if ('cron' in trigger) {
    const e = entities.find((x) => x.name === trigger.entity || singularOf(x.name) === trigger.entity) ?? entities.find((x) => x.name === 'leads');
    const what = e ? pickLabel(lang, e, e.name) : trigger.entity ?? 'leads';
    const words = cronText(trigger.cron, lang) ?? `cron ${trigger.cron}`;
    return en ? `${words} · every matching ${what.toLowerCase()}` : `${words} · 扫描${what}`;
  }
  if ('after' in trigger) {
    const a = trigger.after;
    const event = eventLabel(a.event, entities, lang);
    const base = en ? `${event} + ${delayText(a.delay, lang)}` : `${event.replace(/时$/, '')}后 ${delayText(a.delay, lang)}`;
    return a.unless ? `${base}${en ? ', unless ' : ',除非 '}${a.unless}` : base;
  }
  return '—';
}

const COLOR_WORDS: Record<string, { zh: string; en: string }> = {
  red: { zh: '红色', en: 'red' },
  yellow: { zh: '黄色', en: 'yellow' },
  green: { zh: '绿色', en: 'green' },
};
const TO_WORDS: Record<string, { zh: string; en: string }> = {
  owner: { zh: '负责人', en: 'the owner' },
  supervisor: { zh: '主管', en: 'the supervisor' },
};
const CHANNEL_WORDS: Record<string, { zh: string; en: string }> = {
  in_app: { zh: '站内', en: 'in-app' },
  dingtalk: { zh: '钉钉', en: 'DingTalk' },
  wecom: { zh: '企业微信', en: 'WeCom' },
  email: { zh: '邮件', en: 'email' },
  webhook: { zh: 'Webhook', en: 'webhook' },
};

export const ACTION_TYPES = [
  'set_color',
  'add_tags',
  'remove_tags',
  'create_task',
  'assign',
  'alert',
  'notify',
  'escalate',
  'send_document',
  'webhook',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

const ACTION_WORDS: Record<string, { zh: string; en: string }> = {
  set_color: { zh: '设置颜色', en: 'Set color' },
  add_tags: { zh: '添加标签', en: 'Add tags' },
  remove_tags: { zh: '移除标签', en: 'Remove tags' },
  create_task: { zh: '创建待办', en: 'Create a task' },
  assign: { zh: '分配给', en: 'Assign to' },
  alert: { zh: '过程预警', en: 'Raise an alert' },
  notify: { zh: '发送通知', en: 'Notify' },
  escalate: { zh: '升级主管', en: 'Escalate' },
  send_document: { zh: '发送资料', en: 'Send a document' },
  webhook: { zh: '调用 Webhook', en: 'Call a webhook' },
};

export function actionTypeLabel(type: string, lang: Lang): string {
  return ACTION_WORDS[type]?.[lang] ?? type;
}

export function channelLabel(kind: string, lang: Lang): string {
  return CHANNEL_WORDS[kind]?.[lang] ?? kind;
}

export function colorLabel(color: string, lang: Lang): string {
  return COLOR_WORDS[color]?.[lang] ?? color;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** One action in words: "设置颜色: 黄色", "创建待办「回电」(2 小时内)", "通知主管(钉钉)". */
export function actionSummary(a: RuleAction, lang: Lang, names: { user?: (id: string) => string | undefined; document?: (id: string) => string | undefined; channel?: (id: string) => string | undefined } = {}): string {
  const en = lang === 'en';
  const head = actionTypeLabel(a.type, lang);
  const sep = en ? ': ' : ':';
  const to = TO_WORDS[str(a.to)]?.[lang];
  switch (a.type) {
    case 'set_color':
      return `${head}${sep}${colorLabel(str(a.color), lang)}`;
    case 'add_tags':
    case 'remove_tags':
      return `${head}${sep}${(Array.isArray(a.tags) ? a.tags : []).join(en ? ', ' : '、')}`;
    case 'create_task':
      return `${head}${sep}「${str(a.title)}」${a.due ? (en ? ` (due in ${delayText(str(a.due), lang)})` : `(${delayText(str(a.due), lang)}内)`) : ''}`;
    case 'assign':
      return `${head}${sep}${names.user?.(str(a.user_id)) ?? str(a.user_id).slice(0, 8)}`;
    case 'alert':
      return `${head}${sep}${str(a.title)}${to ? (en ? ` → ${to}` : ` → ${to}`) : ''}`;
    case 'notify': {
      const ch = a.channel_id ? names.channel?.(str(a.channel_id)) ?? channelLabel(str(a.channel), lang) : channelLabel(str(a.channel), lang);
      return `${head}${sep}${to ?? ''}${en ? ' via ' : '·'}${ch}${a.title ? ` 「${str(a.title)}」` : ''}`;
    }
    case 'escalate':
      return `${head}${sep}${str(a.title)}${a.due ? (en ? ` (within ${delayText(str(a.due), lang)})` : `(${delayText(str(a.due), lang)}内)`) : ''}`;
    case 'send_document':
      return `${head}${sep}${names.document?.(str(a.document_id)) ?? str(a.document_id).slice(0, 8)}`;
    case 'webhook':
      return `${head}${sep}${names.channel?.(str(a.channel_id)) ?? str(a.channel_id).slice(0, 8)}`;
    default:
      return head;
  }
}

const WOULD_WORDS: Record<string, { zh: string; en: string }> = {
  'change color': { zh: '将改变颜色', en: 'would change the color' },
  unchanged: { zh: '已是目标值,无变化', en: 'already so, no change' },
  'change tags': { zh: '将修改标签', en: 'would change the tags' },
  run: { zh: '将执行', en: 'would run' },
  'suppressed: silent period': { zh: '静默期内,暂不提醒', en: 'held: silent period' },
  'nothing: unless holds now': { zh: '“除非”条件现已成立,不会执行', en: 'nothing: “unless” holds now' },
  'not delivered yet (channel not built)': { zh: '渠道未接通,仅记录', en: 'recorded only: channel not connected' },
  "task and alert for the owner's supervisor": { zh: '将为负责人的主管建待办并预警', en: "would add a task and an alert for the owner's supervisor" },
  'put the document on the timeline': { zh: '将发送资料并记入时间线', en: 'would send the document (on the timeline)' },
  'call the webhook': { zh: '将调用 Webhook', en: 'would call the webhook' },
};

/** The dry run's `would` in words. */
export function wouldText(would: string, lang: Lang): string {
  const queued = /^queue an? (\w+) message$/.exec(would);
  if (queued) {
    const ch = channelLabel(queued[1], lang);
    return lang === 'en' ? `would queue a${/^[aeiou]/i.test(ch) ? 'n' : ''} ${ch} message` : `将通过${ch}发送`;
  }
  return WOULD_WORDS[would]?.[lang] ?? would;
}

const STATUS_WORDS: Record<string, { zh: string; en: string }> = {
  done: { zh: '已执行', en: 'done' },
  unchanged: { zh: '无变化', en: 'no change' },
  suppressed: { zh: '静默期暂缓', en: 'held (silent period)' },
  failed: { zh: '失败', en: 'failed' },
  skipped: { zh: '已跳过', en: 'skipped' },
  not_delivered: { zh: '未送达', en: 'not delivered' },
  queued: { zh: '已排队发送', en: 'queued' },
  no_channel: { zh: '没有可用渠道', en: 'no channel' },
};

export function firingStatusText(status: string, lang: Lang): string {
  return STATUS_WORDS[status]?.[lang] ?? status;
}

// ---- the editor's draft ----

export type TriggerKind = 'event' | 'after' | 'cron';

export interface RuleDraft {
  name: string;
  enabled: boolean;
  kind: TriggerKind;
  /** kind event / after: "lead.created". */
  event: string;
  delay: string;
  unless: string;
  cron: string;
  /** kind cron: the collection scanned ("leads"). */
  cronEntity: string;
  /** Builder rows, or the raw text when `textMode`. */
  conditions: Conditions;
  textMode: boolean;
  conditionText: string;
  actions: RuleAction[];
}

export function emptyDraft(): RuleDraft {
  return {
    name: '',
    enabled: true,
    kind: 'event',
    event: 'lead.created',
    delay: '3d',
    unless: '',
    cron: '0 9 * * *',
    cronEntity: 'leads',
    conditions: { join: 'and', rows: [] },
    textMode: false,
    conditionText: '',
    actions: [{ type: 'set_color', color: 'red' }],
  };
}

/** The entity a draft's trigger is about ("leads"). */
export function draftEntity(d: RuleDraft, entities: EntityDef[]): string {
  if (d.kind === 'cron') return d.cronEntity || 'leads';
  return entityOfEvent(d.event, entities)?.name ?? 'leads';
}

/** The condition text a draft stands for (builder rows written out, or the raw text). */
export function draftCondition(d: RuleDraft, subject: string, fields: FieldDef[]): string {
  return d.textMode ? d.conditionText.trim() : rowsToExpr(d.conditions, subject, fields);
}

/** The API body of a draft. */
export function draftToBody(d: RuleDraft, entities: EntityDef[], fields: FieldDef[]): RuleInput {
  const subject = singularOf(draftEntity(d, entities));
  let trigger: RuleTrigger;
  if (d.kind === 'cron') trigger = { cron: d.cron.trim(), entity: d.cronEntity || 'leads' };
  else if (d.kind === 'after') {
    const after: { event: string; delay: string; unless?: string } = { event: d.event, delay: d.delay.trim() };
    if (d.unless.trim()) after.unless = d.unless.trim();
    trigger = { after };
  } else trigger = { event: d.event };
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    trigger,
    condition: draftCondition(d, subject, fields),
    actions: d.actions.map(cleanAction),
  };
}

/** Drops empty optional properties ("" / undefined / []) so the server sees only what was set. */
export function cleanAction(a: RuleAction): RuleAction {
  const out: RuleAction = { type: a.type };
  for (const [k, v] of Object.entries(a)) {
    if (k === 'type') continue;
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** A stored rule as a draft; the condition opens in the builder when it reads as simple rows. */
export function ruleToDraft(r: Rule | RuleInput, entities: EntityDef[]): RuleDraft {
  const d = emptyDraft();
  d.name = r.name;
  d.enabled = r.enabled ?? true;
  const t = r.trigger;
  if ('event' in t) {
    d.kind = 'event';
    d.event = t.event;
  } else if ('cron' in t) {
    d.kind = 'cron';
    d.cron = t.cron;
    const e = entities.find((x) => x.name === t.entity || singularOf(x.name) === t.entity);
    d.cronEntity = e?.name ?? t.entity ?? 'leads';
  } else if ('after' in t) {
    d.kind = 'after';
    d.event = t.after.event;
    d.delay = t.after.delay;
    d.unless = t.after.unless ?? '';
  }
  const entity = entities.find((x) => x.name === draftEntity(d, entities));
  const text = r.condition ?? '';
  const rows = exprToRows(text, singularOf(entity?.name ?? 'leads'), entity?.fields ?? []);
  d.conditionText = text;
  if (rows) d.conditions = rows;
  d.textMode = !rows;
  d.actions = r.actions.map((a) => ({ ...a }));
  return d;
}

/** A default action of `type` (what the editor shows when the type is picked). */
export function newAction(type: string): RuleAction {
  switch (type) {
    case 'set_color':
      return { type, color: 'red' };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] };
    case 'create_task':
      return { type, title: '', due: '2h' };
    case 'assign':
      return { type, user_id: '' };
    case 'alert':
      return { type, kind: 'process', severity: 'warning', title: '', to: 'supervisor' };
    case 'notify':
      return { type, channel: 'in_app', to: 'owner', title: '', text: '' };
    case 'escalate':
      return { type, title: '', due: '1d', severity: 'warning' };
    case 'send_document':
      return { type, document_id: '' };
    case 'webhook':
      return { type, channel_id: '' };
    default:
      return { type };
  }
}

/** Variables a notification text may use. */
export const TEXT_VARIABLES = ['{{lead.name}}', '{{lead.phone}}', '{{lead.company}}', '{{lead.channel}}', '{{owner.name}}', '{{rule.name}}', '{{link}}'] as const;

/**
 * Splits a server error field into where to show it: "condition", "trigger.after.unless", "name",
 * "actions[2].title" → { action: 2, prop: "title" }.
 */
export function errorTarget(field: string | undefined): { area: string; action?: number; prop?: string } {
  if (!field) return { area: '' };
  const m = /^actions\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (m) return { area: 'actions', action: Number(m[1]), prop: m[2] ?? '' };
  if (field.startsWith('rule.')) return { area: field.slice(5) };
  return { area: field };
}


const FIRING_ERRORS_ZH: Record<string, string> = {
  'document.not_found': '资料库中已没有该资料',
  'rules.unknown_document': '资料库中没有该资料',
  'rules.unknown_channel': '该通知渠道不存在',
  'notify.channel_not_found': '该通知渠道不存在或已删除',
  'notify.no_recipient': '没有接收人(负责人或主管未设置)',
  'notify.rejected': '对方拒收了消息',
  'outbound.blocked_address': '目标地址是内网或本机地址,已被出站安全策略拦截(可在「通知渠道 → 出站白名单」放行)',
  'outbound.bad_url': '目标地址无效',
};

/**
 * A failed firing's `result.error` ("code: English detail", as the server records it) in the UI
 * language: known codes in Chinese, anything else as recorded.
 */
export function firingErrorText(error: string, lang: Lang): string {
  const m = /^([a-z_]+\.[a-z_]+): ([\s\S]*)$/.exec(error);
  if (!m) return error;
  const [, code, detail] = m;
  if (lang === 'en') return detail;
  if (code === 'notify.no_channel') {
    const kind = /no enabled (\w+) channel/.exec(detail)?.[1];
    return `没有启用的${kind ? channelLabel(kind, 'zh') : ''}通知渠道,请在「通知渠道」中添加`;
  }
  return FIRING_ERRORS_ZH[code] ?? error;
}
