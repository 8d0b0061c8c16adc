// What the coverage board shows and how: RAG colours (the server's rule), zone kinds with their default targets, the
// zone table's sorting and filtering, merging a live CoverageUpdated into the report (groups recomputed from the zone
// rows), the viewport box for camera views, and the names of exported files. Pure: no DOM, no requests.
import { blindSpotsQuery, type BlindSpotFilter, type CoverageFigures, type CoverageReport, type CoverageUpdated, type DistrictCoverage, type KindCoverage, type Rag, type ZoneCoverageRow } from '../api/coverage';
import type { ZoneKind } from '../api/types';
import { cityStamp } from '../hotspots/model';

export const rags: readonly Rag[] = ['red', 'amber', 'green'];

/** The same hues as the rest of the dashboard: danger red, warning amber, ok green. */
export const ragColors: Record<Rag, string> = { red: '#ff4d4f', amber: '#ffb020', green: '#3ddc97' };

/** Amber: within this many (fraction) below the target. */
export const amberBand = 0.1;

const epsilon = 1e-9;

/** green: covered ≥ target; amber: within 10 percentage points below; red: further below (CoverageContracts.cs). */
export function ragOf(covered: number, target: number): Rag {
  if (covered + epsilon >= target) return 'green';
  if (covered + epsilon >= target - amberBand) return 'amber';
  return 'red';
}

/** Zone kinds on the board, in order of their default target (districts have none). */
export const boardKinds: readonly ZoneKind[] = [
  'key_facility', 'school', 'crowded_public_place', 'residential_community', 'urban_village', 'urban_rural_fringe', 'mining_area',
  'disorder_hotspot_area',
];

/** The default targets by kind (CoverageTargets.cs): 100 / 80 / 70 / 50 %. */
export const defaultTargets: Partial<Record<ZoneKind, number>> = {
  key_facility: 1, school: 1, crowded_public_place: 0.8, residential_community: 0.7,
  urban_village: 0.5, urban_rural_fringe: 0.5, mining_area: 0.5, disorder_hotspot_area: 0.5,
};

/** Percentage points between two fractions (after − before), rounded to 0.01 (one camera moves a city total by less than 0.1). */
export function deltaPoints(before: number, after: number): number {
  return Math.round((after - before) * 10_000) / 100;
}

/** A zone's name in the language shown. */
export function localName(row: { name: string; name_en: string | null }, locale: string): string {
  return locale === 'en' && row.name_en ? row.name_en : row.name;
}

// ---- the zone table -------------------------------------------------------------------------------------------------

export const zoneSortKeys = ['priority', 'name', 'kind', 'district', 'covered', 'target', 'shortfall', 'incident_covered', 'cameras'] as const;
export type ZoneSortKey = (typeof zoneSortKeys)[number];

export interface ZoneSort {
  key: ZoneSortKey;
  dir: 'asc' | 'desc';
}

/** Below target first by shortfall (largest first), then the compliant zones closest to falling below. */
export const defaultSort: ZoneSort = { key: 'priority', dir: 'desc' };

/** The direction a column sorts in first: the worst first (lowest coverage, largest shortfall), names A–Z. */
const firstDirection: Record<ZoneSortKey, 'asc' | 'desc'> = {
  priority: 'desc', name: 'asc', kind: 'asc', district: 'asc', covered: 'asc', target: 'desc', shortfall: 'desc', incident_covered: 'asc', cameras: 'asc',
};

/** A click on a column header: the same column flips, another starts in its natural direction. */
export function toggleSort(sort: ZoneSort, key: ZoneSortKey): ZoneSort {
  if (sort.key === key) return { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: firstDirection[key] };
}

/** How urgent a zone is: below target by its shortfall (> 0), compliant ones by their negative margin. */
export function priority(row: ZoneCoverageRow): number {
  return row.below_target ? 1 + row.shortfall : -(row.covered - row.target);
}

type Compare = (a: ZoneCoverageRow, b: ZoneCoverageRow) => number;

const byNumber = (f: (r: ZoneCoverageRow) => number | null): Compare => (a, b) => {
  const x = f(a);
  const y = f(b);
  // unknown values (no incidents) go last whatever the direction is: handled by sortZones
  if (x === null || y === null) return 0;
  return x - y;
};

