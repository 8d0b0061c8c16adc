import { describe, expect, test } from 'vitest';
import type { CompStatRow, CompStatTable } from '../api/hotspots';
import { chartSeries, districtsOf, orderRows, periods, visibleRows, vsLastYear, vsPrevious } from './compstat';

function row(district: string | null, category: string | null, current: number, previous: number, lastYear = 0, significant = false): CompStatRow {
  return {
    district, district_name: district, category, current, previous, same_last_year: lastYear,
    change_vs_previous_percent: previous ? Math.round(((current - previous) / previous) * 1000) / 10 : null,
    p_vs_previous: significant ? 0.001 : 0.5, significant_vs_previous: significant,
    change_vs_last_year_percent: lastYear ? Math.round(((current - lastYear) / lastYear) * 1000) / 10 : null,
    p_vs_last_year: 0, significant_vs_last_year: lastYear === 0 && current > 0,
  };
}

// as the server sends them: district × category, then district totals, then category totals, then the grand total
const table: CompStatTable = {
  start: '2026-10-28T16:00:00Z', end: '2026-11-25T16:00:00Z', days: 28, alpha: 0.05, computed_at: '2026-11-25T22:57:11Z', severities: null,
  rows: [
    row('YQ', 'traffic', 40, 50),
    row('BS', 'violent', 10, 20, 0, true),
    row('BS', 'burglary', 5, 5),
    row('YQ', null, 400, 500, 0, true),
    row('BS', null, 100, 90),
    row(null, 'violent', 30, 40),
    row(null, 'burglary', 12, 10),
    row(null, null, 500, 590, 0, true),
  ],
};

describe('CompStat table', () => {
  test('city rows first, then districts by code; each group\'s total before its categories (vocabulary order)', () => {
    expect(orderRows(table.rows).map((r) => `${r.district ?? 'city'}/${r.category ?? 'total'}`)).toEqual([
      'city/total', 'city/violent', 'city/burglary', 'BS/total', 'BS/violent', 'BS/burglary', 'YQ/total', 'YQ/traffic',
    ]);
  });

  test('filters by district and category, or keeps only totals', () => {
    const key = (rows: CompStatRow[]): string[] => rows.map((r) => `${r.district ?? 'city'}/${r.category ?? 'total'}`);
    expect(key(visibleRows(table, { district: 'BS', category: '*' }))).toEqual(['BS/total', 'BS/violent', 'BS/burglary']);
    expect(key(visibleRows(table, { district: '*', category: 'total' }))).toEqual(['city/total', 'BS/total', 'YQ/total']);
    expect(key(visibleRows(table, { district: 'total', category: 'violent' }))).toEqual(['city/violent']);
    expect(visibleRows(table, { district: '*', category: '*' })).toHaveLength(8);
    expect(districtsOf(table)).toEqual(['BS', 'YQ']);
  });

  test('a change reads up or down, significant only when the server says so and the counts differ', () => {
    expect(vsPrevious(row('BS', 'violent', 10, 20, 0, true))).toEqual({ direction: 'down', percent: -50, significant: true, p: 0.001 });
    expect(vsPrevious(row('BS', 'violent', 12, 10))).toMatchObject({ direction: 'up', percent: 20, significant: false });
    // no incidents a year earlier: no percentage, but the direction is still known
    expect(vsLastYear(row('BS', null, 100, 90, 0))).toMatchObject({ direction: 'up', percent: null, significant: true });
    expect(vsLastYear({ ...row('BS', null, 5, 5, 5), significant_vs_last_year: true })).toMatchObject({ direction: 'same', significant: false });
  });

  test('the chart shows one category (or the totals) per district', () => {
    expect(chartSeries(table, null)).toEqual({ districts: ['BS', 'YQ'], current: [100, 400], previous: [90, 500], lastYear: [0, 0], significant: [false, true] });
    expect(chartSeries(table, 'violent')).toEqual({ districts: ['BS'], current: [10], previous: [20], lastYear: [0], significant: [true] });
  });

  test('the periods compared: this one, the one before of the same length, and a year earlier', () => {
    const p = periods(table);
    expect(p.current.map((t) => new Date(t).toISOString())).toEqual(['2026-10-28T16:00:00.000Z', '2026-11-25T16:00:00.000Z']);
    expect(p.previous.map((t) => new Date(t).toISOString())).toEqual(['2026-09-30T16:00:00.000Z', '2026-10-28T16:00:00.000Z']);
    expect(p.lastYear.map((t) => new Date(t).toISOString())).toEqual(['2025-10-28T16:00:00.000Z', '2025-11-25T16:00:00.000Z']);
    const leap = periods({ start: '2028-02-01T00:00:00Z', end: '2028-02-29T00:00:00Z', days: 28 });
    expect(new Date(leap.lastYear[1]).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });
});
