// What the Patrol & Dispatch panel shows and how: ETAs and distances as a dispatcher reads them, stale positions, the
// server's reasons for unranked units turned into i18n keys, who may assign, the response bands in drawing order and
// their share tables, routes grouped by level with their shift state, a suggestion turned into a route feature, dosage
// classes, and a throttle for live refreshes. Pure: no DOM, no requests.
import type {
  DispatchCandidate, DispatchOptions, DistrictResponseShares, NewRouteFeature, PatrolDosage, PatrolLevel, ResponseBand,
  ResponseCoverage, RouteOverview, RouteSuggestion, ShiftWindow,
} from '../api/patrol';
import type { IncidentStatus, PatrolMode } from '../api/types';
import type { Permission } from '../auth/session';
import { openStatuses } from '../model/vocabulary';

// ---- dispatch -------------------------------------------------------------------------------------------------------

/** A unit whose last position is older than this (seconds) is shown as stale: its ETA may be wrong. */
export const staleAfterS = 600;

/** How many of the first ranked units get their route drawn (?routes=). */
export const routeLines = 5;

/** ETA as m:ss ("4:05"); an hour or more as h:mm:ss; null → "—". Rounded to the second. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Distance in km with one decimal (two below 1 km), e.g. "2.4 km", "0.35 km"; null → "—". */
export function formatKm(metres: number | null | undefined, format: (v: number, o: Intl.NumberFormatOptions) => string = defaultFormat): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return '—';
  const km = metres / 1000;
  const digits = km < 1 ? 2 : 1;
  return `${format(km, { minimumFractionDigits: digits, maximumFractionDigits: digits })} km`;
}

function defaultFormat(v: number, o: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat('en', o).format(v);
}

/** Position age as a dispatcher reads it: "45 s", "3 min", "2 h"; null → null (never reported). */
export function positionAge(seconds: number | null | undefined): { value: number; unit: 's' | 'min' | 'h' } | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { value: s, unit: 's' };
  if (s < 3600) return { value: Math.floor(s / 60), unit: 'min' };
  return { value: Math.floor(s / 3600), unit: 'h' };
}

export function isStale(c: Pick<DispatchCandidate, 'position_age_s'>): boolean {
  return c.position_age_s === null || c.position_age_s > staleAfterS;
}

export function isOpenIncident(status: IncidentStatus | string | null | undefined): boolean {
  return openStatuses.includes(status as IncidentStatus);
}

/** Assigning writes the incident and the unit: both permissions (the server checks both policies). */
export function canAssign(has: (p: Permission) => boolean): boolean {
  return has('incidents:write') && has('units:write');
}

/** The server's reason for an unranked unit, as an i18n key (null: show the server's sentence). */
export function unreachableKey(reason: string | null | undefined): string | null {
  if (!reason) return null;
  if (/not reported a position/i.test(reason)) return 'patrol.unreachable.noPosition';
  if (/^the incident is more than/i.test(reason)) return 'patrol.unreachable.incidentFar';
  if (/more than .* from any road/i.test(reason)) return 'patrol.unreachable.unitFar';
  if (/no road route/i.test(reason)) return 'patrol.unreachable.noRoute';
  if (/no road network/i.test(reason)) return 'patrol.unreachable.noNetwork';
  return null;
}

/** Ranked candidates in ascending ETA (the server's order; re-sorted defensively, ties by call sign). */
export function rankedCandidates(options: Pick<DispatchOptions, 'candidates'>): DispatchCandidate[] {
  return [...options.candidates].filter((c) => c.eta_s !== null)
    .sort((a, b) => a.eta_s! - b.eta_s! || (a.call_sign < b.call_sign ? -1 : a.call_sign > b.call_sign ? 1 : 0));
}

/** The route lines to draw: the first ranked candidates with a route, the best (rank 1) emphasised. */
export function routeFeatures(candidates: readonly DispatchCandidate[], hovered: number | null = null): GeoJSON.Feature<GeoJSON.LineString>[] {
  const features: GeoJSON.Feature<GeoJSON.LineString>[] = [];
  candidates.forEach((c, i) => {
    if (!c.route) return;
    features.push({
      type: 'Feature', id: c.unit_id, geometry: c.route,
      properties: { unit_id: c.unit_id, call_sign: c.call_sign, rank: i + 1, best: i === 0, hovered: c.unit_id === hovered },
    });
  });
  // the best and the hovered route are drawn last (on top)
  return features.sort((a, b) => weight(a) - weight(b));
}

function weight(f: GeoJSON.Feature): number {
  const p = f.properties as { best: boolean; hovered: boolean; rank: number };
  return (p.hovered ? 1000 : 0) + (p.best ? 500 : 0) - p.rank;
}

