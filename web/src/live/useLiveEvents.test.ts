import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInvalidator, parseRecordEvent } from './useLiveEvents';

describe('parseRecordEvent', () => {
  it('reads the server event and rejects junk', () => {
    expect(parseRecordEvent('{"type":"record.created","entity":"leads","id":"L1","seq":123}')).toEqual({ type: 'record.created', entity: 'leads', id: 'L1', seq: 123 });
    expect(parseRecordEvent('not json')).toBeNull();
    expect(parseRecordEvent('{"id":"x"}')).toBeNull();
  });
  it('keeps what a notice for the signed-in user carries, as strings only', () => {
    expect(parseRecordEvent('{"type":"alert.raised","entity":"users","id":"U1","seq":9,"title":"红色线索","severity":"critical","alert_id":"A1","record_id":"L1","extra":1}'))
      .toEqual({ type: 'alert.raised', entity: 'users', id: 'U1', seq: 9, title: '红色线索', severity: 'critical', alert_id: 'A1', record_id: 'L1' });
    expect(parseRecordEvent('{"type":"access.changed","entity":"users","id":"U1","seq":3,"reason":{"x":1}}')).toEqual({ type: 'access.changed', entity: 'users', id: 'U1', seq: 3 });
  });
});

describe('createInvalidator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes an entity at once, then at most once per interval, and never loses the last event', () => {
    const qc = new QueryClient();
    const spy = vi.spyOn(qc, 'invalidateQueries').mockResolvedValue();
    const inv = createInvalidator(qc, 1000);
    const ev = (entity: string) => ({ type: 'record.created', entity, id: 'x', seq: 1 });
    inv.handle(ev('leads'));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenLastCalledWith({ queryKey: ['records', 'leads'] });
    for (let i = 0; i < 50; i++) inv.handle(ev('leads'));
    expect(spy).toHaveBeenCalledTimes(1);
    inv.handle(ev('activities')); // other entities are independent
    expect(spy).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(spy).toHaveBeenCalledTimes(3); // the trailing refresh for the burst of leads
    inv.dispose();
  });
});
