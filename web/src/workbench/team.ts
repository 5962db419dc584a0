// Per-salesperson counts of the 主管工作台 from three server summaries grouped by owner_id: leads
// held, follow-ups today and this week. Pure.
import type { Summary } from '../api/types';

export interface TeamRow {
  ownerId: string;
  name: string;
  leads: number;
  today: number;
  week: number;
}

function counts(s: Summary | undefined, labels: Map<string, string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of s?.groups ?? []) {
    const key = g.value === null || g.value === undefined ? '' : String(g.value);
    m.set(key, g.count);
    if (typeof g.label === 'string' && g.label && g.label !== key) labels.set(key, g.label);
  }
  return m;
}

/** One row per owner found in any summary, most follow-ups this week first, then most leads. */
export function teamRows(leads: Summary | undefined, today: Summary | undefined, week: Summary | undefined, nameOf: (id: string) => string | undefined): TeamRow[] {
  const labels = new Map<string, string>(); // the server's user names, when it sends them
  const l = counts(leads, labels);
  const d = counts(today, labels);
  const w = counts(week, labels);
  const ids = new Set([...l.keys(), ...d.keys(), ...w.keys()]);
  return [...ids]
    .map((id) => ({ ownerId: id, name: id ? nameOf(id) ?? labels.get(id) ?? id.slice(0, 8) : '—', leads: l.get(id) ?? 0, today: d.get(id) ?? 0, week: w.get(id) ?? 0 }))
    .sort((a, b) => b.week - a.week || b.leads - a.leads || a.name.localeCompare(b.name));
}
