// UI strings, dates and numbers in zh-CN or en. Strings live in zh-CN.json and en.json (same keys, checked by a
// unit test); `{name}` placeholders are filled from params. Dates are shown in the city's time zone, not the
// browser's, because shifts and reports are local to the city.
import zhCN from './zh-CN.json';
import en from './en.json';

export type Locale = 'zh-CN' | 'en';
export type Messages = typeof en;
export type MessageKey = keyof Messages;

export const locales: readonly Locale[] = ['zh-CN', 'en'];
export const dictionaries: Record<Locale, Record<string, string>> = { 'zh-CN': zhCN, en };

/** The city's time zone (UTC+8, no daylight saving). */
export const cityTimeZone = 'Asia/Shanghai';

const storageKey = 'situationmap.locale';

/** zh-CN when the browser asks for Chinese first (among the two we have), else en; a saved choice wins. */
export function detectLocale(languages: readonly string[], saved: string | null): Locale {
  if (saved === 'zh-CN' || saved === 'en') return saved;
  for (const language of languages) {
    const l = language.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

type Listener = (locale: Locale) => void;

let current: Locale = 'en';
const listeners = new Set<Listener>();

export function locale(): Locale {
  return current;
}

export function setLocale(next: Locale, persist = true): void {
  current = next;
  if (persist) {
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function initLocale(): Locale {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(storageKey);
  } catch {
    saved = null;
  }
  const detected = detectLocale(navigator.languages ?? [navigator.language], saved);
  setLocale(detected, false);
  return detected;
}

export function onLocaleChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const value = params[name];
    if (value === undefined) return m;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The string for key in the current locale; a missing key shows itself (and fails the completeness test). */
export function t(key: MessageKey, params?: Record<string, string | number>, l: Locale = current): string {
  return format(dictionaries[l][key] ?? key, params);
}

/** For keys built from data (enum values): t(`category.${c}`) without a cast at every call site. */
export function tk(key: string, params?: Record<string, string | number>, l: Locale = current): string {
  return format(dictionaries[l][key] ?? key, params);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}, l: Locale = current): string {
  const key = `${l}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(l, options)));
  return f.format(value);
}

export function formatSigned(value: number, l: Locale = current): string {
  return formatNumber(value, { signDisplay: 'exceptZero' }, l);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(l: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${l}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(l, { timeZone: cityTimeZone, ...options })));
  return f;
}

export function formatDateTime(value: Date | string | number, l: Locale = current): string {
  return dateFormat(l, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(value));
}

export function formatTime(value: Date | string | number, l: Locale = current, seconds = false): string {
  return dateFormat(l, seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } : { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
}

export function formatShortDateTime(value: Date | string | number, l: Locale = current): string {
  return dateFormat(l, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
}

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();

/** "3 minutes ago" / "3分钟前", coarse units. */
export function formatRelative(value: Date | string | number, now: number = Date.now(), l: Locale = current): string {
  let f = relativeFormats.get(l);
  if (!f) relativeFormats.set(l, (f = new Intl.RelativeTimeFormat(l, { numeric: 'auto', style: 'short' })));
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return f.format(seconds, 'second');
  if (abs < 3600) return f.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return f.format(Math.round(seconds / 3600), 'hour');
  return f.format(Math.round(seconds / 86_400), 'day');
}

/** Replaces the text of every element carrying data-i18n (and data-i18n-title / -placeholder / -aria-label). */
export function translateDom(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = tk(el.dataset.i18n!);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-title]').forEach((el) => {
    el.title = tk(el.dataset.i18nTitle!);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]').forEach((el) => {
    el.setAttribute('aria-label', tk(el.dataset.i18nAriaLabel!));
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = tk(el.dataset.i18nPlaceholder!);
  });
}
