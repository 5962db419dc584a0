// True on phone-width screens (< 768 px, antd's `md` breakpoint): the shell switches to a bottom
// tab bar and lists switch from the table to cards.
import { Grid } from 'antd';

export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: decide from the window width.
  if (screens.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !screens.md;
}
