import { describe, expect, test } from 'vitest';
import { bounds, contains, iso, shiftStart, tileBounds } from './timeWindow';

const now = Date.parse('2026-11-25T21:07:30Z');

describe('time window', () => {
  test('rolling presets end now and are open-ended', () => {
    expect(bounds({ preset: '1h' }, now)).toEqual({ from: now - 3_600_000, to: null });
    expect(bounds({ preset: '7d' }, now).from).toBe(now - 7 * 86_400_000);
  });

  test('custom windows keep their bounds', () => {
    const b = bounds({ preset: 'custom', from: 1000, to: 5000 }, now);
    expect(b).toEqual({ from: 1000, to: 5000 });
    expect(contains(b, 1000)).toBe(true);
    expect(contains(b, 5000)).toBe(false);
  });

  test('tile bounds are rounded down to 5 minutes so tile URLs stay cacheable', () => {
    expect(iso(tileBounds({ preset: '24h' }, now).from)).toBe('2026-11-24T21:05:00Z');
    expect(tileBounds({ preset: '24h' }, now + 60_000)).toEqual(tileBounds({ preset: '24h' }, now));
  });

  test('shifts start at 08:00 and 20:00 city time (UTC+8)', () => {
    // 21:07Z is 05:07 on the 26th in the city: the night shift began at 20:00 city time = 12:00Z
    expect(iso(shiftStart(now))).toBe('2026-11-25T12:00:00Z');
    // 01:00Z is 09:00 city time: the day shift began at 08:00 = 00:00Z
    expect(iso(shiftStart(Date.parse('2026-11-26T01:00:00Z')))).toBe('2026-11-26T00:00:00Z');
    // 23:30Z on the 25th is 07:30 on the 26th city time: still the night shift from 20:00 on the 25th
    expect(iso(shiftStart(Date.parse('2026-11-25T23:30:00Z')))).toBe('2026-11-25T12:00:00Z');
    expect(iso(shiftStart(Date.parse('2026-11-26T00:00:00Z')))).toBe('2026-11-26T00:00:00Z');
  });
});