export function sortZones(rows: readonly ZoneCoverageRow[], sort: ZoneSort, nameOf: (r: ZoneCoverageRow) => string = (r) => r.name,
  districtOf: (r: ZoneCoverageRow) => string = (r) => r.district ?? ''): ZoneCoverageRow[] {
  const collator = new Intl.Collator(undefined, { numeric: true });
  const compare: Record<ZoneSortKey, Compare> = {
    priority: byNumber(priority),
    name: (a, b) => collator.compare(nameOf(a), nameOf(b)),
    kind: (a, b) => boardKinds.indexOf(a.kind) - boardKinds.indexOf(b.kind),
    district: (a, b) => collator.compare(districtOf(a), districtOf(b)),
    covered: byNumber((r) => r.covered),
    target: byNumber((r) => r.target),
    shortfall: byNumber((r) => r.shortfall),
    incident_covered: byNumber((r) => r.incident_covered),
    cameras: byNumber((r) => r.cameras),
  };
  const sign = sort.dir === 'asc' ? 1 : -1;
  const nullable = sort.key === 'incident_covered';
  return [...rows].sort((a, b) => {
    if (nullable && (a.incident_covered === null) !== (b.incident_covered === null)) return a.incident_covered === null ? 1 : -1;
    const c = compare[sort.key](a, b) * sign;
    if (c !== 0) return c;
    // ties: the more urgent first, then by id (stable across live updates)
    return byNumber(priority)(b, a) || a.id - b.id;
  });
}

export interface ZoneFilter {
  kind: ZoneKind | '*';
  district: string | '*';
  belowOnly: boolean;
  search: string;
}

export const defaultFilter: ZoneFilter = { kind: '*', district: '*', belowOnly: false, search: '' };

export function filterZones(rows: readonly ZoneCoverageRow[], filter: ZoneFilter): ZoneCoverageRow[] {
  const search = filter.search.trim().toLowerCase();
  return rows.filter((r) => (filter.kind === '*' || r.kind === filter.kind)
    && (filter.district === '*' || r.district === filter.district)
    && (!filter.belowOnly || r.below_target)
    && (!search || r.name.toLowerCase().includes(search) || (r.name_en ?? '').toLowerCase().includes(search) || String(r.id) === search));
}

/** The blind-spot query of the board's filter (the map shows what the table lists; search aside). */
export function blindSpotFilter(filter: ZoneFilter): BlindSpotFilter {
  return {
    // explicit both ways: the server's default is below target only
    below_target: filter.belowOnly,
    kind: filter.kind === '*' ? null : filter.kind,
    district: filter.district === '*' ? null : filter.district,
  };
}

// ---- live updates ---------------------------------------------------------------------------------------------------

/** The figures of a group of zone rows (area-weighted coverage, incident-weighted coverage, zones below target). */
export function aggregate(rows: readonly ZoneCoverageRow[]): CoverageFigures {
  let area = 0;
  let covered = 0;
  let incidents = 0;
  let incidentsCovered = 0;
  let below = 0;
  for (const r of rows) {
    area += r.area_m2;
    covered += r.covered_m2;
    incidents += r.incidents;
    incidentsCovered += r.incidents_covered;
    if (r.below_target) below++;
  }
  return {
    zones: rows.length,
    area_m2: area,
    covered_m2: covered,
    covered: area > 0 ? covered / area : 0,
    incidents,
    incidents_covered: incidentsCovered,
    incident_covered: incidents > 0 ? incidentsCovered / incidents : null,
    zones_below_target: below,
  };
}

/** Zone ids below target, largest shortfall first (the server's order). */
export function belowTargetIds(rows: readonly ZoneCoverageRow[]): number[] {
  return rows.filter((r) => r.below_target).sort((a, b) => b.shortfall - a.shortfall || a.id - b.id).map((r) => r.id);
}

function groupBy<K>(rows: readonly ZoneCoverageRow[], key: (r: ZoneCoverageRow) => K): Map<K, ZoneCoverageRow[]> {
  const groups = new Map<K, ZoneCoverageRow[]>();
  for (const r of rows) {
    const k = key(r);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(r);
  }
  return groups;
}

export interface MergeResult {
  report: CoverageReport;
  /** false: the update was not newer than the report (ignored). */
  applied: boolean;
  /** An update was missed (version jumped by more than one): the caller should fetch the whole report. */
  gap: boolean;
  /** The zones whose rows changed. */
  changed: number[];
}

