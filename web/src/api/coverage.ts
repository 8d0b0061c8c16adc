// The camera coverage contracts (src/SituationMap.Server/Coverage/CoverageContracts.cs, JSON in snake_case) and the
// requests of /api/coverage*, /api/incidents/{id}/evidence, all through the dashboard's API client (RFC 7807 problems as
// ApiError, X-CSRF-TOKEN on the planning POSTs, a 401 ends the session).
import { download, getJson, postJson, query, type Download } from './client';
import type { CameraKind, Geometry, ZoneKind } from './types';

/** red: more than 10 points below target; amber: within 10 points below; green: at or above target. */
export type Rag = 'red' | 'amber' | 'green';

/** Coverage of a group of zones: fractions in [0, 1]; incident_covered null without incidents. */
export interface CoverageFigures {
  zones: number;
  area_m2: number;
  covered_m2: number;
  covered: number;
  incidents: number;
  incidents_covered: number;
  incident_covered: number | null;
  zones_below_target: number;
}

export interface KindCoverage {
  kind: ZoneKind;
  target: number | null;
  figures: CoverageFigures;
}

export interface DistrictCoverage {
  district: string;
  district_name: string | null;
  figures: CoverageFigures;
}

export interface ZoneCoverageRow {
  id: number;
  name: string;
  name_en: string | null;
  kind: ZoneKind;
  district: string | null;
  target: number;
  area_m2: number;
  covered_m2: number;
  covered: number;
  shortfall: number;
  below_target: boolean;
  rag: Rag;
  incidents: number;
  incidents_covered: number;
  incident_covered: number | null;
  cameras: number;
}

/** GET /api/coverage — the compliance board. */
export interface CoverageReport {
  version: number;
  computed_at: string;
  incident_days: number;
  cameras_operational: number;
  cameras_total: number;
  total: CoverageFigures;
  by_kind: KindCoverage[];
  by_district: DistrictCoverage[];
  zones: ZoneCoverageRow[];
  /** Zone ids, largest shortfall first. */
  below_target: number[];
}

export interface CoverageFeature<P> {
  type: 'Feature';
  id: number;
  geometry: Geometry | null;
  properties: P;
}

export interface CoverageFeatureCollection<P> {
  type: 'FeatureCollection';
  version: number;
  computed_at: string;
  features: CoverageFeature<P>[];
}

export interface BlindSpotProperties {
  zone_id: number;
  name: string;
  name_en: string | null;
  kind: ZoneKind;
  district: string | null;
  target: number;
  covered: number;
  shortfall: number;
  rag: Rag;
  blind_m2: number;
}

export interface CameraViewProperties {
  camera_id: number;
  name: string;
  kind: CameraKind;
  status: string;
  heading_deg: number;
  field_of_view_deg: number;
  range_m: number;
  area_m2: number;
  sector_area_m2: number;
}

/** Hub message after camera or zone changes: the recomputed zones (only those the account may see). */
export interface CoverageUpdated {
  version: number;
  computed_at: string;
  cause: string;
  zones: ZoneCoverageRow[];
  total: CoverageFigures | null;
}

/** Every verdict the server gives (EvidenceFinder): a camera in view and online then, or why not. */
export const evidenceVerdicts = ['in_view', 'offline_at_time', 'out_of_view', 'occluded', 'privacy_masked', 'not_installed'] as const;
export type EvidenceVerdict = (typeof evidenceVerdicts)[number];

export interface EvidenceCamera {
  camera_id: number;
  name: string;
  kind: CameraKind;
  verdict: EvidenceVerdict;
  status_at_time: string | null;
  status_now: string;
  distance_m: number;
  bearing_deg: number;
  heading_deg: number;
  field_of_view_deg: number;
  range_m: number;
  location: [number, number];
}

/** GET /api/incidents/{id}/evidence */
export interface EvidenceResponse {
  incident_id: number;
  occurred_at: string;
  location: [number, number];
  search_m: number;
  candidates: EvidenceCamera[];
  others: EvidenceCamera[];
}

export interface CameraModel {
  kind: CameraKind | null;
  field_of_view_deg: number | null;
  range_m: number | null;
}

