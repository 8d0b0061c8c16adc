import { describe, expect, test } from 'vitest';
import {
  analysisBounds, cityDayEnd, cityStamp, compstatParams, compstatUrls, defaultSettings, hotspotParams, hotspotUrl, mapExportName,
  parseOptionalNumber, settingProblems, type HotspotSettings,
} from './model';

const now = Date.parse('2026-11-25T22:57:42.123Z');
const minute = Date.parse('2026-11-25T22:57:00Z');
const day = 86_400_000;

function settings(update: Partial<HotspotSettings> = {}): HotspotSettings {
  return { ...defaultSettings, ...update };
}

describe('analysis period', () => {
  test('a rolling dashboard window starts on a whole minute and stays open-ended', () => {
    expect(analysisBounds('dashboard', { preset: '24h' }, now)).toEqual({ from: minute - day, to: null });
    expect(analysisBounds('dashboard', { preset: '1h' }, now)).toEqual({ from: minute - 3_600_000, to: null });
  });

  test('a custom dashboard window is used exactly', () => {
    const custom = { preset: 'custom' as const, from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-08T00:00:00Z') };
    expect(analysisBounds('dashboard', custom, now)).toEqual({ from: custom.from, to: custom.to });
  });

  test('the panel\'s own periods ignore the dashboard window', () => {
    expect(analysisBounds('7d', { preset: '1h' }, now)).toEqual({ from: minute - 7 * day, to: null });
    expect(analysisBounds('365d', { preset: 'custom', from: 0, to: 1 }, now)).toEqual({ from: minute - 365 * day, to: null });
  });

  test('requests within the same minute are identical (the server answers them from its cache)', () => {
    const b1 = analysisBounds('dashboard', { preset: '7d' }, minute + 1_000);
    const b2 = analysisBounds('dashboard', { preset: '7d' }, minute + 59_000);
    expect(hotspotUrl(settings(), b1)).toBe(hotspotUrl(settings(), b2));
  });
});

describe('hotspot queries', () => {
  const b = { from: Date.parse('2026-11-18T22:57:00Z'), to: null };

  test('Gi* with the defaults sends only the period, the grid and the FDR choice', () => {
    expect(hotspotParams(settings(), b)).toEqual({ from: '2026-11-18T22:57:00Z', grid: 'hex', fdr: 'true' });
    expect(hotspotUrl(settings(), b)).toBe('/api/hotspots/gistar?from=2026-11-18T22%3A57%3A00Z&grid=hex&fdr=true');
  });

  test('a fixed end, categories (sorted), cell size and band are sent', () => {
    const params = hotspotParams(settings({ categories: ['robbery', 'burglary'], cellM: 300, bandM: 450, fdr: false }),
      { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-08T00:00:00Z') });
    expect(params).toEqual({
      from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z', category: 'burglary,robbery', grid: 'hex', cell_m: '300', band_m: '450', fdr: 'false',
    });
  });

  test('districts need neither cell size nor band', () => {
    const params = hotspotParams(settings({ method: 'lisa', grid: 'districts', cellM: 300, bandM: 450 }), b);
    expect(params).toEqual({ from: '2026-11-18T22:57:00Z', grid: 'districts' });
  });

  test('emerging sends its time steps; density its kernel, raster, bandwidth and weighting', () => {
    expect(hotspotParams(settings({ method: 'emerging', steps: 8, stepDays: 14 }), b))
      .toEqual({ from: '2026-11-18T22:57:00Z', grid: 'hex', steps: '8', step_days: '14' });
    expect(hotspotParams(settings({ method: 'density', kernel: 'gaussian', densityCellM: 100, bandwidthM: 800, weight: 'severity' }), b))
      .toEqual({ from: '2026-11-18T22:57:00Z', kernel: 'gaussian', cell_m: '100', bandwidth_m: '800', weight: 'severity' });
    expect(hotspotUrl(settings({ method: 'density' }), b)).toBe('/api/hotspots/density?from=2026-11-18T22%3A57%3A00Z&kernel=quartic&weight=none');
  });
});

describe('severity and spatial weights', () => {
  const b = { from: Date.parse('2026-11-18T22:57:00Z'), to: null };

  test('a minimum severity is sent for every method; all severities sends nothing', () => {
    expect(hotspotParams(settings({ minSeverity: 3 }), b)).toEqual({ from: '2026-11-18T22:57:00Z', min_severity: '3', grid: 'hex', fdr: 'true' });
    expect(hotspotParams(settings({ method: 'density', minSeverity: 4 }), b).min_severity).toBe('4');
    expect(hotspotParams(settings({ minSeverity: 1 }), b).min_severity).toBeUndefined();
  });

  test('k nearest neighbours send k and no band; contiguity neither', () => {
    expect(hotspotParams(settings({ weights: 'knn', k: 6, bandM: 400, transform: 'row' }), b))
      .toEqual({ from: '2026-11-18T22:57:00Z', grid: 'hex', weights: 'knn', k: '6', transform: 'row', fdr: 'true' });
    expect(hotspotParams(settings({ method: 'lisa', grid: 'square', weights: 'contiguity', bandM: 400, transform: 'binary' }), b))
      .toEqual({ from: '2026-11-18T22:57:00Z', grid: 'square', weights: 'contiguity', transform: 'binary' });
  });

  test('districts with a distance band send the band; emerging never sends a transform', () => {
    expect(hotspotParams(settings({ grid: 'districts', weights: 'distance', bandM: 3000 }), b))
      .toEqual({ from: '2026-11-18T22:57:00Z', grid: 'districts', weights: 'distance', band_m: '3000', fdr: 'true' });
    expect(hotspotParams(settings({ method: 'emerging', transform: 'row' }), b).transform).toBeUndefined();
  });

  test('the band districts need, and k\'s range', () => {
    expect(settingProblems(settings({ grid: 'districts', weights: 'distance' })).map((p) => p.message)).toEqual(['hotspots.invalid.districtBand']);
    expect(settingProblems(settings({ grid: 'districts', weights: 'distance', bandM: 3000 }))).toEqual([]);
    expect(settingProblems(settings({ weights: 'knn', k: 0 })).map((p) => p.field)).toEqual(['k']);
    expect(settingProblems(settings({ weights: 'knn', k: 51 })).map((p) => p.field)).toEqual(['k']);
    expect(settingProblems(settings({ weights: 'knn', k: 8, bandM: 1 }))).toEqual([]); // the band does not apply
  });
});

describe('validation (the server\'s ranges)', () => {
  test('defaults are valid for every method', () => {
    for (const method of ['density', 'gistar', 'lisa', 'emerging'] as const) expect(settingProblems(settings({ method }))).toEqual([]);
  });

  test('cell size, band relative to the cell, and the method\'s default cell', () => {
    expect(settingProblems(settings({ cellM: 40 })).map((p) => p.field)).toEqual(['cellM']);
    expect(settingProblems(settings({ cellM: 5001 })).map((p) => p.field)).toEqual(['cellM']);
    expect(settingProblems(settings({ bandM: 200 })).map((p) => p.field)).toEqual(['bandM']); // below the default cell of 250
    expect(settingProblems(settings({ bandM: 5000 }))).toEqual([]);
    expect(settingProblems(settings({ bandM: 5001 })).map((p) => p.field)).toEqual(['bandM']);
    expect(settingProblems(settings({ method: 'emerging', bandM: 400 })).map((p) => p.field)).toEqual(['bandM']); // emerging: 500 m
    expect(settingProblems(settings({ grid: 'districts', cellM: 1, bandM: 1 }))).toEqual([]);
  });

  test('density ranges, emerging steps, and unparsable numbers', () => {
    expect(settingProblems(settings({ method: 'density', densityCellM: 5, bandwidthM: 30_000 })).map((p) => p.field)).toEqual(['densityCellM', 'bandwidthM']);
    expect(settingProblems(settings({ method: 'emerging', steps: 3, stepDays: 1.5 })).map((p) => p.field)).toEqual(['steps', 'stepDays']);
    expect(settingProblems(settings({ cellM: parseOptionalNumber('abc') })).map((p) => p.message)).toEqual(['hotspots.invalid.cell']);
    expect(parseOptionalNumber('  ')).toBeNull();
    expect(parseOptionalNumber('250')).toBe(250);
  });
});

describe('CompStat queries', () => {
  test('the last day is inclusive: the period ends at the next city midnight', () => {
    expect(cityDayEnd('2026-11-25')).toBe('2026-11-25T16:00:00Z');
    expect(cityDayEnd('2026-12-31')).toBe('2026-12-31T16:00:00Z');
    expect(cityDayEnd('25.11.2026')).toBeNull();
  });

  test('the table and the CSV export share the query', () => {
    expect(compstatParams({ days: 28, lastDay: '', minSeverity: 1 })).toEqual({ days: '28' });
    // "major criminal cases": severity 3 and 4
    expect(compstatParams({ days: 28, lastDay: '', minSeverity: 3 })).toEqual({ days: '28', min_severity: '3' });
    const urls = compstatUrls({ days: 7, lastDay: '2026-11-20', minSeverity: 1 });
    expect(urls.json).toBe('/api/hotspots/compstat?days=7&end=2026-11-20T16%3A00%3A00Z');
    expect(urls.csv).toBe('/api/hotspots/compstat.csv?days=7&end=2026-11-20T16%3A00%3A00Z');
  });
});

describe('exported file names', () => {
  test('name the method and when the result was computed, in city time', () => {
    expect(cityStamp('2026-11-25T22:57:05.871Z')).toBe('2026-11-26-0657');
    expect(mapExportName('gistar', '2026-11-25T22:57:05.871978Z')).toBe('situationmap-hotspots-gistar-2026-11-26-0657.png');
    expect(mapExportName('density', Date.parse('2026-01-01T00:00:00Z'))).toBe('situationmap-hotspots-density-2026-01-01-0800.png');
  });
});
