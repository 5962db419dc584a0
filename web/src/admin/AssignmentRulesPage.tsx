// Admin → 分配规则 (L4, L5): the rules in the order they are tried, each with its conditions in
// words, strategy (轮流 / 按权重 / 负载最少), members and cap; enable/disable in place; an editor
// with a condition builder over any lead field (custom ones too) and the member list with
// weights. Needs assignment.manage. New leads without an owner go to the first matching rule
// that has an eligible member (available, under the cap).
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Empty, Form, Input, InputNumber, Radio, Result, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useEntity, useUserMap } from '../api/queries';
import type { AssignmentRule, ConditionOp, EntityDef, FieldDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { UserSelect } from '../records/FieldInput';
import { conditionFields, conditionRow, describeConditions, opLabel, opsFor, ruleBody, STRATEGIES, strategyLabel, weightShares, type RuleForm } from './assignmentRules';

export default function AssignmentRulesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { entity } = useEntity('leads');
  if (!can('assignment.manage')) return <Result status="403" title={t('rules.noPermission')} />;
  if (!entity) return null;
  return <AssignmentRules leads={entity} />;
}

function AssignmentRules({ leads }: { leads: EntityDef }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const users = useUserMap();
  const userName = (id: string) => users.get(id)?.name;
  const rules = useQuery({ queryKey: keys.assignmentRules, queryFn: endpoints.assignmentRules, select: (d) => d.items });
  const [editing, setEditing] = useState<AssignmentRule | 'new' | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: keys.assignmentRules });

  const patch = async (r: AssignmentRule, body: Partial<AssignmentRule>) => {
    try {
      await endpoints.updateAssignmentRule(r.id, body);
      await refresh();
    } catch (e) {
      showError(e);
    }
  };
  /** Swaps positions with the neighbour (positions are renumbered 1…n first so they are distinct). */
  const move = async (index: number, delta: -1 | 1) => {
    const list = rules.data ?? [];
    const other = index + delta;
    if (other < 0 || other >= list.length) return;
    try {
      const renumber = list.map((r, i) => ({ r, pos: i + 1 }));
      for (const { r, pos } of renumber) {
        const want = r === list[index] ? other + 1 : r === list[other] ? index + 1 : pos;
        if (r.position !== want) await endpoints.updateAssignmentRule(r.id, { position: want });
      }
      message.success(t('rules.reordered'));
      await refresh();
    } catch (e) {
      showError(e);
    }
  };

  const members = (r: AssignmentRule) => {
    const shares = weightShares(r.members);
    return (
      <Space size={[4, 4]} wrap>
        {r.members.map((m) => (
          <Tag key={m.user_id} style={{ marginInlineEnd: 0 }}>
            {userName(m.user_id) ?? m.user_id.slice(0, 8)}
            {r.strategy === 'weighted' ? ` ×${m.weight} (${shares.get(m.user_id)}%)` : ''}
          </Tag>
        ))}
      </Space>
    );
  };

  const list = rules.data ?? [];
  return (
    <div data-testid="assignment-rules" style={{ maxWidth: 1100 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('rules.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-new">
          {t('rules.new')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('rules.subtitle')}</Typography.Paragraph>
      {mobile ? (
        <Space direction="vertical" style={{ width: '100%' }} size={8}>
          {list.length === 0 && !rules.isLoading && <Empty description={t('rules.empty')} />}
          {list.map((r) => (
            <Card key={r.id} size="small" data-testid="rule-row" data-id={r.id} title={`${r.position}. ${r.name}`} extra={<Switch size="small" checked={r.enabled} onChange={(v) => void patch(r, { enabled: v })} />}>
              <div style={{ fontSize: 13 }}>{describeConditions(r.conditions, leads, lang, userName)}</div>
              <div style={{ margin: '6px 0' }}>
                <Tag color="blue">{strategyLabel(r.strategy, lang)}</Tag>
                {r.cap ? <Tag>{t('rules.capN', { n: r.cap })}</Tag> : null}
              </div>
              {members(r)}
              <div style={{ marginTop: 8 }}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid="rule-edit">
                  {t('common.edit')}
                </Button>
              </div>
            </Card>
          ))}
        </Space>
      ) : (
        <Table<AssignmentRule>
          size="middle"
          rowKey="id"
          loading={rules.isLoading}
          dataSource={list}
          pagination={false}
          locale={{ emptyText: <Empty description={t('rules.empty')} /> }}
          onRow={(r) => ({ 'data-testid': 'rule-row', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'order',
              title: t('rules.order'),
              width: 90,
              render: (_, _r, i) => (
                <Space size={2}>
                  <span style={{ width: 18, display: 'inline-block' }}>{i + 1}</span>
                  <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => void move(i, -1)} aria-label={t('rules.up')} />
                  <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === list.length - 1} onClick={() => void move(i, 1)} aria-label={t('rules.down')} />
                </Space>
              ),
            },
            { key: 'name', title: t('rules.name'), width: 180, render: (_, r) => <strong data-testid="rule-name">{r.name}</strong> },
            { key: 'conditions', title: t('rules.conditions'), render: (_, r) => <span data-testid="rule-conditions">{describeConditions(r.conditions, leads, lang, userName)}</span> },
            {
              key: 'strategy',
              title: t('rules.strategy'),
              width: 130,
              render: (_, r) => (
                <Space direction="vertical" size={2}>
                  <Tag color="blue">{strategyLabel(r.strategy, lang)}</Tag>
                  {r.cap ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rules.capN', { n: r.cap })}</Typography.Text> : null}
                </Space>
              ),
            },
            { key: 'members', title: t('rules.members'), width: 260, render: (_, r) => members(r) },
            { key: 'enabled', title: t('rules.enabled'), width: 70, render: (_, r) => <Switch size="small" checked={r.enabled} onChange={(v) => void patch(r, { enabled: v })} data-testid="rule-enabled" /> },
            {
              key: 'edit',
              title: '',
              width: 60,
              render: (_, r) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid="rule-edit" aria-label={t('common.edit')} />,
            },
          ]}
        />
      )}
      <Drawer title={editing === 'new' ? t('rules.new') : t('rules.edit')} open={!!editing} onClose={() => setEditing(null)} width={mobile ? '100%' : 640} destroyOnClose>
        {editing && <RuleEditor leads={leads} rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Drawer>
    </div>
  );
}

function RuleEditor({ leads, rule, onDone }: { leads: EntityDef; rule: AssignmentRule | null; onDone: () => void }) {
  const { t, lang, label } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const [saving, setSaving] = useState(false);
  const fields = useMemo(() => conditionFields(leads), [leads]);
  const fieldOf = (n: string | undefined) => fields.find((f) => f.name === n);
  const strategy = Form.useWatch('strategy', form);
  const initial: RuleForm = rule
    ? {
        name: rule.name,
        enabled: rule.enabled,
        strategy: rule.strategy,
        cap: rule.cap,
        conditions: rule.conditions.map((c) => conditionRow(c, fieldOf(c.field))),
        members: rule.members.map((m) => ({ user_id: m.user_id, weight: m.weight })),
      }
    : { name: '', enabled: true, strategy: 'round_robin', cap: null, conditions: [{ field: 'channel', op: 'in', value: [] }], members: [{ user_id: undefined, weight: 1 }] };

  const save = async () => {
    const v = await form.validateFields();
    const body = ruleBody(v, leads);
    if (!body.members?.length) {
      form.setFields([{ name: 'members', errors: [t('rules.membersRequired')] }]);
      message.error(t('rules.membersRequired'));
      return;
    }
    setSaving(true);
    try {
      if (rule) await endpoints.updateAssignmentRule(rule.id, body);
      else await endpoints.createAssignmentRule(body);
      message.success(rule ? t('common.saved') : t('common.created'));
      await qc.invalidateQueries({ queryKey: keys.assignmentRules });
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form form={form} layout="vertical" name="rule" initialValues={initial} data-testid="rule-editor">
      <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('rules.nameRequired') }]}>
        <Input placeholder={t('rules.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>

      <Typography.Text strong>{t('rules.conditions')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('rules.conditionsHelp')}
      </Typography.Paragraph>
      <Form.List name="conditions">
        {(items, { add, remove }) => (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 16 }}>
            {items.map((item) => (
              <Card key={item.key} size="small" styles={{ body: { padding: 8 } }} data-testid="condition-row">
                <div style={{ display: 'grid', gridTemplateColumns: '1fr 110px 32px', gap: 6 }}>
                  <Form.Item name={[item.name, 'field']} noStyle rules={[{ required: true }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      options={fields.map((f) => ({ value: f.name, label: label(f, f.name) }))}
                      onChange={(v: string) => {
                        const op = opsFor(fieldOf(v))[0];
                        form.setFieldValue(['conditions', item.name], { field: v, op, value: op === 'in' || op === 'not_in' ? [] : undefined });
                      }}
                      data-testid="condition-field"
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const f = fieldOf(form.getFieldValue(['conditions', item.name, 'field']));
                      return (
                        <Form.Item name={[item.name, 'op']} noStyle>
                          <Select
                            options={opsFor(f).map((op) => ({ value: op, label: opLabel(op, lang) }))}
                            onChange={(op: ConditionOp) => {
                              const cur = form.getFieldValue(['conditions', item.name, 'value']);
                              const list = op === 'in' || op === 'not_in';
                              if (list && !Array.isArray(cur)) form.setFieldValue(['conditions', item.name, 'value'], cur ? [String(cur)] : []);
                              if (!list && Array.isArray(cur)) form.setFieldValue(['conditions', item.name, 'value'], cur[0]);
                              if (op === 'exists') form.setFieldValue(['conditions', item.name, 'value'], true);
                            }}
                            data-testid="condition-op"
                          />
                        </Form.Item>
                      );
                    }}
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('rules.removeCondition')} />
                </div>
                <Form.Item noStyle shouldUpdate>
                  {() => {
                    const row = form.getFieldValue(['conditions', item.name]) ?? {};
                    const f = fieldOf(row.field);
                    return (
                      <div style={{ marginTop: 6 }}>
                        <Form.Item name={[item.name, 'value']} noStyle>
                          <ConditionValue field={f} op={row.op} />
                        </Form.Item>
                      </div>
                    );
                  }}
                </Form.Item>
              </Card>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ field: 'region', op: 'eq', value: '' })} data-testid="condition-add">
              {t('rules.addCondition')}
            </Button>
          </div>
        )}
      </Form.List>

      <Form.Item name="strategy" label={t('rules.strategy')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={STRATEGIES.map((s) => ({ value: s, label: <span data-testid={`strategy-${s}`}>{strategyLabel(s, lang)}</span> }))} />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -12 }}>
        {strategy === 'weighted' ? t('rules.weightedHelp') : strategy === 'least_loaded' ? t('rules.leastLoadedHelp') : t('rules.roundRobinHelp')}
      </Typography.Paragraph>

      <Typography.Text strong>{t('rules.members')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('rules.membersHelp')}
      </Typography.Paragraph>
      <Form.List name="members">
        {(items, { add, remove }, { errors }) => (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 6, marginBottom: 16 }}>
            {items.map((item) => (
              <div key={item.key} style={{ display: 'grid', gridTemplateColumns: strategy === 'weighted' ? '1fr 120px 32px' : '1fr 32px', gap: 6 }} data-testid="member-row">
                <Form.Item name={[item.name, 'user_id']} noStyle>
                  <UserSelect placeholder={t('rules.memberPlaceholder')} />
                </Form.Item>
                {strategy === 'weighted' && (
                  <Form.Item name={[item.name, 'weight']} noStyle>
                    <InputNumber min={1} max={1000} precision={0} addonBefore={t('rules.weight')} style={{ width: '100%' }} />
                  </Form.Item>
                )}
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('rules.removeMember')} />
              </div>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weight: 1 })} data-testid="member-add">
              {t('rules.addMember')}
            </Button>
            <Form.ErrorList errors={errors} />
          </div>
        )}
      </Form.List>

      <Form.Item name="cap" label={t('rules.cap')} extra={t('rules.capHelp')}>
        <InputNumber min={1} max={100000} precision={0} placeholder={t('poolRules.noLimit')} addonAfter={t('poolRules.unit.leads')} style={{ width: 220 }} />
      </Form.Item>
      <Space>
        <Button type="primary" onClick={() => void save()} loading={saving} data-testid="rule-save">
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

