import { describe, expect, it } from 'vitest';
import type { User } from '../api/types';
import { newUserBody, userPatch } from './UsersPage';

const user: User = { id: 'U1', email: 's1@x', name: '张伟', role: 'sales', department_id: 'D1', manager_id: 'M1', status: 'active' };
const same = { role: 'sales', department_id: 'D1', manager_id: 'M1', status: 'active' as const };

describe('userPatch', () => {
  it('sends only what changed, with the reason', () => {
    expect(userPatch(user, { ...same, department_id: 'D2', reason: ' 调任华南组 ' })).toEqual({ department_id: 'D2', reason: '调任华南组' });
    expect(userPatch(user, { ...same, status: 'disabled', reason: '离职' })).toEqual({ status: 'disabled', reason: '离职' });
  });
  it('clearing the manager sends null; nothing changed sends nothing (not even the reason)', () => {
    expect(userPatch(user, { ...same, manager_id: null })).toEqual({ manager_id: null });
    expect(userPatch(user, { ...same, manager_id: undefined as unknown as null })).toEqual({ manager_id: null });
    expect(userPatch(user, { ...same, reason: '无变化' })).toEqual({});
  });
});

describe('newUserBody', () => {
  it('trims, keeps the password as typed and leaves out empty optional fields', () => {
    expect(newUserBody({ name: ' 周敏 ', email: ' zm@demo.cn ', password: ' pass word1', role: 'sales', phone: ' ' })).toEqual({
      name: '周敏',
      email: 'zm@demo.cn',
      password: ' pass word1',
      role: 'sales',
    });
    expect(newUserBody({ name: '周敏', email: 'zm@demo.cn', password: 'abcdefgh', role: 'supervisor', phone: '13800138000', department_id: 'D1', manager_id: 'M1' })).toEqual({
      name: '周敏',
      email: 'zm@demo.cn',
      password: 'abcdefgh',
      role: 'supervisor',
      phone: '13800138000',
      department_id: 'D1',
      manager_id: 'M1',
    });
  });
});