/**
 * A CoverageUpdated merged into the report: the recomputed zone rows replace theirs, the kind and district groups are
 * recomputed from the rows (keeping the server's targets and district names), the total is the server's (or, for a
 * district-scoped account that gets none, the sum of its rows).
 */
export function mergeUpdate(report: CoverageReport, update: CoverageUpdated): MergeResult {
  if (update.version <= report.version) return { report, applied: false, gap: false, changed: [] };
  const incoming = new Map(update.zones.map((z) => [z.id, z]));
  const changed: number[] = [];
  const zones = report.zones.map((z) => {
    const next = incoming.get(z.id);
    if (!next) return z;
    incoming.delete(z.id);
    if (next.covered !== z.covered || next.rag !== z.rag || next.cameras !== z.cameras || next.incidents_covered !== z.incidents_covered) changed.push(z.id);
    return next;
  });
  for (const z of incoming.values()) {
    zones.push(z);
    changed.push(z.id);
  }
  const kinds = groupBy(zones, (r) => r.kind);
  const by_kind: KindCoverage[] = report.by_kind.map((k) => ({ ...k, figures: kinds.has(k.kind) ? aggregate(kinds.get(k.kind)!) : k.figures }));
  for (const [kind, rows] of kinds) {
    if (!by_kind.some((k) => k.kind === kind)) by_kind.push({ kind, target: defaultTargets[kind] ?? null, figures: aggregate(rows) });
  }
  const districts = groupBy(zones.filter((z) => z.district), (r) => r.district!);
  const by_district: DistrictCoverage[] = report.by_district.map((d) => ({ ...d, figures: districts.has(d.district) ? aggregate(districts.get(d.district)!) : d.figures }));
  for (const [district, rows] of districts) {
    if (!by_district.some((d) => d.district === district)) by_district.push({ district, district_name: null, figures: aggregate(rows) });
  }
  return {
    report: {
      ...report,
      version: update.version,
      computed_at: update.computed_at,
      total: update.total ?? aggregate(zones),
      by_kind,
      by_district,
      zones,
      below_target: belowTargetIds(zones),
    },
    applied: true,
    gap: update.version > report.version + 1,
    changed,
  };
}

// ---- camera views of the viewport ------------------------------------------------------------------------------------

/** Camera views are fetched from this zoom (a viewport box of a few km² at most). */
export const viewsMinZoom = 14;

export type Bbox = [number, number, number, number];

/** The box to fetch for a viewport: padded by `pad` of its size on each side, rounded outwards to 1e-4°. */
export function paddedBbox(view: Bbox, pad = 0.25): Bbox {
  const [w, s, e, n] = view;
  const dx = (e - w) * pad;
  const dy = (n - s) * pad;
  const down = (v: number): number => Math.floor(v * 1e4) / 1e4;
  const up = (v: number): number => Math.ceil(v * 1e4) / 1e4;
  return [down(w - dx), down(s - dy), up(e + dx), up(n + dy)];
}

export function bboxContains(outer: Bbox, inner: Bbox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}

export interface FetchedViews {
  bbox: Bbox;
  version: number;
}

/** Whether the views must be fetched for this viewport: zoomed in enough and not inside what was fetched at this version. */
export function viewsFetchNeeded(zoom: number, view: Bbox, fetched: FetchedViews | null, version: number): boolean {
  if (zoom < viewsMinZoom) return false;
  return !fetched || fetched.version !== version || !bboxContains(fetched.bbox, view);
}

// ---- exports --------------------------------------------------------------------------------------------------------

export function exportUrls(filter: ZoneFilter): { csv: string; geojson: string } {
  return { csv: '/api/coverage.csv', geojson: `/api/coverage/blind-spots.geojson${blindSpotsQuery(blindSpotFilter(filter))}` };
}

/** situationmap-coverage-2026-11-26-0657.csv / situationmap-blind-spots-2026-11-26-0657.geojson (city time of the data). */
export function exportName(kind: 'csv' | 'geojson', computedAt: string | number): string {
  return kind === 'csv' ? `situationmap-coverage-${cityStamp(computedAt)}.csv` : `situationmap-blind-spots-${cityStamp(computedAt)}.geojson`;
}

/** The file name of a Content-Disposition header (RFC 6266: filename*=UTF-8''… wins over filename=…), or null. */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return null;
  const name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1]!.trim();
  // never a path, whatever the server sends
  const base = name.split(/[\\/]/).pop() ?? '';
  return base || null;
}
