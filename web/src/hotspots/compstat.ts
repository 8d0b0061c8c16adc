// CompStat as the panel shows it: the server's rows (district × category, with district, category and city totals)
// ordered city first, each district's total before its categories; filtered by district and category; the chart's
// series (per district: this period, the previous one, a year ago); and how a change reads (up/down, significant). Pure.
import type { CompStatRow, CompStatTable } from '../api/hotspots';
import type { IncidentCategory } from '../api/types';
import { categories } from '../model/vocabulary';

/** Filter values: a district code or category, '*' every one, 'total' only the totals. */
export type CompStatFilter = '*' | 'total' | string;

export interface CompStatView {
  district: CompStatFilter;
  category: CompStatFilter;
}

export const defaultCompStatView: CompStatView = { district: '*', category: '*' };

function categoryRank(category: string | null): number {
  if (category === null) return -1;
  const i = categories.indexOf(category as IncidentCategory);
  return i < 0 ? categories.length : i;
}

/** City-wide rows first, then districts by code; within each, the total first, then categories in vocabulary order. */
export function orderRows(rows: readonly CompStatRow[]): CompStatRow[] {
  return [...rows].sort((a, b) => {
    if ((a.district === null) !== (b.district === null)) return a.district === null ? -1 : 1;
    const d = (a.district ?? '').localeCompare(b.district ?? '');
    if (d !== 0) return d;
    return categoryRank(a.category) - categoryRank(b.category);
  });
}

function matches(value: string | null, filter: CompStatFilter): boolean {
  if (filter === '*') return true;
  if (filter === 'total') return value === null;
  return value === filter;
}

export function visibleRows(table: CompStatTable, view: CompStatView): CompStatRow[] {
  return orderRows(table.rows).filter((r) => matches(r.district, view.district) && matches(r.category, view.category));
}

/** The district codes of a table, sorted ('' stands for incidents outside every district). */
export function districtsOf(table: CompStatTable): string[] {
  return [...new Set(table.rows.map((r) => r.district).filter((d): d is string => d !== null))].sort();
}

export type Direction = 'up' | 'down' | 'same';

export interface ChangeReading {
  direction: Direction;
  /** Percent change (null when the base period had none). */
  percent: number | null;
  significant: boolean;
  p: number;
}

export function vsPrevious(row: CompStatRow): ChangeReading {
  return reading(row.current, row.previous, row.change_vs_previous_percent, row.significant_vs_previous, row.p_vs_previous);
}

export function vsLastYear(row: CompStatRow): ChangeReading {
  return reading(row.current, row.same_last_year, row.change_vs_last_year_percent, row.significant_vs_last_year, row.p_vs_last_year);
}

function reading(current: number, base: number, percent: number | null, significant: boolean, p: number): ChangeReading {
  const direction: Direction = current > base ? 'up' : current < base ? 'down' : 'same';
  return { direction, percent, significant: significant && direction !== 'same', p };
}

export interface ChartSeries {
  /** District codes along the x axis (city-wide excluded: it would dwarf the districts). */
  districts: string[];
  current: number[];
  previous: number[];
  lastYear: number[];
  /** Whether each district's change against the previous period is significant. */
  significant: boolean[];
}

/** Per district, the counts of one category (null: all categories, the district totals). */
export function chartSeries(table: CompStatTable, category: string | null): ChartSeries {
  const rows = orderRows(table.rows).filter((r) => r.district !== null && r.category === category);
  return {
    districts: rows.map((r) => r.district!),
    current: rows.map((r) => r.current),
    previous: rows.map((r) => r.previous),
    lastYear: rows.map((r) => r.same_last_year),
    significant: rows.map((r) => vsPrevious(r).significant),
  };
}

/** The periods compared, as [start, end) instants (ms): this one, the previous one, the same one a year earlier. */
export function periods(table: Pick<CompStatTable, 'start' | 'end' | 'days'>): { current: [number, number]; previous: [number, number]; lastYear: [number, number] } {
  const start = Date.parse(table.start);
  const end = Date.parse(table.end);
  const yearEarlier = (ms: number): number => {
    const d = new Date(ms);
    const month = d.getUTCMonth();
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    if (d.getUTCMonth() !== month) d.setUTCDate(0); // 29 February → 28 February, as .NET's AddYears
    return d.getTime();
  };
  return { current: [start, end], previous: [start - (end - start), start], lastYear: [yearEarlier(start), yearEarlier(end)] };
}
