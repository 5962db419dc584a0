// Phone numbers come back from the server normalised to E.164 ("+8613800138000"). These helpers
// show them the way people read them ("+86 138 0013 8000") and tell, while someone types, whether
// a number is complete enough to be worth a duplicate check. Pure functions.

/** Two-digit mainland area codes (Beijing 10, 20–29); the others have three digits. */
const CN_TWO_DIGIT_AREA = /^(10|2\d)/;

function group(digits: string, sizes: number[]): string {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + n));
    at += n;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.join(' ');
}

/**
 * A readable form of an E.164 number: "+86 138 0013 8000" (mobile), "+86 10 8888 6666" /
 * "+86 571 8888 6666" (landlines), "+852 9123 4567", "+1 202 555 0123". Anything that is not
 * E.164 (older data, extensions) is returned unchanged.
 */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '';
  const v = value.trim();
  if (!/^\+\d{6,15}$/.test(v)) return value;
  const d = v.slice(1);
  if (d.startsWith('86')) {
    const n = d.slice(2);
    if (/^1\d{10}$/.test(n)) return `+86 ${group(n, [3, 4, 4])}`;
    const area = CN_TWO_DIGIT_AREA.test(n) ? 2 : 3;
    const local = n.slice(area);
    return `+86 ${n.slice(0, area)} ${local.length === 8 ? group(local, [4, 4]) : group(local, [3, 4])}`.trim();
  }
  if (/^(852|853)\d{8}$/.test(d)) return `+${d.slice(0, 3)} ${group(d.slice(3), [4, 4])}`;
  if (/^886\d{9}$/.test(d)) return `+886 ${group(d.slice(3), [3, 3, 3])}`;
  if (/^1\d{10}$/.test(d)) return `+1 ${group(d.slice(1), [3, 3, 4])}`;
  return v;
}

/** The digits of what was typed (a leading + kept), for comparisons and checks. */
export function phoneDigits(typed: string): string {
  const t = typed.trim();
  return (t.startsWith('+') ? '+' : '') + t.replace(/\D/g, '');
}

/**
 * Whether a typed phone is complete enough to check for duplicates: a mainland mobile (starts
 * with 1, no country code) needs all 11 digits; anything else at least 7 digits.
 */
export function isCheckablePhone(typed: string): boolean {
  const p = phoneDigits(typed);
  const digits = p.replace('+', '');
  if (!p.startsWith('+') && digits.startsWith('1')) return digits.length === 11;
  if (p.startsWith('+86') && digits.slice(2).startsWith('1')) return digits.length === 13;
  return digits.length >= 7 && digits.length <= 15;
}
