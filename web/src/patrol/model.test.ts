import { describe, expect, test } from 'vitest';
import type { DispatchCandidate, DistrictResponseShares, ResponseCoverage, RouteOverview, RouteSuggestion } from '../api/patrol';
import type { Permission } from '../auth/session';
import {
  addMinutes, bandColor, bandOpacity, bandsForDrawing, canAssign, conflictKind, defaultDosageRange, dosageSummary, formatEta, formatKm, groupByLevel,
  isOpenIncident, isStale, nextQuarterHour, positionAge, rankedCandidates, routeFeatures, shareTable, sharesMonotone, shiftText, stopFeatures,
  lineRoute, routeRequest, suggestionRoute, suggestProblems, suggestRequest, defaultSuggest, Throttle, topCells, unitsChanged, unitsOnRoute, unreachableKey, visibilityRows,
  type ThrottleTimers,
} from './model';

function candidate(id: number, eta: number | null, update: Partial<DispatchCandidate> = {}): DispatchCandidate {
  return {
    unit_id: id, call_sign: `U-${id}`, level: 2, mode: 'vehicle', district: 'D1', version: 1, position_age_s: 30, eta_s: eta,
    distance_m: eta === null ? null : eta * 10, unreachable: eta === null ? 'has not reported a position' : null,
    route: eta === null ? null : { type: 'LineString', coordinates: [[114.9, 40.8], [114.91, 40.81]] }, ...update,
  };
}

describe('dispatch display', () => {
  test('ETA as m:ss, an hour or more as h:mm:ss, nothing as a dash', () => {
    expect(formatEta(0)).toBe('0:00');
    expect(formatEta(5)).toBe('0:05');
    expect(formatEta(245)).toBe('4:05');
    expect(formatEta(59.6)).toBe('1:00');
    expect(formatEta(600)).toBe('10:00');
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatEta(null)).toBe('—');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('—');
  });

  test('distance in km: two decimals below 1 km, one above', () => {
    expect(formatKm(350)).toBe('0.35 km');
    expect(formatKm(2449)).toBe('2.4 km');
    expect(formatKm(12_000)).toBe('12.0 km');
    expect(formatKm(null)).toBe('—');
  });

  test('position age in coarse units; stale after 10 minutes or never reported', () => {
    expect(positionAge(42)).toEqual({ value: 42, unit: 's' });
    expect(positionAge(185)).toEqual({ value: 3, unit: 'min' });
    expect(positionAge(7300)).toEqual({ value: 2, unit: 'h' });
    expect(positionAge(null)).toBeNull();
    expect(isStale({ position_age_s: 600 })).toBe(false);
    expect(isStale({ position_age_s: 601 })).toBe(true);
    expect(isStale({ position_age_s: null })).toBe(true);
  });

  test('only reported, dispatched and on-scene incidents are open for dispatch', () => {
    expect(['reported', 'dispatched', 'on_scene'].every(isOpenIncident)).toBe(true);
    expect(['resolved', 'closed', 'cancelled', undefined].some(isOpenIncident)).toBe(false);
  });

  test('assigning needs both incidents:write and units:write', () => {
    const has = (ps: Permission[]) => (p: Permission) => ps.includes(p);
    expect(canAssign(has(['read', 'incidents:write', 'units:write']))).toBe(true);
    expect(canAssign(has(['read', 'incidents:write']))).toBe(false);
    expect(canAssign(has(['read', 'units:write']))).toBe(false);
    expect(canAssign(has(['read']))).toBe(false);
  });

  test("the server's reasons become i18n keys; unknown ones are shown as sent", () => {
    expect(unreachableKey('has not reported a position')).toBe('patrol.unreachable.noPosition');
    expect(unreachableKey('is more than 500 m from any road usable by foot')).toBe('patrol.unreachable.unitFar');
    expect(unreachableKey('the incident is more than 500 m from any road usable by vehicle')).toBe('patrol.unreachable.incidentFar');
    expect(unreachableKey('no road route leads from it to the incident')).toBe('patrol.unreachable.noRoute');
    expect(unreachableKey('there is no road network (the roads layer is empty)')).toBe('patrol.unreachable.noNetwork');
    expect(unreachableKey('something new')).toBeNull();
    expect(unreachableKey(null)).toBeNull();
  });

  test('ranked candidates in ascending ETA, ties by call sign; unranked ones left out', () => {
    const ranked = rankedCandidates({ candidates: [candidate(3, 200), candidate(1, 90), candidate(2, 200, { call_sign: 'A-2' }), candidate(4, null)] });
    expect(ranked.map((c) => c.unit_id)).toEqual([1, 2, 3]);
  });

  test('route lines: the best is emphasised and drawn above, a hovered one above all', () => {
    const cs = [candidate(1, 60), candidate(2, 90), candidate(3, 120, { route: null }), candidate(4, 150)];
    const plain = routeFeatures(cs);
    expect(plain.map((f) => f.properties!.unit_id)).toEqual([4, 2, 1]);
    expect(plain.find((f) => f.properties!.best)!.properties!.unit_id).toBe(1);
    expect(plain.find((f) => f.properties!.unit_id === 4)!.properties!.rank).toBe(4);
    const hovered = routeFeatures(cs, 2);
    expect(hovered[hovered.length - 1]!.properties).toMatchObject({ unit_id: 2, hovered: true, best: false });
  });

  test('409 problem types by their ending', () => {
    expect(conflictKind('https://situationmap.dev/problems/unit-unavailable')).toBe('unit-unavailable');
    expect(conflictKind('https://situationmap.dev/problems/incident-not-open')).toBe('incident-not-open');
    expect(conflictKind('https://situationmap.dev/problems/validation')).toBeNull();
    expect(conflictKind(undefined)).toBeNull();
  });
});

