import { describe, expect, test } from 'vitest';
import type { CoverageReport, CoverageUpdated, ZoneCoverageRow } from '../api/coverage';
import {
  aggregate, bboxContains, belowTargetIds, blindSpotFilter, defaultFilter, defaultSort, deltaPoints, exportName, exportUrls,
  fileNameFromDisposition, filterZones, mergeUpdate, paddedBbox, ragOf, sortZones, toggleSort, viewsFetchNeeded, type Bbox,
} from './model';

function zone(id: number, covered: number, target: number, update: Partial<ZoneCoverageRow> = {}): ZoneCoverageRow {
  const area = update.area_m2 ?? 10_000;
  const shortfall = Math.max(0, target - covered);
  return {
    id, name: `区域${id}`, name_en: `Zone ${id}`, kind: 'residential_community', district: 'D1', target, area_m2: area, covered_m2: covered * area,
    covered, shortfall, below_target: shortfall > 0, rag: ragOf(covered, target), incidents: 10, incidents_covered: Math.round(covered * 10),
    incident_covered: covered, cameras: 2, ...update,
  };
}

function report(zones: ZoneCoverageRow[], version = 5): CoverageReport {
  return {
    version, computed_at: '2026-11-26T02:00:00Z', incident_days: 30, cameras_operational: 10, cameras_total: 12,
    total: aggregate(zones),
    by_kind: [{ kind: 'residential_community', target: 0.7, figures: aggregate(zones.filter((z) => z.kind === 'residential_community')) }],
    by_district: [{ district: 'D1', district_name: '一区', figures: aggregate(zones.filter((z) => z.district === 'D1')) }],
    zones, below_target: belowTargetIds(zones),
  };
}

describe('RAG', () => {
  test('green at or above target, amber within 10 points below, red further below', () => {
    expect(ragOf(0.7, 0.7)).toBe('green');
    expect(ragOf(0.95, 0.7)).toBe('green');
    expect(ragOf(0.65, 0.7)).toBe('amber');
    expect(ragOf(0.6, 0.7)).toBe('amber');
    expect(ragOf(0.59, 0.7)).toBe('red');
    expect(ragOf(0.9, 1)).toBe('amber');
    expect(ragOf(0, 0.5)).toBe('red');
  });

  test('floating-point noise does not flip a zone exactly at its target', () => {
    expect(ragOf(0.1 + 0.2 + 0.4, 0.7)).toBe('green');
    expect(ragOf(0.7 - 0.1 - 1e-12, 0.7)).toBe('amber');
  });

  test('percentage points between two fractions', () => {
    expect(deltaPoints(0.42, 0.5)).toBe(8);
    expect(deltaPoints(0.5, 0.4249)).toBe(-7.51);
    expect(deltaPoints(0.0621, 0.0623)).toBe(0.02);
    expect(deltaPoints(0.3, 0.3)).toBe(0);
  });
});

