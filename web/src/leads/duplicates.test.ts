import { describe, expect, it } from 'vitest';
import type { DuplicateCheck, DuplicateMatch } from '../api/types';
import { checkValue, duplicateMessage, duplicateMessages, onlyArchived } from './duplicates';

const m = (over: Partial<DuplicateMatch>): DuplicateMatch => ({ entity: 'leads', field: 'phone', owner: { id: 'u1', name: '张伟' }, mine: false, in_pool: false, archived: false, ...over });

describe('duplicateMessage', () => {
  it('names the owner, never the record', () => {
    expect(duplicateMessage(m({}), 'zh')).toBe('该手机号已是 张伟 的线索');
    expect(duplicateMessage(m({ field: 'wechat', entity: 'contacts' }), 'zh')).toBe('该微信号已是 张伟 的联系人');
    expect(duplicateMessage(m({ field: 'company', entity: 'customers' }), 'zh')).toBe('该公司已是 张伟 的客户');
  });
  it('says when it is the user’s own, in the pool, ownerless or archived', () => {
    expect(duplicateMessage(m({ mine: true }), 'zh')).toBe('该手机号已是你的线索');
    expect(duplicateMessage(m({ in_pool: true, owner: null }), 'zh')).toBe('该手机号已在公海(线索)');
    expect(duplicateMessage(m({ owner: null }), 'zh')).toBe('该手机号已有线索(暂无负责人)');
    expect(duplicateMessage(m({ archived: true }), 'zh')).toBe('该手机号已是 张伟 的线索(已归档)');
  });
  it('speaks English', () => {
    expect(duplicateMessage(m({}), 'en')).toBe("This phone number is already 张伟's lead");
    expect(duplicateMessage(m({ mine: true, field: 'company', entity: 'customers' }), 'en')).toBe('This company is already your customer');
    expect(duplicateMessage(m({ in_pool: true }), 'en')).toBe('This phone number is already in the public pool (lead)');
  });
});

describe('duplicateMessages', () => {
  it('lists distinct sentences, active matches first', () => {
    const check: DuplicateCheck = {
      duplicate: true,
      matches: [m({ archived: true, owner: { id: 'u2', name: '李娜' } }), m({}), m({})],
    };
    expect(duplicateMessages(check, 'zh')).toEqual(['该手机号已是 张伟 的线索', '该手机号已是 李娜 的线索(已归档)']);
    expect(onlyArchived(check)).toBe(false);
    expect(onlyArchived({ duplicate: true, matches: [m({ archived: true })] })).toBe(true);
  });
  it('is empty without a duplicate', () => {
    expect(duplicateMessages({ duplicate: false, matches: [] }, 'zh')).toEqual([]);
    expect(duplicateMessages(undefined, 'zh')).toEqual([]);
  });
});

describe('checkValue', () => {
  it('checks only values worth a request', () => {
    expect(checkValue('phone', '138 0013')).toBeNull();
    expect(checkValue('phone', ' 13800138000 ')).toBe('13800138000');
    expect(checkValue('wechat', 'ab')).toBeNull();
    expect(checkValue('wechat', 'zhang_wei')).toBe('zhang_wei');
    expect(checkValue('company', '杭')).toBeNull();
    expect(checkValue('company', '杭州云帆')).toBe('杭州云帆');
    expect(checkValue('company', undefined)).toBeNull();
  });
});