/** The value input of a condition row, by field type and operator. */
function ConditionValue({ id, field, op, value, onChange }: { id?: string; field?: FieldDef; op?: ConditionOp; value?: unknown; onChange?: (v: unknown) => void }) {
  const { t, label } = useI18n();
  if (!field || !op) return null;
  if (op === 'exists')
    return (
      <Radio.Group
        value={value !== false}
        onChange={(e) => onChange?.(e.target.value)}
        options={[
          { value: true, label: t('rules.filled') },
          { value: false, label: t('rules.empty_') },
        ]}
      />
    );
  const list = op === 'in' || op === 'not_in';
  if (field.type === 'user') return <UserSelect id={id} value={value} onChange={onChange} multiple={list} placeholder={t('rules.valuePlaceholder')} />;
  if (field.options?.length)
    return (
      <Select
        id={id}
        mode={list ? 'multiple' : undefined}
        value={value as string | string[] | undefined}
        onChange={onChange}
        options={field.options.map((o) => ({ value: o.value, label: label(o, o.value) }))}
        placeholder={t('rules.valuePlaceholder')}
        style={{ width: '100%' }}
        data-testid="condition-value"
      />
    );
  if (field.type === 'bool')
    return (
      <Radio.Group
        value={value === true || value === 'true'}
        onChange={(e) => onChange?.(e.target.value)}
        options={[
          { value: true, label: t('common.yes') },
          { value: false, label: t('common.no') },
        ]}
      />
    );
  if (list)
    return (
      <Select
        id={id}
        mode="tags"
        value={Array.isArray(value) ? (value as string[]) : []}
        onChange={onChange}
        tokenSeparators={[',', ',', '、']}
        placeholder={t('rules.listPlaceholder')}
        style={{ width: '100%' }}
        open={false}
        data-testid="condition-value"
      />
    );
  if (field.type === 'number' || field.type === 'money')
    return <InputNumber id={id} value={value as number | undefined} onChange={(v) => onChange?.(v)} style={{ width: '100%' }} addonAfter={field.type === 'money' ? t('rules.yuan') : undefined} data-testid="condition-value" />;
  return <Input id={id} value={(value as string | undefined) ?? ''} onChange={(e) => onChange?.(e.target.value)} placeholder={t('rules.valuePlaceholder')} data-testid="condition-value" />;
}