export type CandidateSource = 'grid' | 'roads' | 'list';

export interface CandidateSites {
  source: CandidateSource | null;
  spacing_m: number | null;
  points: [number, number][] | null;
}

/** POST /api/coverage/recommendations */
export interface RecommendationRequest {
  budget: number | null;
  camera: CameraModel | null;
  headings: number | null;
  candidates: CandidateSites | null;
  kind_weights: Partial<Record<ZoneKind, number>> | null;
  incident_weight: number | null;
  district: string | null;
  zone_ids: number[] | null;
}

export interface ZoneChange {
  zone_id: number;
  before: number;
  after: number;
}

export interface RecommendedCamera {
  rank: number;
  location: [number, number];
  heading_deg: number;
  gain_weighted: number;
  newly_covered_m2: number;
  view: Geometry | null;
  zones: ZoneChange[];
}

export interface RecommendationResponse {
  picks: RecommendedCamera[];
  objective_weighted: number;
  sites: number;
  options: number;
  gain_evaluations: number;
  optimality: number | null;
  zones_after: ZoneChange[];
  /** The grid or road spacing used (null for a list of poles). */
  site_spacing_m: number | null;
  sample_spacing_m: number;
  compute_ms: number;
}

export type ScenarioOp = 'add' | 'update' | 'remove';

export interface ScenarioChange {
  op: ScenarioOp;
  id?: number;
  ref?: string;
  location?: [number, number];
  heading_deg?: number;
  field_of_view_deg?: number;
  range_m?: number;
  kind?: CameraKind;
}

export interface ScenarioRequest {
  changes: ScenarioChange[];
}

export interface ScenarioZone {
  id: number;
  name: string;
  name_en: string | null;
  kind: ZoneKind;
  district: string | null;
  target: number;
  before: number;
  after: number;
  rag_before: Rag;
  rag_after: Rag;
}

export interface ScenarioKind {
  kind: ZoneKind;
  target: number | null;
  before: CoverageFigures;
  after: CoverageFigures;
}

export interface ScenarioViewProperties {
  op: ScenarioOp;
  camera_id: number | null;
  ref: string | null;
  heading_deg: number;
  area_m2: number;
}

/** POST /api/coverage/scenarios/evaluate */
export interface ScenarioResponse {
  base_version: number;
  total_before: CoverageFigures;
  total_after: CoverageFigures;
  by_kind: ScenarioKind[];
  zones: ScenarioZone[];
  views: CoverageFeature<ScenarioViewProperties>[];
}

export interface BlindSpotFilter {
  below_target?: boolean | null;
  district?: string | null;
  kind?: string | null;
}

export function blindSpotsQuery(filter: BlindSpotFilter): string {
  return query({
    below_target: filter.below_target === null || filter.below_target === undefined ? undefined : String(filter.below_target),
    district: filter.district ?? undefined,
    kind: filter.kind ?? undefined,
  });
}

export const coverageApi = {
  report: (signal?: AbortSignal) => getJson<CoverageReport>('/api/coverage', signal),
  blindSpots: (filter: BlindSpotFilter, signal?: AbortSignal) =>
    getJson<CoverageFeatureCollection<BlindSpotProperties>>(`/api/coverage/blind-spots${blindSpotsQuery(filter)}`, signal),
  views: (bbox: readonly number[], signal?: AbortSignal) =>
    getJson<CoverageFeatureCollection<CameraViewProperties>>(`/api/coverage/views${query({ bbox: bbox.map((v) => Number(v.toFixed(5))) })}`, signal),
  recommend: (body: RecommendationRequest, signal?: AbortSignal) => postJson<RecommendationResponse>('/api/coverage/recommendations', body, signal),
  evaluate: (body: ScenarioRequest, signal?: AbortSignal) => postJson<ScenarioResponse>('/api/coverage/scenarios/evaluate', body, signal),
  evidence: (incidentId: number, searchM = 300, signal?: AbortSignal) =>
    getJson<EvidenceResponse>(`/api/incidents/${incidentId}/evidence${query({ search_m: searchM })}`, signal),
  /** GET an export (audited by the server, permission export). */
  download: (url: string, signal?: AbortSignal): Promise<Download> => download(url, signal),
};