class FakeTimers implements ThrottleTimers {
  t = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void { this.queue = this.queue.filter((q) => q.id !== handle); }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

describe('throttle', () => {
  test('a burst becomes one run after the short delay; later triggers wait for the interval', () => {
    const timers = new FakeTimers();
    const runs: number[] = [];
    const throttle = new Throttle(() => runs.push(timers.t), 10_000, 300, timers);
    for (let i = 0; i < 20; i++) throttle.trigger();
    timers.advance(299);
    expect(runs).toEqual([]);
    timers.advance(1);
    expect(runs).toEqual([300]);
    // units keep moving: at most one run every 10 s
    for (let t = 0; t < 25_000; t += 500) {
      throttle.trigger();
      timers.advance(500);
    }
    expect(runs).toEqual([300, 10_300, 20_300]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(10_000);
  });

  test('a fetch on demand restarts the interval; cancel drops the pending run', () => {
    const timers = new FakeTimers();
    const runs: number[] = [];
    const throttle = new Throttle(() => runs.push(timers.t), 5_000, 0, timers);
    timers.advance(1_000);
    throttle.ran();
    throttle.trigger();
    expect(throttle.pending).toBe(true);
    timers.advance(4_999);
    expect(runs).toEqual([]);
    timers.advance(1);
    expect(runs).toEqual([6_000]);
    throttle.trigger();
    throttle.cancel();
    timers.advance(60_000);
    expect(runs).toEqual([6_000]);
  });
});

function district(code: string, shares: [number, number | null, number | null][]): DistrictResponseShares {
  return {
    district: code, name: `区${code}`, name_en: `District ${code}`, area_km2: 10, residential_km2: 2, incidents: 40,
    bands: [300, 60, 180].map((s) => {
      const i = [60, 180, 300].indexOf(s);
      const [a, r, n] = shares[i]!;
      return { seconds: s, area_share: a, residential_share: r, incident_share: n };
    }),
  };
}

describe('response bands', () => {
  const coverage: Pick<ResponseCoverage, 'bands' | 'total' | 'districts'> = {
    bands: [
      { seconds: 60, area: { type: 'MultiPolygon', coordinates: [] }, area_km2: 1 },
      { seconds: 300, area: { type: 'MultiPolygon', coordinates: [] }, area_km2: 20 },
      { seconds: 180, area: { type: 'MultiPolygon', coordinates: [] }, area_km2: 8 },
    ],
    total: district('*', [[0.05, 0.1, 0.2], [0.3, 0.4, 0.5], [0.6, 0.7, 0.8]]),
    districts: [
      district('B', [[0.1, null, 0.3], [0.4, null, 0.6], [0.9, null, 0.95]]),
      district('A', [[0.0, 0.0, 0.0], [0.1, 0.2, 0.1], [0.2, 0.3, 0.2]]),
      district('C', [[0.05, 0.05, 0.1], [0.3, 0.3, 0.4], [0.5, 0.5, 0.5]]),
    ],
  };

  test('drawn widest first: 5 min under 3 min under 1 min; empty bands left out', () => {
    expect(bandsForDrawing(coverage.bands).map((b) => b.seconds)).toEqual([300, 180, 60]);
    expect(bandsForDrawing([{ seconds: 60, area: null, area_km2: 0 }, { seconds: 180, area: { type: 'MultiPolygon', coordinates: [] }, area_km2: 1 }])
      .map((b) => b.seconds)).toEqual([180]);
  });

  test('each band has its own colour, nearest first', () => {
    expect(new Set([60, 180, 300].map((s) => bandColor(s))).size).toBe(3);
    expect(bandColor(60)).toBe('#3ddc97');
  });

  test('the nearest band is filled strongest, the widest faintest', () => {
    expect([60, 180, 300].map((s) => bandOpacity(s))).toEqual([0.34, 0.27, 0.2]);
    expect(bandOpacity(120, [120])).toBe(0.25);
  });

  test('share table: columns in ascending band order, districts with the widest band worst first, then the total', () => {
    const area = shareTable(coverage, 'area');
    expect(area.seconds).toEqual([60, 180, 300]);
    expect(area.rows.map((r) => r.district)).toEqual(['A', 'C', 'B', '*']);
    expect(area.rows[3]).toMatchObject({ total: true, shares: [0.05, 0.3, 0.6], base: 10 });
    expect(area.rows.every(sharesMonotone)).toBe(true);
    const residential = shareTable(coverage, 'residential');
    // B has no residential zones: no share, listed last before the total
    expect(residential.rows.map((r) => r.district)).toEqual(['A', 'C', 'B', '*']);
    expect(residential.rows[2]!.shares).toEqual([null, null, null]);
    expect(shareTable(coverage, 'incidents').rows[3]).toMatchObject({ shares: [0.2, 0.5, 0.8], base: 40 });
  });

  test('a table where a wider band covers less is flagged', () => {
    expect(sharesMonotone({ district: 'X', name: null, name_en: null, total: false, base: 1, shares: [0.5, 0.4, 0.9] })).toBe(false);
  });

  test('only patrol unit changes move the bands', () => {
    expect(unitsChanged([{ layer: 'incidents' }, { layer: 'cameras' }])).toBe(false);
    expect(unitsChanged([{ layer: 'incidents' }, { layer: 'patrol_units' }])).toBe(true);
  });
});

function route(id: number, level: 1 | 2 | 3, update: Partial<RouteOverview> = {}): RouteOverview {
  return {
    id, name: `R${id}`, level, mode: 'vehicle', status: 'active', district: 'D1', length_m: 5000, loop_minutes: 20, on_shift_now: false,
    shift_windows: [], problems: [], units: [], ...update,
  };
}

describe('routes by level', () => {
  test('grouped by level, on shift first, then routes with problems, then by name', () => {
    const groups = groupByLevel([
      route(1, 2, { name: 'b' }), route(2, 2, { name: 'a' }), route(3, 2, { name: 'c', on_shift_now: true }),
      route(4, 2, { name: 'd', problems: [{ code: 'off_road', message: 'off the road' }] }), route(5, 1), route(6, 3, { on_shift_now: true }),
    ]);
    expect(groups.map((g) => g.level)).toEqual([1, 2, 3]);
    expect(groups[1]!.routes.map((r) => r.id)).toEqual([3, 4, 2, 1]);
    expect(groups[1]).toMatchObject({ onShift: 1, problems: 1 });
    expect(groups[2]).toMatchObject({ onShift: 1, problems: 0 });
  });

  test('shift windows as compact text', () => {
    const day = (d: number): string => ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]!;
    expect(shiftText([{ start: '08:00', end: '20:00', days: [1, 2, 3, 4, 5] }], day, 'daily')).toBe('Mon–Fri 08:00–20:00');
    expect(shiftText([{ start: '20:00', end: '08:00', days: [1, 2, 3, 4, 5, 6, 7] }], day, 'daily')).toBe('daily 20:00–08:00');
    expect(shiftText([{ start: '10:00', end: '12:00', days: [6, 7] }, { start: '18:00', end: '22:00', days: [5] }], day, 'daily'))
      .toBe('Sat,Sun 10:00–12:00; Fri 18:00–22:00');
  });

  test('units on and off their route', () => {
    expect(unitsOnRoute({ units: [
      { unit_id: 1, call_sign: 'a', status: 'available', distance_m: 5, on_route: true },
      { unit_id: 2, call_sign: 'b', status: 'busy', distance_m: 900, on_route: false },
      { unit_id: 3, call_sign: 'c', status: 'off_duty', distance_m: null, on_route: null },
    ] })).toEqual({ on: 1, off: 1, unknown: 1 });
  });
});

describe('route suggestion', () => {
  const suggestion: RouteSuggestion = {
    mode: 'foot', budget_s: 7200, travel_s: 3000, dwell_s: 4320, total_s: 7320, collected_priority: 12.5,
    stops: [
      { cell: 101, priority: 5, location: [114.9, 40.8], arrival_s: 300 },
      { cell: 102, priority: 3, location: [114.91, 40.8], arrival_s: 1200 },
    ],
    geometry: { type: 'LineString', coordinates: [[114.89, 40.8], [114.9, 40.8], [114.91, 40.8], [114.89, 40.8]] },
    candidates: 40, unreachable: [],
  };

  test('the request from a unit or from a clicked start', () => {
    expect(suggestRequest({ ...defaultSuggest, unitId: 7 })).toEqual({ unit_id: 7, minutes: 120, dwell_minutes: 12 });
    expect(suggestRequest({ ...defaultSuggest, from: 'point', start: [114.9, 40.8], mode: 'foot', minutes: 90 }))
      .toEqual({ start: [114.9, 40.8], mode: 'foot', minutes: 90, dwell_minutes: 12 });
    expect(suggestProblems(defaultSuggest)).toEqual(['patrol.suggest.needUnit']);
    expect(suggestProblems({ ...defaultSuggest, from: 'point', start: [1, 2], minutes: 5, dwellMinutes: 90 }))
      .toEqual(['patrol.suggest.badMinutes', 'patrol.suggest.badDwell']);
  });

  test('accepted as an active route: the loop as a MultiLineString with one daily shift window', () => {
    const feature = suggestionRoute(suggestion, 'Loop 1', 3, '22:30', 120)!;
    expect(feature.geometry).toEqual({ type: 'MultiLineString', coordinates: [suggestion.geometry!.coordinates] });
    expect(feature.properties).toEqual({
      name: 'Loop 1', level: 3, mode: 'foot', status: 'active', shift_windows: [{ start: '22:30', end: '00:30', days: [1, 2, 3, 4, 5, 6, 7] }],
    });
    expect(suggestionRoute({ ...suggestion, geometry: null }, 'x', 3, '08:00', 60)).toBeNull();
  });

  test('a route drawn through waypoints: the request, what is missing, and the route saved along the road line', () => {
    const drawn = { ...defaultSuggest, from: 'draw' as const, mode: 'bicycle' as const, waypoints: [[114.9, 40.8], [114.91, 40.81]] as [number, number][], loop: true };
    expect(routeRequest(drawn)).toEqual({ mode: 'bicycle', waypoints: [[114.9, 40.8], [114.91, 40.81]], loop: true });
    expect(suggestProblems({ ...drawn, waypoints: [[114.9, 40.8]] })).toEqual(['patrol.draw.needWaypoints']);
    expect(suggestProblems(drawn)).toEqual([]);
    const line: GeoJSON.LineString = { type: 'LineString', coordinates: [[114.9, 40.8], [114.905, 40.8], [114.91, 40.81]] };
    const feature = lineRoute(line, 'bicycle', 'Drawn', 2, '08:00', 480)!;
    expect(feature.geometry).toEqual({ type: 'MultiLineString', coordinates: [line.coordinates] });
    expect(feature.properties.mode).toBe('bicycle');
    expect(feature.properties.shift_windows).toEqual([{ start: '08:00', end: '16:00', days: [1, 2, 3, 4, 5, 6, 7] }]);
    expect(lineRoute({ type: 'LineString', coordinates: [[114.9, 40.8]] }, 'foot', 'x', 3, '08:00', 60)).toBeNull();
  });

  test('times of day', () => {
    expect(addMinutes('08:00', 125)).toBe('10:05');
    expect(addMinutes('23:50', 20)).toBe('00:10');
    // 2026-11-26T04:07Z is 12:07 in the city (UTC+8)
    expect(nextQuarterHour(Date.parse('2026-11-26T04:07:00Z'))).toBe('12:15');
    expect(nextQuarterHour(Date.parse('2026-11-26T15:50:00Z'))).toBe('00:00');
  });

  test('numbered stops in visiting order', () => {
    expect(stopFeatures(suggestion).map((f) => [f.properties!.n, f.geometry.coordinates])).toEqual([[1, [114.9, 40.8]], [2, [114.91, 40.8]]]);
  });
});

describe('dosage', () => {
  const dosage = {
    cells: [
      { cell: 1, seconds: 600, visits: 3, short_visits: 2, effective_visits: 1, long_visits: 0 },
      { cell: 2, seconds: 2400, visits: 2, short_visits: 0, effective_visits: 1, long_visits: 1 },
      { cell: 3, seconds: 0, visits: 0, short_visits: 0, effective_visits: 0, long_visits: 0 },
    ],
    visibility: {
      rate: 0.3, road_length_m: 1000, patrolled_length_m: 300,
      districts: [
        { district: 'B', name: 'b', road_length_m: 500, patrolled_length_m: 250, rate: 0.5 },
        { district: 'A', name: 'a', road_length_m: 500, patrolled_length_m: 50, rate: 0.1 },
      ],
    },
  };

  test('visits by length: short, effective (10–15 min), long', () => {
    expect(dosageSummary(dosage)).toEqual({ visits: 5, short: 2, effective: 2, long: 1, effectiveShare: 0.4 });
    expect(dosageSummary({ cells: [] }).effectiveShare).toBeNull();
  });

  test('the most patrolled cells first; districts by visibility rate, lowest first', () => {
    expect(topCells(dosage, 2).map((c) => c.cell)).toEqual([2, 1]);
    expect(visibilityRows(dosage).map((d) => d.district)).toEqual(['A', 'B']);
  });

  test('the default period is the last 8 hours', () => {
    const now = Date.parse('2026-11-26T04:00:00Z');
    expect(defaultDosageRange(now)).toEqual({ from: '2026-11-25T20:00:00.000Z', to: '2026-11-26T04:00:00.000Z' });
  });
});