/** A 409 of the dispatch POST: which kind, for the message shown. */
export function conflictKind(type: string | null | undefined): 'unit-unavailable' | 'incident-not-open' | null {
  if (!type) return null;
  if (type.endsWith('unit-unavailable')) return 'unit-unavailable';
  if (type.endsWith('incident-not-open')) return 'incident-not-open';
  return null;
}

// ---- throttle -------------------------------------------------------------------------------------------------------

export interface ThrottleTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs `fn` at most once per `intervalMs`: the first trigger after a quiet period runs after `delayMs` (a burst of live
 * events becomes one request), later ones wait for the interval; triggers while one is pending are merged.
 */
export class Throttle {
  private handle: unknown = null;
  private last = -Infinity;

  constructor(private readonly fn: () => void, private readonly intervalMs: number, private readonly delayMs = 300,
    private readonly timers: ThrottleTimers = realTimers) {}

  get pending(): boolean {
    return this.handle !== null;
  }

  trigger(): void {
    if (this.handle !== null) return;
    const now = this.timers.now();
    const at = Math.max(now + this.delayMs, this.last + this.intervalMs);
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.last = this.timers.now();
      this.fn();
    }, at - now);
  }

  /** A run happened outside the throttle (a fetch on demand): the interval counts from now. */
  ran(): void {
    this.last = this.timers.now();
  }

  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }
}

// ---- response bands -----------------------------------------------------------------------------------------------

/** The 1-3-5 minute bands (seconds). */
export const responseBands: readonly number[] = [60, 180, 300];

/** Band colours from the nearest (1 min, warm) to the farthest (5 min, cool). */
export const bandColors: readonly string[] = ['#3ddc97', '#ffb020', '#4d8dff'];

export function bandColor(seconds: number, bands: readonly number[] = responseBands): string {
  const i = [...bands].sort((a, b) => a - b).indexOf(seconds);
  return bandColors[Math.max(0, Math.min(bandColors.length - 1, i < 0 ? bandColors.length - 1 : i))]!;
}

/** Fill opacity from 0.34 (the nearest band) down to 0.2 (the widest): stacked, the 1 minute area shows strongest. */
export function bandOpacity(seconds: number, bands: readonly number[] = responseBands): number {
  const sorted = [...bands].sort((a, b) => a - b);
  const i = sorted.indexOf(seconds);
  if (i < 0 || sorted.length < 2) return 0.25;
  return Math.round((0.34 - (0.14 * i) / (sorted.length - 1)) * 100) / 100;
}

/** Bands in drawing order: the widest first (5 min under 3 min under 1 min); empty ones left out. */
export function bandsForDrawing(bands: readonly ResponseBand[]): ResponseBand[] {
  return bands.filter((b) => b.area !== null).sort((a, b) => b.seconds - a.seconds);
}

/** "1 min", "3 min", "90 s". */
export function bandLabel(seconds: number): { value: number; unit: 'min' | 's' } {
  return seconds % 60 === 0 ? { value: seconds / 60, unit: 'min' } : { value: seconds, unit: 's' };
}

export type ShareMetric = 'area' | 'residential' | 'incidents';
export const shareMetrics: readonly ShareMetric[] = ['area', 'residential', 'incidents'];

export interface ShareRow {
  district: string;
  name: string | null;
  name_en: string | null;
  total: boolean;
  /** Shares per band in ascending band order (null: nothing to share, e.g. no residential zones). */
  shares: (number | null)[];
  /** What the shares are of: km² of area or residential zones, or the number of incidents. */
  base: number;
}

function shareOf(row: DistrictResponseShares, seconds: number, metric: ShareMetric): number | null {
  const b = row.bands.find((x) => x.seconds === seconds);
  if (!b) return null;
  if (metric === 'area') return b.area_share;
  if (metric === 'residential') return b.residential_share;
  return b.incident_share;
}

function baseOf(row: DistrictResponseShares, metric: ShareMetric): number {
  return metric === 'area' ? row.area_km2 : metric === 'residential' ? row.residential_km2 : row.incidents;
}

/**
 * The share table for one metric: the districts by their share within the widest band (worst first, so the gaps are on
 * top), then the total; columns in ascending band order.
 */
