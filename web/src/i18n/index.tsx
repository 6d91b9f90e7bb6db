import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { LOCALES, messages, isMessageKey, type Locale, type MessageKey } from './messages';
import { setApiLocale } from '../api/client';

export type { Locale, MessageKey } from './messages';

const STORAGE_KEY = 'govproj.locale';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  } catch {
    // storage unavailable (private mode): fall back to the default
  }
  return 'zh-CN';
}

function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(messages[locale][key], params);
}

function applyLocale(locale: Locale): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  setApiLocale(locale);
  document.documentElement.lang = locale;
  document.title = messages[locale]['app.title'];
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** Translates a key built at run time (e.g. from server enums); falls back to `fallback`. */
  tx: (key: string, fallback?: string) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

const initialLocale = readStoredLocale();
applyLocale(initialLocale);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((next: Locale) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // ignore: the choice then lasts for this page only
    }
    applyLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    applyLocale(locale);
  }, [locale]);

  const value = useMemo<I18nValue>(() => {
    const t: Translate = (key, params) => translate(locale, key, params);
    const tx = (key: string, fallback?: string) => (isMessageKey(key) ? messages[locale][key] : (fallback ?? key));
    return { locale, setLocale, t, tx };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** The translate function of the current locale. */
export function useT(): Translate {
  return useI18n().t;
}

export function useLocale() {
  const { locale, setLocale, tx } = useI18n();
  return { locale, setLocale, tx };
}
