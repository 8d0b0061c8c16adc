// The recommendation tool's settings: budget, camera model, headings per site, where candidate sites come from (a grid
// over the blind spots, points along the roads, or a list of poles clicked on the map), weights by zone kind and by
// incident density, the district. Validated against the server's ranges and turned into the request of
// POST /api/coverage/recommendations (values left to the server's defaults are not sent). Pure.
import type { CandidateSource, RecommendationRequest, RecommendationResponse, ZoneChange } from '../api/coverage';
import type { CameraKind, ZoneKind } from '../api/types';
import type { Lens, LngLat } from './scenario';

export const candidateSources: readonly CandidateSource[] = ['grid', 'roads', 'list'];

export interface PlannerSettings {
  budget: number;
  kind: CameraKind;
  fov: number;
  range: number;
  /** Headings tried per site; null: the server's default (8 for fixed cameras, 1 for PTZ and dome). */
  headings: number | null;
  source: CandidateSource;
  /** Grid or road spacing in metres; null: the server's default. */
  spacing: number | null;
  /** Poles for source "list", [lon, lat]. */
  points: LngLat[];
  /** Zone kind → weight (default 1). */
  kindWeights: Partial<Record<ZoneKind, number>>;
  /** ≥ 0: zones weighted by 1 + w × (their incident density / mean density). */
  incidentWeight: number;
  /** '' = every district of the account. */
  district: string;
}

/** Typical lenses by kind: a fixed bullet camera 90° / 60 m, a PTZ 360° / 100 m, a dome 360° / 30 m. */
export const lensPresets: Record<CameraKind, { fov: number; range: number }> = {
  fixed: { fov: 90, range: 60 },
  ptz: { fov: 360, range: 100 },
  dome: { fov: 360, range: 30 },
};

export const defaultPlanner: PlannerSettings = {
  budget: 10,
  kind: 'fixed',
  fov: lensPresets.fixed.fov,
  range: lensPresets.fixed.range,
  headings: null,
  source: 'grid',
  spacing: null,
  points: [],
  kindWeights: {},
  incidentWeight: 1,
  district: '',
};

export type PlannerField = 'budget' | 'fov' | 'range' | 'headings' | 'spacing' | 'incidentWeight' | 'points' | 'kindWeights';

export interface PlannerProblem {
  field: PlannerField;
  /** i18n key */
  message: 'coverage.invalid.budget' | 'coverage.invalid.fov' | 'coverage.invalid.range' | 'coverage.invalid.headings'
    | 'coverage.invalid.spacing' | 'coverage.invalid.incidentWeight' | 'coverage.invalid.points' | 'coverage.invalid.kindWeight';
}

const between = (v: number, min: number, max: number): boolean => Number.isFinite(v) && v >= min && v <= max;

/** The server's ranges (CoveragePlanner.Validate): budget 1–100, field of view (0, 360], range (0, 1000], headings 1–36,
 * spacing 5–500 m, incident weight 0–10, kind weights 0–100, at most 5000 poles. */
export function plannerProblems(s: PlannerSettings): PlannerProblem[] {
  const problems: PlannerProblem[] = [];
  if (!Number.isInteger(s.budget) || !between(s.budget, 1, 100)) problems.push({ field: 'budget', message: 'coverage.invalid.budget' });
  if (!between(s.fov, 1e-6, 360)) problems.push({ field: 'fov', message: 'coverage.invalid.fov' });
  if (!between(s.range, 1e-6, 1000)) problems.push({ field: 'range', message: 'coverage.invalid.range' });
  if (s.headings !== null && (!Number.isInteger(s.headings) || !between(s.headings, 1, 36))) problems.push({ field: 'headings', message: 'coverage.invalid.headings' });
  if (s.source !== 'list' && s.spacing !== null && !between(s.spacing, 5, 500)) problems.push({ field: 'spacing', message: 'coverage.invalid.spacing' });
  if (!between(s.incidentWeight, 0, 10)) problems.push({ field: 'incidentWeight', message: 'coverage.invalid.incidentWeight' });
  if (s.source === 'list' && (s.points.length === 0 || s.points.length > 5000)) problems.push({ field: 'points', message: 'coverage.invalid.points' });
  if (Object.values(s.kindWeights).some((w) => w === undefined || !between(w, 0, 100))) problems.push({ field: 'kindWeights', message: 'coverage.invalid.kindWeight' });
  return problems;
}

export function plannerLens(s: PlannerSettings): Lens {
  return { kind: s.kind, field_of_view_deg: s.fov, range_m: s.range };
}

export function recommendationRequest(s: PlannerSettings): RecommendationRequest {
  const weights = Object.fromEntries(Object.entries(s.kindWeights).filter(([, w]) => w !== undefined && w !== 1)) as Partial<Record<ZoneKind, number>>;
  return {
    budget: s.budget,
    camera: { kind: s.kind, field_of_view_deg: s.fov, range_m: s.range },
    headings: s.headings,
    candidates: {
      source: s.source,
      spacing_m: s.source === 'list' ? null : s.spacing,
      points: s.source === 'list' ? s.points.map((p) => [p[0], p[1]] as LngLat) : null,
    },
    kind_weights: Object.keys(weights).length ? weights : null,
    incident_weight: s.incidentWeight,
    district: s.district || null,
    zone_ids: null,
  };
}

/** A different kind brings its typical lens (the planner can still change it). */
export function withKind(s: PlannerSettings, kind: CameraKind): PlannerSettings {
  return { ...s, kind, fov: lensPresets[kind].fov, range: lensPresets[kind].range };
}

/** Poles of the list: a click adds one, a click within `toleranceDeg` of an existing one removes it. */
export function togglePoint(points: readonly LngLat[], p: LngLat, toleranceDeg = 0.00008): LngLat[] {
  const i = points.findIndex((q) => Math.abs(q[0] - p[0]) <= toleranceDeg && Math.abs(q[1] - p[1]) <= toleranceDeg);
  if (i >= 0) return points.filter((_, j) => j !== i);
  return [...points, [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]];
}

/** The zones a set of accepted picks improves: for each zone the first before and the last after (greedy order). */
export function zoneGains(result: RecommendationResponse, ranks?: ReadonlySet<number>): ZoneChange[] {
  const byZone = new Map<number, ZoneChange>();
  for (const pick of [...result.picks].sort((a, b) => a.rank - b.rank)) {
    if (ranks && !ranks.has(pick.rank)) continue;
    for (const z of pick.zones) {
      const seen = byZone.get(z.zone_id);
      byZone.set(z.zone_id, seen ? { ...seen, after: z.after } : { ...z });
    }
  }
  return [...byZone.values()].sort((a, b) => (b.after - b.before) - (a.after - a.before) || a.zone_id - b.zone_id);
}

/** Compass point of a heading (8 winds), for labels: 0 → N, 135 → SE. */
export function compassPoint(deg: number): 'N' | 'NE' | 'E' | 'SE' | 'S' | 'SW' | 'W' | 'NW' {
  const points = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
  return points[Math.round((((deg % 360) + 360) % 360) / 45) % 8]!;
}
