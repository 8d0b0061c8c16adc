// What the hotspots panel asks the server for: the settings a user chooses, the time window they apply to, the
// query strings of /api/hotspots/{density,gistar,lisa,emerging,compstat} built from them, their validation (the
// server's own ranges, so a request that would be refused is not sent) and the names of exported files. Pure.
import { query } from '../api/client';
import type { IncidentCategory } from '../api/types';
import { bounds, iso, type Bounds, type TimeWindow } from '../model/timeWindow';

export const methods = ['density', 'gistar', 'lisa', 'emerging'] as const;
export type HotspotMethod = (typeof methods)[number];

export const grids = ['hex', 'square', 'districts'] as const;
export type HotspotGrid = (typeof grids)[number];

export const kernels = ['quartic', 'epanechnikov', 'gaussian'] as const;
/** Spatial weights between cells; 'auto': the server's default (a distance band on grids, contiguity on districts). */
export const weightKinds = ['auto', 'distance', 'knn', 'contiguity'] as const;
export type WeightKind = (typeof weightKinds)[number];

/** 'auto': the method's own (Gi* binary, LISA row-standardised; emerging takes binary weights only). */
export const transforms = ['auto', 'binary', 'row'] as const;
export type Transform = (typeof transforms)[number];

/** Lowest severity analysed: 1 = every incident, 3 = "major cases" (3 and 4), 4 = the most severe only. */
export const severityLevels = [1, 2, 3, 4] as const;
export type Kernel = (typeof kernels)[number];

/** The analysis period: the dashboard's time window, or a rolling "last N days" of its own. */
export const windowChoices = ['dashboard', '7d', '28d', '90d', '365d'] as const;
export type WindowChoice = (typeof windowChoices)[number];

const dayMs = 86_400_000;
const choiceDays: Record<Exclude<WindowChoice, 'dashboard'>, number> = { '7d': 7, '28d': 28, '90d': 90, '365d': 365 };

export interface HotspotSettings {
  method: HotspotMethod;
  window: WindowChoice;
  /** Empty: every category. */
  categories: IncidentCategory[];
  /** Only incidents of at least this severity (1: all; sent as min_severity). */
  minSeverity: number;
  // cell methods (Gi*, LISA, emerging)
  grid: HotspotGrid;
  /** Cell size in metres; null: the server's default for the method (250 m, emerging 500 m). */
  cellM: number | null;
  /** Distance band in metres; null: the server's default (the adjacent cells). Districts need one with weights 'distance'. */
  bandM: number | null;
  weights: WeightKind;
  /** k nearest neighbours (weights 'knn'), 1–50. */
  k: number;
  transform: Transform;
  /** Gi*: Benjamini–Hochberg false discovery rate correction. */
  fdr: boolean;
  /** Emerging: number of time steps and their length in days, ending at the window's end. */
  steps: number;
  stepDays: number;
  // density
  kernel: Kernel;
  /** Raster cell in metres (null: 50 m). */
  densityCellM: number | null;
  /** Bandwidth in metres (null: Silverman's rule, as ArcGIS). */
  bandwidthM: number | null;
  weight: 'none' | 'severity';
}

export const defaultSettings: HotspotSettings = {
  method: 'gistar',
  window: 'dashboard',
  categories: [],
  minSeverity: 1,
  grid: 'hex',
  cellM: null,
  bandM: null,
  weights: 'auto',
  k: 8,
  transform: 'auto',
  fdr: true,
  steps: 12,
  stepDays: 7,
  kernel: 'quartic',
  densityCellM: null,
  bandwidthM: null,
  weight: 'none',
};

/** The server's defaults (HotspotsApi.cs), shown as placeholders. */
export const serverDefaults = {
  cellM: { gistar: 250, lisa: 250, emerging: 500 } as Record<Exclude<HotspotMethod, 'density'>, number>,
  densityCellM: 50,
};

function floorMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/**
 * The period to analyse at `now`. Rolling windows start on a whole minute and stay open-ended (the server ends them
 * at the current minute), so that requests within a minute are answered from the server's cache — and the last
 * 7 days are exactly the view the server precomputes when incidents change.
 */
export function analysisBounds(choice: WindowChoice, dashboard: TimeWindow, now: number): Bounds {
  if (choice !== 'dashboard') return { from: floorMinute(now) - choiceDays[choice] * dayMs, to: null };
  if (dashboard.preset === 'custom') return bounds(dashboard, now);
  return { from: floorMinute(bounds(dashboard, now).from), to: null };
}

export type QueryParams = Record<string, string>;

function selection(settings: HotspotSettings, b: Bounds): QueryParams {
  const params: QueryParams = { from: iso(b.from) };
  if (b.to !== null) params.to = iso(b.to);
  if (settings.categories.length) params.category = [...settings.categories].sort().join(',');
  if (settings.minSeverity > 1) params.min_severity = String(settings.minSeverity);
  return params;
}

/** The weights the server will use: 'auto' is a distance band on grids and contiguity on districts. */
export function effectiveWeights(s: Pick<HotspotSettings, 'weights' | 'grid'>): Exclude<WeightKind, 'auto'> {
  if (s.weights !== 'auto') return s.weights;
  return s.grid === 'districts' ? 'contiguity' : 'distance';
}

