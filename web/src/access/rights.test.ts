import { describe, expect, it } from 'vitest';
import type { Role } from '../api/types';
import {
  accessNotice,
  accessRequestBody,
  accessRuleBody,
  accessRuleForm,
  can,
  describeCheck,
  grantBody,
  maskedFields,
  matrixRows,
  resetRight,
  ruleSummary,
  toggleAction,
  updateRight,
  type Names,
} from './rights';

// The demo's roles as GET /api/v1/roles returns them.
const sales: Role = {
  name: 'sales',
  label_zh: '销售',
  label_en: 'Salesperson',
  permissions: [],
  entity_access: {
    '*': { actions: ['create', 'read', 'update'], scope: 'self' },
    leads: { actions: ['create', 'read', 'update', 'archive'], scope: 'self', shared_field: 'pool_id' },
    tags: { actions: ['read'], scope: 'all' },
  },
};
const customerSuccess: Role = {
  name: 'customer_success',
  label_zh: '客户成功',
  label_en: 'Customer success',
  permissions: [],
  entity_access: { '*': { actions: ['create', 'read', 'update'], scope: 'self' }, leads: { actions: [], scope: 'self' } },
};
const supervisor: Role = {
  name: 'supervisor',
  label_zh: '销售主管',
  label_en: 'Sales supervisor',
  permissions: ['team.stream', 'leads.assign'],
  entity_access: { '*': { actions: ['read', 'export'], scope: 'department_tree' }, leads: { actions: ['create', 'read', 'update', 'archive', 'export'], scope: 'department_tree' } },
};
const admin: Role = { name: 'admin', label_zh: '管理员', label_en: 'Administrator', permissions: ['*'], entity_access: {} };

describe('can(role, entity, action)', () => {
  it('uses the entity entry before the "*" default', () => {
    expect(can(sales, 'leads', 'archive')).toBe(true);
    expect(can(sales, 'customers', 'archive')).toBe(false); // "*" has no archive
    expect(can(sales, 'customers', 'create')).toBe(true);
    expect(can(sales, 'leads', 'export')).toBe(false);
  });
  it('an entity entry with no actions shuts the entity even though "*" allows', () => {
    expect(can(customerSuccess, 'leads', 'read')).toBe(false);
    expect(can(customerSuccess, 'customers', 'read')).toBe(true);
  });
  it('the supervisor reads and exports customers but cannot create or edit them (S1)', () => {
    expect(can(supervisor, 'customers', 'read')).toBe(true);
    expect(can(supervisor, 'customers', 'export')).toBe(true);
    expect(can(supervisor, 'customers', 'create')).toBe(false);
    expect(can(supervisor, 'customers', 'update')).toBe(false);
    expect(can(supervisor, 'leads', 'create')).toBe(true);
  });
  it('"*" permissions allow everything; an unknown role nothing; scope none is no read', () => {
    expect(can(admin, 'contracts', 'export')).toBe(true);
    expect(can(undefined, 'leads', 'read')).toBe(false);
    expect(can({ permissions: [], entity_access: { leads: { actions: ['read'], scope: 'none' } } }, 'leads', 'read')).toBe(false);
  });
});

describe('the role matrix', () => {
  it('lists "*" first and marks entities that follow it', () => {
    const rows = matrixRows(sales.entity_access, ['leads', 'customers']);
    expect(rows.map((r) => [r.entity, r.own])).toEqual([
      ['*', true],
      ['leads', true],
      ['customers', false],
      ['tags', true],
    ]);
    expect(rows[2].right.actions).toEqual(['create', 'read', 'update']);
  });
  it('toggling an action on an entity that followed "*" gives it its own entry, in action order', () => {
    const next = toggleAction(sales.entity_access, 'customers', 'export', true);
    expect(next.customers).toEqual({ actions: ['create', 'read', 'update', 'export'], scope: 'self' });
    expect(next['*']).toEqual(sales.entity_access['*']);
    expect(toggleAction(next, 'customers', 'create', false).customers.actions).toEqual(['read', 'update', 'export']);
    expect(sales.entity_access.customers).toBeUndefined(); // no mutation
  });
  it('keeps inherit and shared_field, drops them when emptied, resets to the default', () => {
    const a = updateRight(sales.entity_access, 'leads', { scope: 'department', inherit: ['customer_id'] });
    expect(a.leads).toEqual({ actions: ['create', 'read', 'update', 'archive'], scope: 'department', inherit: ['customer_id'], shared_field: 'pool_id' });
    const b = updateRight(a, 'leads', { inherit: [], shared_field: undefined });
    expect(b.leads).toEqual({ actions: ['create', 'read', 'update', 'archive'], scope: 'department' });
    expect('leads' in resetRight(b, 'leads')).toBe(false);
    expect(resetRight(b, '*')).toBe(b);
  });
});

