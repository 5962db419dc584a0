// Admin → 访问规则 (P1): restricting rules — records that match (a tag on the record or on a
// referenced record, or a field's value) are visible only to the departments, roles, people and
// people-fields (e.g. 负责人) the rule allows. Shown in words; enable/disable applies at once.
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Empty, Form, Input, Radio, Select, Space, Switch, Table, Typography, Alert } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { endpoints } from '../api/endpoints';
import { keys, useDepartments, useRoles, useSchema, useUsers } from '../api/queries';
import type { AccessRule, EntityDef } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useI18n } from '../i18n/I18nProvider';
import { menuEntities } from '../records/schema';
import { accessRuleBody, accessRuleForm, ruleSummary, type AccessRuleForm } from '../access/rights';
import { useAccessNames, useAccessRules } from '../access/useNames';

function RuleEditor({ rule, entities, onClose }: { rule: AccessRule | null; entities: EntityDef[]; onClose: () => void }) {
  const { t, label, lang } = useI18n();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const departments = useDepartments();
  const roles = useRoles();
  const users = useUsers();
  const names = useAccessNames();
  const [form] = Form.useForm<AccessRuleForm>();
  const values = Form.useWatch([], form) as AccessRuleForm | undefined;
  const [busy, setBusy] = useState(false);
  const entity = entities.find((e) => e.name === values?.entity);
  const fields = (entity?.fields ?? []).filter((f) => !f.system || f.name === 'owner_id' || f.name === 'created_by');
  const matchField = entity?.fields.find((f) => f.name === values?.field);
  const initial: AccessRuleForm = rule ? accessRuleForm(rule) : { name: '', entity: 'contracts', by: 'tag', departments: [], roles: [], users: [], user_fields: ['owner_id'] };

  const submit = async (v: AccessRuleForm) => {
    setBusy(true);
    try {
      const body = accessRuleBody(v);
      if (rule) await endpoints.updateAccessRule(rule.id, body);
      else await endpoints.createAccessRule(body);
      message.success(rule ? t('common.saved') : t('common.created'));
      void qc.invalidateQueries({ queryKey: keys.accessRules });
      void qc.invalidateQueries({ queryKey: ['records'] });
      onClose();
    } catch (e) {
      showError(e, form, ['name', 'entity']);
    } finally {
      setBusy(false);
    }
  };

  const preview = values?.entity && values.name !== undefined ? ruleSummary(accessRuleBody({ ...initial, ...values, name: values.name ?? '' }), names, lang) : '';

  return (
    <Drawer
      open
      title={rule ? t('arules.edit') : t('arules.new')}
      width={mobile ? '100%' : 560}
      onClose={onClose}
      destroyOnClose
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="arule-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<AccessRuleForm> form={form} name="arule" layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t('arules.name')} rules={[{ required: true, whitespace: true, message: t('arules.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="entity" label={t('arules.entity')} rules={[{ required: true }]}>
          <Select options={entities.map((e) => ({ value: e.name, label: label(e, e.name) }))} onChange={() => form.setFieldsValue({ via: undefined, field: undefined, values: [], user_fields: ['owner_id'] })} />
        </Form.Item>
        <Form.Item name="by" label={t('arules.matchBy')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'tag', label: t('arules.byTag') },
              { value: 'field', label: t('arules.byField') },
            ]}
          />
        </Form.Item>
        {values?.by !== 'field' ? (
          <Space.Compact style={{ width: '100%' }} block>
            <Form.Item name="via" label={t('arules.via')} style={{ flex: 1 }}>
              <Select allowClear placeholder={t('arules.viaSelf')} options={fields.filter((f) => f.type === 'reference').map((f) => ({ value: f.name, label: label(f, f.name) }))} />
            </Form.Item>
            <Form.Item name="tag" label={t('arules.tag')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('arules.tagRequired') }]}>
              <Input placeholder="战略客户" maxLength={50} />
            </Form.Item>
          </Space.Compact>
        ) : (
          <>
            <Form.Item name="field" label={t('arules.field')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={fields.filter((f) => f.type !== 'tags').map((f) => ({ value: f.name, label: label(f, f.name) }))} />
            </Form.Item>
            <Form.Item name="values" label={t('arules.values')} rules={[{ required: true }]}>
              <Select mode="tags" options={(matchField?.options ?? []).map((o) => ({ value: o.value, label: label(o, o.value) }))} />
            </Form.Item>
          </>
        )}
        <Typography.Text strong>{t('arules.allow')}</Typography.Text>
        <Form.Item name="departments" label={t('arules.departments')} style={{ marginTop: 8 }}>
          <Select mode="multiple" optionFilterProp="label" options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="roles" label={t('arules.roles')}>
          <Select mode="multiple" optionFilterProp="label" options={(roles.data ?? []).map((r) => ({ value: r.name, label: label(r, r.name) }))} />
        </Form.Item>
        <Form.Item name="users" label={t('arules.users')}>
          <Select mode="multiple" optionFilterProp="label" options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="user_fields" label={t('arules.userFields')}>
          <Select mode="multiple" options={(entity?.fields ?? []).filter((f) => f.type === 'user').map((f) => ({ value: f.name, label: label(f, f.name) }))} />
        </Form.Item>
        {preview && <Alert type="info" showIcon message={t('arules.summary')} description={<span data-testid="arule-preview">{preview}</span>} />}
      </Form>
    </Drawer>
  );
}

export default function AccessRulesPage() {
  const { t, label, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const rules = useAccessRules();
  const schema = useSchema();
  const names = useAccessNames();
  const entities = useMemo(() => menuEntities(schema.data?.entities ?? []), [schema.data]);
  const [editing, setEditing] = useState<AccessRule | null | 'new'>(null);

  const setEnabled = async (r: AccessRule, enabled: boolean) => {
    try {
      await endpoints.updateAccessRule(r.id, { enabled });
      void qc.invalidateQueries({ queryKey: keys.accessRules });
      void qc.invalidateQueries({ queryKey: ['records'] });
      message.success(t('common.saved'));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="access-rules">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('access.rules')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="arule-new">
          {t('arules.new')}
        </Button>
      </div>
      <Table<AccessRule>
        size="small"
        rowKey="id"
        loading={rules.isLoading}
        dataSource={rules.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: <Empty description={t('arules.empty')} /> }}
        onRow={(r) => ({ 'data-testid': 'arule', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'on', title: t('arules.enabled'), width: 70, render: (_, r) => <Switch size="small" checked={r.enabled} onChange={(v) => void setEnabled(r, v)} /> },
          { key: 'name', title: t('arules.name'), dataIndex: 'name', width: 160 },
          { key: 'entity', title: t('arules.entity'), width: 100, render: (_, r) => label(entities.find((e) => e.name === r.entity), r.entity) },
          { key: 'summary', title: t('arules.summary'), render: (_, r) => ruleSummary(r, names, lang) },
          {
            key: 'edit',
            title: '',
            width: 80,
            render: (_, r) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <RuleEditor rule={editing === 'new' ? null : editing} entities={entities} onClose={() => setEditing(null)} />}
    </div>
  );
}
