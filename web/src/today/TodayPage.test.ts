import { describe, expect, it } from 'vitest';
import { myOpenTasksLink } from './TodayPage';

describe('全部待办 link', () => {
  it('opens my open tasks, soonest first, in the task list', () => {
    expect(myOpenTasksLink('U1')).toBe('/tasks?owner_id[in]=U1&status[in]=open&sort=due_at');
    expect(myOpenTasksLink(undefined)).toBe('/tasks?status[in]=open&sort=due_at');
  });
});