describe('request and grant bodies', () => {
  it('builds an access request with a named approver', () => {
    expect(accessRequestBody('leads', 'L1', { fields: ['phone'], purpose: 'tender', approver: 'user', approver_id: 'U9', hours: 2 })).toEqual({
      entity: 'leads',
      record_id: 'L1',
      fields: ['phone'],
      purpose: 'tender',
      approver: 'U9',
      hours: 2,
    });
    expect(accessRequestBody('leads', 'L1', { fields: ['phone'], purpose: 'police_filing', approver: 'manager', hours: 24 })).toMatchObject({ approver: 'manager' });
  });
  it('other needs a text; a named approver needs a person; fields are required', () => {
    expect(accessRequestBody('leads', 'L1', { fields: ['phone'], purpose: 'other', purpose_text: '  ', approver: 'manager', hours: 2 })).toEqual({ missing: 'purpose_text' });
    expect(accessRequestBody('leads', 'L1', { fields: ['phone'], purpose: 'other', purpose_text: ' 合同归档 ', approver: 'manager', hours: 2 })).toMatchObject({ purpose_text: '合同归档' });
    expect(accessRequestBody('leads', 'L1', { fields: ['phone'], purpose: 'tender', approver: 'user', hours: 2 })).toEqual({ missing: 'approver_id' });
    expect(accessRequestBody('leads', 'L1', { fields: [], purpose: 'tender', approver: 'manager', hours: 2 })).toEqual({ missing: 'fields' });
  });
  it('an invitation including follow-ups carries relations ["activities"]', () => {
    expect(grantBody('leads', 'L1', { grantee_id: 'U2', mode: 'read', hours: 72, include_followups: true, reason: ' 协助报价 ' })).toEqual({
      entity: 'leads',
      record_id: 'L1',
      grantee_id: 'U2',
      mode: 'read',
      hours: 72,
      relations: ['activities'],
      reason: '协助报价',
    });
    expect(grantBody('leads', 'L1', { grantee_id: 'U2', mode: 'write', hours: 1, include_followups: false })).toEqual({ entity: 'leads', record_id: 'L1', grantee_id: 'U2', mode: 'write', hours: 1 });
  });
});

const names: Names = {
  entity: (e) => ({ contracts: '合同', leads: '线索' })[e] ?? e,
  field: (_e, f) => ({ customer_id: '客户', owner_id: '负责人', pool_id: '所属公海', lead_id: '线索', region: '区域' })[f] ?? f,
  department: (id) => (id === 'D1' ? '战略部' : id),
  role: (r) => (r === 'sales' ? '销售' : r),
  user: (u) => (u === 'U1' ? '张伟' : u),
  rule: (id) => (id === 'R1' ? '战略客户合同' : id),
};

describe('access rules', () => {
  it('a tag rule through a reference, round trip form ↔ body, in words', () => {
    const body = accessRuleBody({ name: ' 战略客户合同 ', entity: 'contracts', by: 'tag', tag: '战略客户', via: 'customer_id', departments: ['D1'], user_fields: ['owner_id'], roles: [], users: [] });
    expect(body).toEqual({ name: '战略客户合同', entity: 'contracts', match: { tag: '战略客户', via: 'customer_id' }, allow: { departments: ['D1'], user_fields: ['owner_id'] } });
    expect(accessRuleBody(accessRuleForm({ id: 'R1', enabled: true, ...body }))).toEqual({ ...body, enabled: true });
    expect(ruleSummary(body, names, 'zh')).toBe('客户带标签「战略客户」的合同仅对 战略部、负责人 可见');
    expect(ruleSummary(body, names, 'en')).toBe('合同 whose 客户 is tagged "战略客户" are visible only to 战略部, 负责人');
  });
  it('a field rule', () => {
    const body = accessRuleBody({ name: 'x', entity: 'leads', by: 'field', field: 'region', values: ['华东'], users: ['U1'] });
    expect(body.match).toEqual({ field: 'region', in: ['华东'] });
    expect(ruleSummary(body, names, 'zh')).toBe('区域属于 华东 的线索仅对 张伟 可见');
  });
});

describe('explain and live notices', () => {
  it('puts each check in words', () => {
    expect(describeCheck('scope:self', 'leads', names, 'zh')).toBe('数据范围:仅本人');
    expect(describeCheck('scope:department_tree', 'leads', names, 'en')).toBe('Data scope: Department and below');
    expect(describeCheck('shared:pool_id', 'leads', names, 'zh')).toBe('共享字段「所属公海」有值(如在公海中)');
    expect(describeCheck('inherit:lead_id', 'activities', names, 'zh')).toBe('经关联「线索」继承可见');
    expect(describeCheck('rule:R1', 'contracts', names, 'zh')).toBe('访问规则「战略客户合同」允许');
    expect(describeCheck('grant:id', 'leads', names, 'zh')).toBe('临时协作授权');
    expect(describeCheck('mystery', 'leads', names, 'zh')).toBe('mystery');
  });
  it('masked fields and which live events concern me', () => {
    expect(maskedFields({ _masked: ['phone'] })).toEqual(['phone']);
    expect(maskedFields({})).toEqual([]);
    expect(accessNotice({ type: 'access.changed', entity: 'users', id: 'U1', seq: 1 }, 'U1')).toBe('changed');
    expect(accessNotice({ type: 'access.approval_needed', entity: 'users', id: 'U1', seq: 2 }, 'U1')).toBe('approval');
    expect(accessNotice({ type: 'access.changed', entity: 'users', id: 'U2', seq: 3 }, 'U1')).toBeNull();
    expect(accessNotice({ type: 'record.created', entity: 'leads', id: 'U1', seq: 4 }, 'U1')).toBeNull();
  });
});
