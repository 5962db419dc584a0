// The three-color funnel badge (三色漏斗): red = 红色高意向, yellow = 黄色培育, green = 绿色低意向.
// The label comes from the schema option when given; the built-in wording is only a fallback.
import type { Lang } from '../i18n/I18nProvider';

export type FunnelColor = 'red' | 'yellow' | 'green';

const SWATCH: Record<FunnelColor, { dot: string; bg: string; fg: string }> = {
  red: { dot: '#dc2626', bg: '#fef2f2', fg: '#991b1b' },
  yellow: { dot: '#d97706', bg: '#fffbeb', fg: '#92400e' },
  green: { dot: '#16a34a', bg: '#f0fdf4', fg: '#166534' },
};

const FALLBACK: Record<FunnelColor, { zh: string; en: string }> = {
  red: { zh: '红色高意向', en: 'Red · high intent' },
  yellow: { zh: '黄色培育', en: 'Yellow · nurture' },
  green: { zh: '绿色低意向', en: 'Green · low intent' },
};

export function isFunnelColor(v: unknown): v is FunnelColor {
  return v === 'red' || v === 'yellow' || v === 'green';
}

export interface ColorBadgeProps {
  value: string | null | undefined;
  /** Label from the schema option, in the UI language. */
  label?: string;
  lang?: Lang;
  /** Only the dot, with the label as tooltip (narrow cells). */
  compact?: boolean;
}

export function ColorBadge({ value, label, lang = 'zh', compact = false }: ColorBadgeProps) {
  if (!isFunnelColor(value)) return value ? <span>{label ?? value}</span> : null;
  const s = SWATCH[value];
  const text = label || FALLBACK[value][lang];
  return (
    <span
      className={`lf-color-badge lf-color-${value}`}
      data-color={value}
      title={text}
      aria-label={text}
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        gap: 6,
        padding: compact ? 0 : '1px 8px',
        borderRadius: 999,
        background: compact ? 'transparent' : s.bg,
        color: s.fg,
        fontSize: 12,
        lineHeight: '20px',
        whiteSpace: 'nowrap',
      }}
    >
      <span aria-hidden style={{ width: 8, height: 8, borderRadius: '50%', background: s.dot, flex: 'none' }} />
      {compact ? null : text}
    </span>
  );
}
