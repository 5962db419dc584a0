import { describe, expect, it } from 'vitest';
import { reasonText } from './historyReason';

const users = (id: string) => (id === 'u1' ? '王管理' : undefined);
const pools = (id: string) => (id === 'p1' ? '华东公海' : undefined);

describe('reasonText', () => {
  it('names the rule and its strategy for an automatic assignment', () => {
    expect(reasonText({ kind: 'rule', rule_id: 'r1', rule_name: '华东 抖音轮流', strategy: 'round_robin', open_leads_before: null }, 'zh')).toBe('分配规则「华东 抖音轮流」(轮流分配)');
    expect(reasonText({ kind: 'rule', rule_name: 'East', strategy: 'weighted' }, 'en')).toBe('Assignment rule “East” (Weighted)');
  });
  it('says who assigned by hand and why', () => {
    expect(reasonText({ kind: 'manual', by: 'u1', note: '大客户' }, 'zh', users)).toBe('王管理 手动分配:大客户');
    expect(reasonText({ kind: 'manual', by: 'u9', note: '' }, 'en', users)).toBe('Assigned by hand');
  });
  it('names the pool a lead was claimed from', () => {
    expect(reasonText({ kind: 'claim', pool_id: 'p1' }, 'zh', users, pools)).toBe('从「华东公海」领取');
    expect(reasonText({ kind: 'claim', pool_id: 'px' }, 'zh', users, pools)).toBe('从公海领取');
  });
  it('explains a reclaim by its day counts; text stays text', () => {
    expect(reasonText({ reclaim_days_without_followup: 15, reclaim_days_without_opportunity: null }, 'zh')).toBe('自动回收:15 个自然日未跟进');
    expect(reasonText('暂无需求', 'zh')).toBe('暂无需求');
    expect(reasonText('', 'zh')).toBe('');
    expect(reasonText(null, 'zh')).toBe('');
  });
});
