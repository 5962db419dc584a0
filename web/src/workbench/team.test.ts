import { describe, expect, it } from 'vitest';
import { teamRows } from './team';

describe('team rows', () => {
  it('joins the three summaries by owner', () => {
    const rows = teamRows(
      { total: 5, avg: null, groups: [{ value: 'u1', count: 3, avg: null }, { value: 'u2', count: 2, avg: null }] },
      { total: 2, avg: null, groups: [{ value: 'u2', count: 1, avg: null }, { value: 'u3', count: 1, avg: null, label: '王五' }] },
      { total: 4, avg: null, groups: [{ value: 'u2', count: 4, avg: null }, { value: null, count: 1, avg: null }] },
      (id) => ({ u1: '张三', u2: '李四' })[id],
    );
    expect(rows).toEqual([
      { ownerId: 'u2', name: '李四', leads: 2, today: 1, week: 4 },
      { ownerId: '', name: '—', leads: 0, today: 0, week: 1 },
      { ownerId: 'u1', name: '张三', leads: 3, today: 0, week: 0 },
      { ownerId: 'u3', name: '王五', leads: 0, today: 1, week: 0 },
    ]);
  });
});