/** The query of the method's endpoint; values left to the server's defaults are not sent. */
export function hotspotParams(settings: HotspotSettings, b: Bounds): QueryParams {
  const params = selection(settings, b);
  if (settings.method === 'density') {
    params.kernel = settings.kernel;
    if (settings.densityCellM !== null) params.cell_m = String(settings.densityCellM);
    if (settings.bandwidthM !== null) params.bandwidth_m = String(settings.bandwidthM);
    params.weight = settings.weight;
    return params;
  }
  params.grid = settings.grid;
  if (settings.grid !== 'districts' && settings.cellM !== null) params.cell_m = String(settings.cellM);
  if (settings.weights !== 'auto') params.weights = settings.weights;
  const weights = effectiveWeights(settings);
  if (weights === 'distance' && settings.bandM !== null) params.band_m = String(settings.bandM);
  if (weights === 'knn') params.k = String(settings.k);
  if (settings.transform !== 'auto' && settings.method !== 'emerging') params.transform = settings.transform;
  if (settings.method === 'gistar') params.fdr = String(settings.fdr);
  if (settings.method === 'emerging') {
    params.steps = String(settings.steps);
    params.step_days = String(settings.stepDays);
  }
  return params;
}

export function hotspotUrl(settings: HotspotSettings, b: Bounds): string {
  return `/api/hotspots/${settings.method}${query(hotspotParams(settings, b))}`;
}

/** A setting outside the server's range: the field and the i18n key of the message. */
export interface SettingProblem {
  field: 'cellM' | 'bandM' | 'densityCellM' | 'bandwidthM' | 'steps' | 'stepDays' | 'k';
  message: 'hotspots.invalid.cell' | 'hotspots.invalid.band' | 'hotspots.invalid.densityCell' | 'hotspots.invalid.bandwidth'
    | 'hotspots.invalid.steps' | 'hotspots.invalid.stepDays' | 'hotspots.invalid.districtBand' | 'hotspots.invalid.k';
}

const between = (v: number, min: number, max: number): boolean => Number.isFinite(v) && v >= min && v <= max;

/** The same ranges as HotspotsApi.cs: nothing is sent that the server would refuse. */
export function settingProblems(s: HotspotSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  if (s.method === 'density') {
    if (s.densityCellM !== null && !between(s.densityCellM, 10, 1000)) problems.push({ field: 'densityCellM', message: 'hotspots.invalid.densityCell' });
    if (s.bandwidthM !== null && !between(s.bandwidthM, 10, 20_000)) problems.push({ field: 'bandwidthM', message: 'hotspots.invalid.bandwidth' });
    return problems;
  }
  const weights = effectiveWeights(s);
  if (s.grid !== 'districts') {
    const cell = s.cellM ?? serverDefaults.cellM[s.method];
    if (!between(cell, 50, 5000)) problems.push({ field: 'cellM', message: 'hotspots.invalid.cell' });
    if (weights === 'distance' && s.bandM !== null && !between(s.bandM, cell, cell * 20)) problems.push({ field: 'bandM', message: 'hotspots.invalid.band' });
  } else if (weights === 'distance' && (s.bandM === null || !between(s.bandM, 100, 100_000))) {
    problems.push({ field: 'bandM', message: 'hotspots.invalid.districtBand' });
  }
  if (weights === 'knn' && (!Number.isInteger(s.k) || !between(s.k, 1, 50))) problems.push({ field: 'k', message: 'hotspots.invalid.k' });
  if (s.method === 'emerging') {
    if (!Number.isInteger(s.steps) || !between(s.steps, 4, 104)) problems.push({ field: 'steps', message: 'hotspots.invalid.steps' });
    if (!Number.isInteger(s.stepDays) || !between(s.stepDays, 1, 31)) problems.push({ field: 'stepDays', message: 'hotspots.invalid.stepDays' });
  }
  return problems;
}

/** A number field's value: empty means "the server's default" (null); anything else must parse. */
export function parseOptionalNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

// ---- CompStat ----------------------------------------------------------------------------------------------------

export const compstatPeriods = [7, 14, 28, 91] as const;

export interface CompStatSettings {
  /** Length of the period in days. */
  days: number;
  /** The period's last day (city date, yyyy-mm-dd, inclusive); '' = up to today (the server's default end). */
  lastDay: string;
  /** Only incidents of at least this severity (1: all; 3: major cases). */
  minSeverity: number;
}

export const defaultCompStat: CompStatSettings = { days: 28, lastDay: '', minSeverity: 1 };

const cityOffsetMs = 8 * 3_600_000;

/** The instant a city day ends (the next midnight, UTC+8) as the server's `end`: '2026-11-25' → '2026-11-25T16:00:00Z'. */
export function cityDayEnd(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) - cityOffsetMs;
  return Number.isFinite(ms) ? iso(ms) : null;
}

export function compstatParams(c: CompStatSettings): QueryParams {
  const params: QueryParams = { days: String(c.days) };
  const end = c.lastDay ? cityDayEnd(c.lastDay) : null;
  if (end) params.end = end;
  if (c.minSeverity > 1) params.min_severity = String(c.minSeverity);
  return params;
}

/** The table (JSON) and its CSV export share one query. */
export function compstatUrls(c: CompStatSettings): { json: string; csv: string } {
  const q = query(compstatParams(c));
  return { json: `/api/hotspots/compstat${q}`, csv: `/api/hotspots/compstat.csv${q}` };
}

// ---- exported files ------------------------------------------------------------------------------------------------

/** City time as yyyy-mm-dd-hhmm, for file names (UTC+8, no daylight saving). */
export function cityStamp(value: string | number): string {
  const d = new Date(new Date(value).getTime() + cityOffsetMs).toISOString();
  return `${d.slice(0, 10)}-${d.slice(11, 13)}${d.slice(14, 16)}`;
}

/** situationmap-hotspots-gistar-2026-11-26-0657.png — the method and when the result was computed (city time). */
export function mapExportName(method: HotspotMethod, computedAt: string | number): string {
  return `situationmap-hotspots-${method}-${cityStamp(computedAt)}.png`;
}
