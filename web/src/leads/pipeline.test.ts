import { describe, expect, it } from 'vitest';
import { formatHours, isAttributionField, responseState, responseText, responseTone } from './pipeline';

const created = '2026-11-24T08:00:00+08:00';
const at = (iso: string) => Date.parse(iso);

describe('响应时效', () => {
  it('shows the server-computed hours once followed up', () => {
    const s = responseState({ created_at: created, response_hours: 1.46 }, at('2026-11-25T08:00:00+08:00'));
    expect(s).toEqual({ kind: 'responded', hours: 1.46 });
    expect(responseText(s, 'zh')).toBe('1.5 小时');
    expect(responseText(s, 'en')).toBe('1.5 h');
    expect(responseTone(s)).toBe('warning');
    expect(responseText({ kind: 'responded', hours: 0 }, 'zh')).toBe('< 0.1 小时');
  });
  it('counts the wait from created_at while there is no follow-up', () => {
    // The server reports the age so far with response_pending: still waiting, not answered.
    expect(responseState({ created_at: created, response_hours: 0.9, response_pending: true }, at('2026-11-24T13:12:00+08:00')).kind).toBe('waiting');
    const s = responseState({ created_at: created, response_hours: null }, at('2026-11-24T13:12:00+08:00'));
    expect(s.kind).toBe('waiting');
    expect(responseText(s, 'zh')).toBe('等待中 5.2 小时');
    expect(responseText(s, 'en')).toBe('Waiting 5.2 h');
    expect(responseTone(s)).toBe('processing');
    expect(responseTone(responseState({ created_at: created }, at('2026-11-26T08:00:00+08:00')))).toBe('error');
  });
  it('adds days from 48 hours on', () => {
    expect(formatHours(75, 'zh')).toBe('75.0 小时(3.1 天)');
    expect(formatHours(75, 'en')).toBe('75.0 h (3.1 days)');
  });
  it('knows the attribution fields', () => {
    expect(['ad_keyword', 'ad_bd_vid', 'utm_source', 'name', 'channel'].filter(isAttributionField)).toEqual(['ad_keyword', 'ad_bd_vid', 'utm_source']);
  });
});
