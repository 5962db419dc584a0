// The live connection: one EventSource on GET /api/v1/stream (same origin, session cookie).
// Contract with the server: `event: record` carries {"type","entity","id","seq"}; `event: ping`
// keeps the connection open. A record event refreshes what the UI shows about that entity
// (lists, counts, the open record), at most once per `throttleMs` per entity, so a burst of
// imports does not refetch the lead list hundreds of times. Later: alerts arrive here too.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { RecordEvent } from '../api/types';
import { keys } from '../api/queries';

export type LiveStatus = 'connecting' | 'open' | 'closed';

export const STREAM_URL = '/api/v1/stream';

/** Parses the data of a `record` event; null for anything malformed. */
export function parseRecordEvent(data: string): RecordEvent | null {
  try {
    const v = JSON.parse(data) as Partial<RecordEvent>;
    if (typeof v.entity !== 'string' || typeof v.type !== 'string') return null;
    const e: RecordEvent = { type: v.type, entity: v.entity, id: typeof v.id === 'string' ? v.id : '', seq: typeof v.seq === 'number' ? v.seq : 0 };
    // What a notice for the signed-in user carries (access.* reasons, alerts, in-app notices).
    for (const k of ['reason', 'title', 'severity', 'alert_id', 'record_id'] as const)
      if (typeof v[k] === 'string') e[k] = v[k];
    return e;
  } catch {
    return null;
  }
}

/**
 * Returns a function that invalidates ['records', entity] for each event: immediately for the
 * first event of an entity, then at most once per throttleMs (a trailing call catches the rest).
 */
export function createInvalidator(qc: QueryClient, throttleMs = 1500) {
  const last = new Map<string, number>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const fire = (entity: string) => {
    last.set(entity, Date.now());
    pending.delete(entity);
    void qc.invalidateQueries({ queryKey: keys.entity(entity) });
  };
  const handle = (e: RecordEvent) => {
    const since = Date.now() - (last.get(e.entity) ?? 0);
    if (since >= throttleMs) fire(e.entity);
    else if (!pending.has(e.entity)) pending.set(e.entity, setTimeout(() => fire(e.entity), throttleMs - since));
  };
  const dispose = () => pending.forEach((h) => clearTimeout(h));
  return { handle, dispose };
}

/**
 * Keeps the stream open while `enabled`; reconnects with backoff (1 s → 30 s) when the browser
 * gives up (e.g. the server restarted or answered 401, in which case `onClosed` lets the auth
 * layer re-check the session). `onEvent` sees every record event after invalidation.
 */
export function useLiveEvents(enabled: boolean, opts: { onEvent?: (e: RecordEvent) => void; onClosed?: () => void } = {}): LiveStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const optsRef = useRef(opts);
  optsRef.current = opts;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setStatus('closed');
      return;
    }
    const invalidator = createInvalidator(qc);
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let backoff = 1000;
    let stopped = false;

    const connect = () => {
      setStatus('connecting');
      source = new EventSource(STREAM_URL, { withCredentials: true });
      source.onopen = () => {
        backoff = 1000;
        setStatus('open');
      };
      source.addEventListener('record', (ev) => {
        const e = parseRecordEvent((ev as MessageEvent<string>).data);
        if (!e) return;
        invalidator.handle(e);
        optsRef.current.onEvent?.(e);
      });
      source.onerror = () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up; we retry with backoff.
        if (!source || source.readyState !== EventSource.CLOSED) {
          setStatus('connecting');
          return;
        }
        setStatus('closed');
        source.close();
        optsRef.current.onClosed?.();
        if (!stopped) {
          retry = setTimeout(connect, backoff);
          backoff = Math.min(backoff * 2, 30_000);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
      invalidator.dispose();
    };
  }, [enabled, qc]);

  return status;
}
