// The patrol and dispatch contracts (src/SituationMap.Server/Dispatch/DispatchContracts.cs, ResponseCoverage.cs and the
// Patrols/PatrolAnalyticsContracts.cs, JSON in snake_case) and their requests, all through the dashboard's API client
// (RFC 7807 problems as ApiError, X-CSRF-TOKEN on the POSTs, a 401 ends the session). Hand-written like coverage.ts.
import { api, getJson, postJson, query, type Sent } from './client';
import type { Feature, IncidentStatus, PatrolMode, PatrolRouteProperties, PatrolRouteStatus, PatrolUnitStatus } from './types';

export type PatrolLevel = 1 | 2 | 3;

/** An available unit as a candidate for an incident: ETA and distance by road (free flow), or why it has none. */
export interface DispatchCandidate {
  unit_id: number;
  call_sign: string;
  level: PatrolLevel;
  mode: PatrolMode;
  district: string | null;
  version: number;
  /** Seconds since the unit last reported its position (null: never). */
  position_age_s: number | null;
  eta_s: number | null;
  distance_m: number | null;
  /** Why the unit has no ETA (English sentence from the server); null for ranked units. */
  unreachable: string | null;
  /** The road route (WGS84) for the first ranked units. */
  route: GeoJSON.LineString | null;
}

/** A unit already sent to the incident (open dispatch). */
export interface AssignedUnit {
  unit_id: number;
  call_sign: string;
  assigned_at: string;
  actor: string;
  eta_s: number | null;
  arrived_at: string | null;
}

/** GET /api/incidents/{id}/dispatch?routes=5 */
export interface DispatchOptions {
  incident_id: number;
  incident_status: IncidentStatus;
  incident_version: number;
  location: GeoJSON.Point;
  computed_at: string;
  /** Ranked by ETA, ascending. */
  candidates: DispatchCandidate[];
  unranked: DispatchCandidate[];
  assigned: AssignedUnit[];
}

/** POST /api/incidents/{id}/dispatch → 200 */
export interface DispatchResult {
  dispatch_id: number;
  incident_id: number;
  incident_status: IncidentStatus;
  incident_version: number;
  unit_id: number;
  call_sign: string;
  unit_version: number;
  assigned_at: string;
  eta_s: number | null;
  distance_m: number | null;
  route: GeoJSON.LineString | null;
  change_seq: number;
}

/** One response band: what some available unit reaches by road within `seconds`. */
export interface ResponseBand {
  seconds: number;
  area: GeoJSON.MultiPolygon | GeoJSON.Polygon | null;
  area_km2: number;
}

export interface BandShare {
  seconds: number;
  /** 0..1 */
  area_share: number;
  residential_share: number | null;
  incident_share: number | null;
}

/** A district's figures per band (district '*' = everything the account sees). */
export interface DistrictResponseShares {
  district: string;
  name: string | null;
  name_en: string | null;
  area_km2: number;
  residential_km2: number;
  incidents: number;
  bands: BandShare[];
}

/** GET /api/response-coverage?bands=60,180,300 */
export interface ResponseCoverage {
  computed_at: string;
  units: number;
  incident_days: number;
  bands: ResponseBand[];
  total: DistrictResponseShares;
  districts: DistrictResponseShares[];
}

export interface ShiftWindow {
  /** HH:mm */
  start: string;
  end: string;
  /** ISO weekdays, 1 = Monday. */
  days: number[];
}

export interface RouteProblem {
  code: string;
  message: string;
}

export interface RouteUnit {
  unit_id: number;
  call_sign: string;
  status: PatrolUnitStatus;
  distance_m: number | null;
  on_route: boolean | null;
}

export interface RouteOverview {
  id: number;
  name: string;
  level: PatrolLevel;
  mode: PatrolMode;
  status: PatrolRouteStatus;
  district: string | null;
  length_m: number;
  loop_minutes: number;
  on_shift_now: boolean;
  shift_windows: ShiftWindow[];
  problems: RouteProblem[];
  units: RouteUnit[];
}

/** GET /api/patrols/overview */
export interface PatrolOverview {
  computed_at: string;
  routes: RouteOverview[];
}

/** POST /api/patrols/suggest */
export type SuggestRequest = ({ unit_id: number } | { start: [number, number]; mode: PatrolMode }) & { minutes?: number; dwell_minutes?: number };

export interface SuggestedStop {
  cell: number;
  priority: number;
  location: [number, number];
  arrival_s: number;
}

