// Language state for the whole UI: zh (default) or en, remembered in localStorage. Provides t()
// for the UI's own strings and label() for server-provided {label_zh,label_en} pairs. The API
// client is told the language so errors come back in it (Accept-Language).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages';
import { setApiLanguage } from '../api/client';

export type Lang = 'zh' | 'en';

export interface Labelled {
  label_zh?: string;
  label_en?: string;
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** The UI string for `key` in the current language, with {name} placeholders filled from vars. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** The label of a schema object in the current language, falling back to the other one. */
  label: (obj: Labelled | undefined, fallback?: string) => string;
}

const STORAGE_KEY = 'lf.lang';

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = (lang === 'en' ? en : zh)[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function pickLabel(lang: Lang, obj: Labelled | undefined, fallback = ''): string {
  if (!obj) return fallback;
  const first = lang === 'en' ? obj.label_en : obj.label_zh;
  const second = lang === 'en' ? obj.label_zh : obj.label_en;
  return first || second || fallback;
}

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    /* storage blocked: use the default */
  }
  return 'zh';
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? initialLang());
  // The API language must be right before the first request, not after the first effect.
  setApiLanguage(lang === 'en' ? 'en' : 'zh-CN');
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* ignore */
    }
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      label: (obj, fallback) => pickLabel(lang, obj, fallback),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
