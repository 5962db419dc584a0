// The current time, re-read every `ms` (default a minute), for "waiting 5.2 h" style figures.
import { useEffect, useState } from 'react';

export function useNow(ms = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(h);
  }, [ms]);
  return now;
}