/** POST /api/routing/route: a road route through waypoints ([lon, lat]) by the mode. */
export interface RoutedPath {
  mode: PatrolMode;
  geometry: GeoJSON.LineString;
  seconds: number;
  length_m: number;
  legs: { seconds: number; length_m: number }[];
  /** Where each waypoint was snapped onto the road. */
  snapped: number[][];
}

export interface RouteSuggestion {
  mode: PatrolMode;
  budget_s: number;
  travel_s: number;
  dwell_s: number;
  total_s: number;
  collected_priority: number;
  /** Hot cells considered. */
  candidates: number;
  stops: SuggestedStop[];
  geometry: GeoJSON.LineString | null;
  /** Hot cells that cannot be reached from the start. */
  unreachable: number[];
}

export interface LevelReach {
  level: PatrolLevel;
  routes: number;
  cells_reached: number;
  total_cells: number;
  share: number;
  priority_share: number;
}

export interface UnreachedCellProperties {
  cell: number;
  z: number;
  bin: number;
}

/** GET /api/patrols/hotspot-coverage?minutes=5 */
export interface HotspotReach {
  computed_at: string;
  minutes: number;
  /** Hot spots of the last days. */
  days: number;
  hot_cells: number;
  levels: LevelReach[];
  unreached: GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, UnreachedCellProperties>;
}

export interface DosageCell {
  cell: number;
  seconds: number;
  visits: number;
  short_visits: number;
  effective_visits: number;
  long_visits: number;
}

export interface DosageUnitRow {
  unit_id: number;
  call_sign: string;
  tracked_seconds: number;
  hot_seconds: number;
  share: number;
}

export interface DistrictVisibility {
  district: string;
  name: string | null;
  road_length_m: number;
  patrolled_length_m: number;
  rate: number;
}

/** GET /api/patrols/dosage?from&to */
export interface PatrolDosage {
  from: string;
  to: string;
  units: number;
  hot_cells: number;
  hot_seconds: number;
  share_of_shift: number;
  cells: DosageCell[];
  unit_rows: DosageUnitRow[];
  visibility: { rate: number; road_length_m: number; patrolled_length_m: number; districts: DistrictVisibility[] };
}

/** A new patrol route as POST /api/patrol-routes takes it. */
export interface NewRouteFeature {
  type: 'Feature';
  geometry: GeoJSON.MultiLineString;
  properties: { name: string; level: PatrolLevel; mode: PatrolMode; status: 'active'; shift_windows: ShiftWindow[] };
}

export const patrolApi = {
  dispatchOptions(incidentId: number, routes = 5, signal?: AbortSignal): Promise<DispatchOptions> {
    return getJson<DispatchOptions>(`/api/incidents/${incidentId}/dispatch${query({ routes })}`, signal);
  },
  dispatch(incidentId: number, unitId: number, signal?: AbortSignal): Promise<DispatchResult> {
    return postJson<DispatchResult>(`/api/incidents/${incidentId}/dispatch`, { unit_id: unitId }, signal);
  },
  responseCoverage(bands: readonly number[], signal?: AbortSignal): Promise<ResponseCoverage> {
    return getJson<ResponseCoverage>(`/api/response-coverage${query({ bands })}`, signal);
  },
  overview(signal?: AbortSignal): Promise<PatrolOverview> {
    return getJson<PatrolOverview>('/api/patrols/overview', signal);
  },
  route(request: { mode: PatrolMode; waypoints: [number, number][]; loop: boolean }, signal?: AbortSignal): Promise<RoutedPath> {
    return postJson<RoutedPath>('/api/routing/route', request, signal);
  },
  suggest(request: SuggestRequest, signal?: AbortSignal): Promise<RouteSuggestion> {
    return postJson<RouteSuggestion>('/api/patrols/suggest', request, signal);
  },
  hotspotCoverage(minutes: number, signal?: AbortSignal): Promise<HotspotReach> {
    return getJson<HotspotReach>(`/api/patrols/hotspot-coverage${query({ minutes })}`, signal);
  },
  dosage(from: string, to: string, signal?: AbortSignal): Promise<PatrolDosage> {
    return getJson<PatrolDosage>(`/api/patrols/dosage${query({ from, to })}`, signal);
  },
  createRoute(feature: NewRouteFeature): Promise<Sent<Feature<PatrolRouteProperties>>> {
    return api.create<PatrolRouteProperties>('patrol-routes', feature as unknown as { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> });
  },
};