export function shareTable(r: Pick<ResponseCoverage, 'bands' | 'total' | 'districts'>, metric: ShareMetric): { seconds: number[]; rows: ShareRow[] } {
  const seconds = r.bands.map((b) => b.seconds).sort((a, b) => a - b);
  const widest = seconds[seconds.length - 1];
  const row = (d: DistrictResponseShares, total: boolean): ShareRow => ({
    district: d.district, name: d.name, name_en: d.name_en, total, shares: seconds.map((s) => shareOf(d, s, metric)), base: baseOf(d, metric),
  });
  const districts = r.districts.map((d) => row(d, false)).sort((a, b) => {
    const x = widest === undefined ? null : a.shares[a.shares.length - 1] ?? null;
    const y = widest === undefined ? null : b.shares[b.shares.length - 1] ?? null;
    if (x === null && y === null) return a.district.localeCompare(b.district);
    if (x === null) return 1;
    if (y === null) return -1;
    return x - y || a.district.localeCompare(b.district);
  });
  return { seconds, rows: [...districts, row(r.total, true)] };
}

/** Shares never shrink from a band to a wider one; a table that says otherwise is a bug somewhere (tests, diagnostics). */
export function sharesMonotone(row: ShareRow): boolean {
  for (let i = 1; i < row.shares.length; i++) {
    const a = row.shares[i - 1];
    const b = row.shares[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined && b + 1e-9 < a) return false;
  }
  return true;
}

/** Do these live changes concern the bands (an available unit appeared, moved, or changed status)? */
export function unitsChanged(changes: readonly { layer: string }[]): boolean {
  return changes.some((c) => c.layer === 'patrol_units');
}

// ---- routes by level ----------------------------------------------------------------------------------------------

export const levels: readonly PatrolLevel[] = [1, 2, 3];

export interface LevelGroup {
  level: PatrolLevel;
  routes: RouteOverview[];
  onShift: number;
  problems: number;
}

/** Routes grouped by level (1 city, 2 district, 3 community): on shift first, then routes with problems, then by name. */
export function groupByLevel(routes: readonly RouteOverview[]): LevelGroup[] {
  return levels.map((level) => {
    const rs = routes.filter((r) => r.level === level).sort((a, b) => Number(b.on_shift_now) - Number(a.on_shift_now)
      || Number(b.problems.length > 0) - Number(a.problems.length > 0) || a.name.localeCompare(b.name));
    return { level, routes: rs, onShift: rs.filter((r) => r.on_shift_now).length, problems: rs.filter((r) => r.problems.length > 0).length };
  });
}

/** "Mon–Fri 08:00–20:00" style compact text of shift windows; days as ISO numbers (1 = Monday). */
export function shiftText(windows: readonly ShiftWindow[], dayName: (d: number) => string, everyDay: string): string {
  return windows.map((w) => {
    const days = [...new Set(w.days)].sort((a, b) => a - b);
    let dayText: string;
    if (days.length === 7 || days.length === 0) dayText = everyDay;
    else if (days.length > 2 && days[days.length - 1]! - days[0]! === days.length - 1) dayText = `${dayName(days[0]!)}–${dayName(days[days.length - 1]!)}`;
    else dayText = days.map(dayName).join(',');
    return `${dayText} ${w.start}–${w.end}`;
  }).join('; ');
}

/** Units of a route on it / off it / unknown. */
export function unitsOnRoute(route: Pick<RouteOverview, 'units'>): { on: number; off: number; unknown: number } {
  let on = 0;
  let off = 0;
  let unknown = 0;
  for (const u of route.units) {
    if (u.on_route === true) on++;
    else if (u.on_route === false) off++;
    else unknown++;
  }
  return { on, off, unknown };
}

// ---- route suggestion ---------------------------------------------------------------------------------------------

export interface SuggestSettings {
  /** 'unit': from a unit's position; 'point': from a clicked start with a mode; 'draw': a route through clicked waypoints. */
  from: 'unit' | 'point' | 'draw';
  unitId: number | null;
  start: [number, number] | null;
  mode: PatrolMode;
  minutes: number;
  dwellMinutes: number;
  /** 'draw': the waypoints clicked so far, in order, and whether the route returns to the first. */
  waypoints: [number, number][];
  loop: boolean;
}

export const defaultSuggest: SuggestSettings = {
  from: 'unit', unitId: null, start: null, mode: 'vehicle', minutes: 120, dwellMinutes: 12, waypoints: [], loop: false,
};

export function suggestProblems(s: SuggestSettings): string[] {
  const problems: string[] = [];
  if (s.from === 'unit' && s.unitId === null) problems.push('patrol.suggest.needUnit');
  if (s.from === 'point' && s.start === null) problems.push('patrol.suggest.needStart');
  if (s.from === 'draw' && s.waypoints.length < 2) problems.push('patrol.draw.needWaypoints');
  if (!Number.isFinite(s.minutes) || s.minutes < 10 || s.minutes > 720) problems.push('patrol.suggest.badMinutes');
  if (!Number.isFinite(s.dwellMinutes) || s.dwellMinutes < 0 || s.dwellMinutes > 60) problems.push('patrol.suggest.badDwell');
  return problems;
}

