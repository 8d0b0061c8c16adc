import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { detectLocale, dictionaries, format, formatNumber, formatDateTime, locales, t, tk } from './index';
import {
  cameraKinds, cameraStatuses, categories, patrolModes, routeStatuses, statuses, unitStatuses, zoneKinds,
} from '../model/vocabulary';
import { liveLayers } from '../api/types';

const src = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$|\.d\.ts$/.test(name) ? [path] : [];
  });
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('i18n', () => {
  test('zh-CN and en have exactly the same keys', () => {
    expect(Object.keys(dictionaries['zh-CN']).sort()).toEqual(Object.keys(dictionaries.en).sort());
  });

  test('no string is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(dictionaries.en)) {
      for (const l of locales) expect(dictionaries[l][key]?.trim(), `${l} ${key}`).toBeTruthy();
      expect(placeholders(dictionaries['zh-CN'][key]!), key).toEqual(placeholders(dictionaries.en[key]!));
    }
  });

  test('the Chinese strings are Chinese (not left in English)', () => {
    const untranslated = Object.keys(dictionaries.en).filter((k) => /[a-z]{3,}/i.test(dictionaries.en[k]!)
      && dictionaries['zh-CN'][k] === dictionaries.en[k]);
    expect(untranslated).toEqual([]);
  });

  test('every value of the vocabulary has a label', () => {
    const keys = [
      ...categories.map((c) => `category.${c}`), ...statuses.map((s) => `status.${s}`), ...[1, 2, 3, 4].map((s) => `severity.${s}`),
      ...cameraKinds.map((k) => `cameraKind.${k}`), ...cameraStatuses.map((s) => `cameraStatus.${s}`),
      ...unitStatuses.map((s) => `unitStatus.${s}`), ...patrolModes.map((m) => `mode.${m}`), ...routeStatuses.map((s) => `routeStatus.${s}`),
      ...zoneKinds.map((k) => `zoneKind.${k}`), ...[1, 2, 3].map((l) => `level.${l}`), ...liveLayers.map((l) => `title.${l}`),
      ...['connecting', 'live', 'catching_up', 'reconnecting', 'offline'].map((p) => `conn.${p}`),
      ...['created', 'updated', 'deleted', 'moved', 'status_changed'].map((k) => `history.${k}`),
      ...['1h', '24h', '7d', 'custom'].map((w) => `window.${w}`),
      ...['incidents', 'cameras', 'patrol_routes', 'patrol_units', 'zones'].map((g) => `layer.${g}`),
    ];
    for (const l of locales) expect(keys.filter((k) => !(k in dictionaries[l])), l).toEqual([]);
  });

  test('every key the code and index.html use literally exists', () => {
    const used = new Set<string>();
    for (const file of sources(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]!);
    }
    for (const m of readFileSync(join(src, '..', 'index.html'), 'utf8').matchAll(/data-i18n(?:-[\w-]+)?="([\w.]+)"/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in dictionaries.en))).toEqual([]);
  });

  test('zh-CN is the default when the browser asks for Chinese first; a saved choice wins', () => {
    expect(detectLocale(['zh-CN', 'en'], null)).toBe('zh-CN');
    expect(detectLocale(['zh-TW'], null)).toBe('zh-CN');
    expect(detectLocale(['en-US', 'zh-CN'], null)).toBe('en');
    expect(detectLocale(['fr-FR', 'zh'], null)).toBe('zh-CN');
    expect(detectLocale(['fr-FR'], null)).toBe('en');
    expect(detectLocale(['zh-CN'], 'en')).toBe('en');
  });

  test('fills placeholders and localises numbers and dates in the city time zone', () => {
    expect(format('{a} of {b}', { a: 'x', b: 2 })).toBe('x of 2');
    expect(t('feed.count', { shown: 3, total: 1200 }, 'en')).toBe('3 of 1,200');
    expect(tk('category.violent', undefined, 'zh-CN')).toBe('暴力犯罪');
    expect(formatNumber(1234567, {}, 'zh-CN')).toBe('1,234,567');
    expect(formatDateTime('2026-11-25T21:07:30Z', 'en')).toBe('11/26/2026, 05:07:30');
    expect(formatDateTime('2026-11-25T21:07:30Z', 'zh-CN')).toBe('2026/11/26 05:07:30');
  });
});