describe('zone table', () => {
  const rows = [
    zone(1, 0.69, 0.7), // amber, shortfall 0.01
    zone(2, 0.2, 1, { kind: 'key_facility', incident_covered: null, incidents: 0, incidents_covered: 0 }), // red, shortfall 0.8
    zone(3, 0.9, 0.7), // green, margin 0.2
    zone(4, 0.71, 0.7), // green, margin 0.01
    zone(5, 0.4, 0.7, { district: 'D2' }), // red, shortfall 0.3
  ];

  test('by priority: below target by shortfall (largest first), then compliant zones closest to their target', () => {
    expect(sortZones(rows, defaultSort).map((z) => z.id)).toEqual([2, 5, 1, 4, 3]);
  });

  test('a column sorts worst first; a second click flips it', () => {
    const covered = toggleSort(defaultSort, 'covered');
    expect(covered).toEqual({ key: 'covered', dir: 'asc' });
    expect(sortZones(rows, covered).map((z) => z.id)).toEqual([2, 5, 1, 4, 3]);
    expect(sortZones(rows, toggleSort(covered, 'covered')).map((z) => z.id)).toEqual([3, 4, 1, 5, 2]);
    expect(toggleSort(covered, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });

  test('names sort with numbers in order; zones without incidents stay last either way', () => {
    const named = [zone(10, 0.5, 0.5, { name: '区域10' }), zone(9, 0.5, 0.5, { name: '区域9' })];
    expect(sortZones(named, { key: 'name', dir: 'asc' }).map((z) => z.id)).toEqual([9, 10]);
    expect(sortZones(rows, { key: 'incident_covered', dir: 'asc' }).at(-1)!.id).toBe(2);
    expect(sortZones(rows, { key: 'incident_covered', dir: 'desc' }).at(-1)!.id).toBe(2);
  });

  test('filters by kind, district, below target and search text', () => {
    expect(filterZones(rows, { ...defaultFilter, belowOnly: true }).map((z) => z.id)).toEqual([1, 2, 5]);
    expect(filterZones(rows, { ...defaultFilter, kind: 'key_facility' }).map((z) => z.id)).toEqual([2]);
    expect(filterZones(rows, { ...defaultFilter, district: 'D2' }).map((z) => z.id)).toEqual([5]);
    expect(filterZones(rows, { ...defaultFilter, search: 'zone 3' }).map((z) => z.id)).toEqual([3]);
    expect(filterZones(rows, { ...defaultFilter, search: '区域4' }).map((z) => z.id)).toEqual([4]);
  });

  test('the blind spots on the map follow the table filter (search aside)', () => {
    expect(blindSpotFilter(defaultFilter)).toEqual({ below_target: false, kind: null, district: null });
    expect(blindSpotFilter({ kind: 'school', district: 'D2', belowOnly: true, search: 'x' })).toEqual({ below_target: true, kind: 'school', district: 'D2' });
  });
});

describe('live updates', () => {
  const base = report([zone(1, 0.8, 0.7), zone(2, 0.75, 0.7, { district: 'D2' }), zone(3, 0.3, 0.7)]);

  test('recomputed zones replace theirs; groups, totals and the below-target list follow', () => {
    const dropped = zone(2, 0.5, 0.7, { district: 'D2' });
    const update: CoverageUpdated = { version: 6, computed_at: '2026-11-26T02:01:00Z', cause: 'camera_status', zones: [dropped], total: null };
    const merged = mergeUpdate(base, update);
    expect(merged.applied).toBe(true);
    expect(merged.gap).toBe(false);
    expect(merged.changed).toEqual([2]);
    const r = merged.report;
    expect(r.version).toBe(6);
    expect(r.computed_at).toBe('2026-11-26T02:01:00Z');
    expect(r.zones.find((z) => z.id === 2)!.rag).toBe('red');
    expect(r.below_target).toEqual([3, 2]);
    expect(r.total.zones_below_target).toBe(2);
    expect(r.total.covered).toBeCloseTo((0.8 + 0.5 + 0.3) / 3);
    expect(r.by_kind[0]!.target).toBe(0.7);
    expect(r.by_kind[0]!.figures.zones_below_target).toBe(2);
    expect(r.by_district.find((d) => d.district === 'D2')).toMatchObject({ district_name: null, figures: { zones: 1, zones_below_target: 1 } });
    expect(r.by_district.find((d) => d.district === 'D1')).toMatchObject({ district_name: '一区', figures: { zones: 2 } });
    // the original is untouched
    expect(base.zones.find((z) => z.id === 2)!.covered).toBe(0.75);
  });

  test("the server's total wins when it sends one", () => {
    const total = { ...aggregate(base.zones), covered: 0.123 };
    const r = mergeUpdate(base, { version: 6, computed_at: 'x', cause: 'camera_edit', zones: [], total }).report;
    expect(r.total.covered).toBe(0.123);
  });

  test('an old or repeated update is ignored; a skipped version asks for the whole report', () => {
    expect(mergeUpdate(base, { version: 5, computed_at: 'x', cause: 'c', zones: [zone(1, 0, 0.7)], total: null }).applied).toBe(false);
    expect(mergeUpdate(base, { version: 3, computed_at: 'x', cause: 'c', zones: [], total: null }).report).toBe(base);
    const gap = mergeUpdate(base, { version: 8, computed_at: 'x', cause: 'c', zones: [zone(1, 0.85, 0.7)], total: null });
    expect(gap.applied).toBe(true);
    expect(gap.gap).toBe(true);
  });

  test('a zone the report did not have is added', () => {
    const r = mergeUpdate(base, { version: 6, computed_at: 'x', cause: 'zone_created', zones: [zone(9, 0, 1, { kind: 'school' })], total: null });
    expect(r.changed).toEqual([9]);
    expect(r.report.zones).toHaveLength(4);
    expect(r.report.by_kind.find((k) => k.kind === 'school')).toMatchObject({ target: 1, figures: { zones: 1, zones_below_target: 1 } });
  });
});

describe('figures', () => {
  test('area-weighted coverage, incident-weighted coverage (null without incidents)', () => {
    const f = aggregate([zone(1, 1, 0.7, { area_m2: 30_000 }), zone(2, 0, 0.7, { area_m2: 10_000, incidents: 0, incidents_covered: 0 })]);
    expect(f).toMatchObject({ zones: 2, area_m2: 40_000, covered_m2: 30_000, covered: 0.75, incidents: 10, incidents_covered: 10, incident_covered: 1, zones_below_target: 1 });
    expect(aggregate([]).incident_covered).toBeNull();
    expect(aggregate([]).covered).toBe(0);
  });
});

describe('camera views of the viewport', () => {
  const view: Bbox = [114.9, 40.8, 114.91, 40.81];

  test('the fetched box is padded and rounded outwards', () => {
    const b = paddedBbox(view);
    expect(b).toEqual([114.8975, 40.7975, 114.9125, 40.8125]);
    expect(bboxContains(b, view)).toBe(true);
  });

  test('fetched only from zoom 14, again when the view leaves the box or the coverage changed', () => {
    const fetched = { bbox: paddedBbox(view), version: 3 };
    expect(viewsFetchNeeded(13.9, view, null, 3)).toBe(false);
    expect(viewsFetchNeeded(14, view, null, 3)).toBe(true);
    expect(viewsFetchNeeded(15, view, fetched, 3)).toBe(false);
    expect(viewsFetchNeeded(15, [114.9015, 40.8, 114.9115, 40.81], fetched, 3)).toBe(false);
    expect(viewsFetchNeeded(15, [114.905, 40.8, 114.915, 40.81], fetched, 3)).toBe(true);
    expect(viewsFetchNeeded(15, view, fetched, 4)).toBe(true);
  });
});

describe('exports', () => {
  test('the GeoJSON export carries the filter of the map', () => {
    expect(exportUrls(defaultFilter)).toEqual({ csv: '/api/coverage.csv', geojson: '/api/coverage/blind-spots.geojson?below_target=false' });
    expect(exportUrls({ ...defaultFilter, belowOnly: true, district: 'D2' }).geojson).toBe('/api/coverage/blind-spots.geojson?below_target=true&district=D2');
  });

  test('file names carry the city time of the data', () => {
    expect(exportName('csv', '2026-11-25T22:57:42Z')).toBe('situationmap-coverage-2026-11-26-0657.csv');
    expect(exportName('geojson', '2026-11-25T22:57:42Z')).toBe('situationmap-blind-spots-2026-11-26-0657.geojson');
  });

  test("the server's file name from Content-Disposition", () => {
    expect(fileNameFromDisposition('attachment; filename=coverage.csv')).toBe('coverage.csv');
    expect(fileNameFromDisposition('attachment; filename="cov erage.csv"; filename*=UTF-8\'\'%E8%A6%86%E7%9B%96.csv')).toBe('覆盖.csv');
    expect(fileNameFromDisposition('attachment; filename="a\\"b.geojson"')).toBe('a"b.geojson');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