/** The routing request for the drawn waypoints. */
export function routeRequest(s: SuggestSettings): { mode: PatrolMode; waypoints: [number, number][]; loop: boolean } {
  return { mode: s.mode, waypoints: s.waypoints, loop: s.loop };
}

export function suggestRequest(s: SuggestSettings): Record<string, unknown> {
  const base = { minutes: s.minutes, dwell_minutes: s.dwellMinutes };
  return s.from === 'unit' ? { unit_id: s.unitId, ...base } : { start: s.start, mode: s.mode, ...base };
}

/** "HH:mm" of a time of day `minutes` after `start` ("HH:mm"), wrapping at midnight. */
export function addMinutes(start: string, minutes: number): string {
  const [h, m] = start.split(':').map(Number) as [number, number];
  const total = (((h * 60 + m + Math.round(minutes)) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * The accepted suggestion as a new route: its loop as a MultiLineString, active, one shift window from the next
 * quarter hour for the shift's length every day.
 */
export function suggestionRoute(s: RouteSuggestion, name: string, level: PatrolLevel, shiftStart: string, shiftMinutes: number): NewRouteFeature | null {
  return s.geometry ? lineRoute(s.geometry, s.mode, name, level, shiftStart, shiftMinutes) : null;
}

/** A new active route along a road line (a suggestion or a drawn route), daily from `shiftStart` for `shiftMinutes`. */
export function lineRoute(line: GeoJSON.LineString, mode: PatrolMode, name: string, level: PatrolLevel, shiftStart: string, shiftMinutes: number): NewRouteFeature | null {
  if (line.coordinates.length < 2) return null;
  return {
    type: 'Feature',
    geometry: { type: 'MultiLineString', coordinates: [line.coordinates] },
    properties: {
      name, level, mode, status: 'active',
      shift_windows: [{ start: shiftStart, end: addMinutes(shiftStart, shiftMinutes), days: [1, 2, 3, 4, 5, 6, 7] }],
    },
  };
}

/** The next quarter hour after `ms` in the city's time (UTC+8), "HH:mm". */
export function nextQuarterHour(ms: number): string {
  const local = new Date(ms + 8 * 3_600_000);
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  const next = (Math.floor(minutes / 15) + 1) * 15;
  return addMinutes('00:00', next);
}

/** The numbered stops as points (1-based order). */
export function stopFeatures(s: Pick<RouteSuggestion, 'stops'>): GeoJSON.Feature<GeoJSON.Point>[] {
  return s.stops.map((stop, i) => ({
    type: 'Feature', id: i + 1, geometry: { type: 'Point', coordinates: stop.location }, properties: { n: i + 1, cell: stop.cell, priority: stop.priority },
  }));
}

// ---- dosage -------------------------------------------------------------------------------------------------------

/** Effective hot-spot visits last 10–15 minutes (the Koper curve); shorter ones barely deter, longer ones add little. */
export const effectiveVisitMinutes = [10, 15] as const;

/** The dosage period: the last `hours` (8 by default, one shift) up to now. */
export function defaultDosageRange(now: number, hours = 8): { from: string; to: string } {
  return { from: new Date(now - hours * 3_600_000).toISOString(), to: new Date(now).toISOString() };
}

export interface DosageSummary {
  visits: number;
  short: number;
  effective: number;
  long: number;
  /** effective ÷ visits (null without visits). */
  effectiveShare: number | null;
}

export function dosageSummary(d: Pick<PatrolDosage, 'cells'>): DosageSummary {
  let visits = 0;
  let short = 0;
  let effective = 0;
  let long = 0;
  for (const c of d.cells) {
    visits += c.visits;
    short += c.short_visits;
    effective += c.effective_visits;
    long += c.long_visits;
  }
  return { visits, short, effective, long, effectiveShare: visits ? effective / visits : null };
}

/** The cells to list: the most patrolled first. */
export function topCells(d: Pick<PatrolDosage, 'cells'>, n = 8): PatrolDosage['cells'] {
  return [...d.cells].sort((a, b) => b.seconds - a.seconds || String(a.cell).localeCompare(String(b.cell))).slice(0, n);
}

/** Districts by street visibility rate, lowest first. */
export function visibilityRows(d: Pick<PatrolDosage, 'visibility'>): PatrolDosage['visibility']['districts'] {
  return [...d.visibility.districts].sort((a, b) => a.rate - b.rate || a.district.localeCompare(b.district));
}

/** Seconds as "1 h 05 min" / "12 min" parts (for the dosage table). */
export function durationParts(seconds: number): { h: number; min: number } {
  const m = Math.round(Math.max(0, seconds) / 60);
  return { h: Math.floor(m / 60), min: m % 60 };
}
