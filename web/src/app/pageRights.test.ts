import { describe, expect, it } from 'vitest';
import { mayOpen, pageRight } from './pageRights';

const holds = (...perms: string[]) => (p: string) => perms.includes('*') || perms.includes(p);

describe('page rights (deep links to screens a role may not use)', () => {
  it('names the permission of each guarded screen', () => {
    expect(pageRight('/admin/access-rules')).toEqual({ any: ['access.manage'] });
    expect(pageRight('/rules/new')).toEqual({ any: ['rules.manage'] });
    expect(pageRight('/rules/')).toEqual({ any: ['rules.manage'] });
    expect(pageRight('/admin/lead-settings')).toBe('admin');
    expect(pageRight('/leads')).toBeUndefined();
    expect(pageRight('/admin/users')).toBeUndefined();
    expect(pageRight('/rulesx')).toBeUndefined();
  });

  it('lets admins and holders in, keeps others out', () => {
    expect(mayOpen('/admin/explain', false, holds('leads.read'))).toBe(false);
    expect(mayOpen('/admin/explain', false, holds('access.manage'))).toBe(true);
    expect(mayOpen('/admin/explain', true, holds())).toBe(true);
    expect(mayOpen('/workbench', false, holds('team.stream'))).toBe(true);
    expect(mayOpen('/admin/documents', false, holds('notify.manage'))).toBe(true);
    expect(mayOpen('/admin/lead-settings', false, holds('*'))).toBe(false);
    expect(mayOpen('/today', false, holds())).toBe(true);
  });

  it('keeps a role without lead rights out of the 公海, the dashboard and quick entry', () => {
    const noLeads = (entity: string) => entity !== 'leads';
    const readOnly = (_: string, action: string) => action === 'read';
    expect(pageRight('/pool')).toEqual({ entity: 'leads', action: 'read' });
    expect(mayOpen('/pool', false, holds(), noLeads)).toBe(false);
    expect(mayOpen('/dashboard', false, holds(), noLeads)).toBe(false);
    expect(mayOpen('/leads/quick', false, holds(), readOnly)).toBe(false);
    expect(mayOpen('/pool', false, holds(), readOnly)).toBe(true);
    expect(mayOpen('/leads', false, holds(), noLeads)).toBe(true); // the list says so itself
  });
});
