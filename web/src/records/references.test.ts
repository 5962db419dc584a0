import { describe, expect, it } from 'vitest';
import { recordsByEntity } from './references';

describe('recordsByEntity', () => {
  it('groups the records that alerts or rule firings name per entity, once each', () => {
    expect(
      recordsByEntity([
        { entity: 'leads', record_id: 'b' },
        { entity: 'leads', record_id: 'a' },
        { entity: 'leads', record_id: 'b' },
        { entity: 'customers', record_id: 'c' },
        { entity: null, record_id: 'x' },
        {},
      ]),
    ).toEqual([
      { entity: 'leads', ids: ['a', 'b'] },
      { entity: 'customers', ids: ['c'] },
    ]);
  });
});
