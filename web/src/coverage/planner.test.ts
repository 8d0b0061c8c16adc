import { describe, expect, test } from 'vitest';
import type { RecommendationResponse } from '../api/coverage';
import { compassPoint, defaultPlanner, plannerProblems, recommendationRequest, togglePoint, withKind, zoneGains, type PlannerSettings } from './planner';

function settings(update: Partial<PlannerSettings> = {}): PlannerSettings {
  return { ...defaultPlanner, ...update };
}

describe('recommendation request', () => {
  test('the defaults: a grid over the blind spots, server defaults for headings and spacing, no kind weights', () => {
    expect(recommendationRequest(settings())).toEqual({
      budget: 10,
      camera: { kind: 'fixed', field_of_view_deg: 90, range_m: 60 },
      headings: null,
      candidates: { source: 'grid', spacing_m: null, points: null },
      kind_weights: null,
      incident_weight: 1,
      district: null,
      zone_ids: null,
    });
  });

  test('poles of the list, weights that differ from 1 and the district are sent', () => {
    const r = recommendationRequest(settings({
      source: 'list', spacing: 40, points: [[114.9, 40.8], [114.91, 40.81]], kindWeights: { key_facility: 3, school: 1 }, district: 'D2', incidentWeight: 0,
    }));
    expect(r.candidates).toEqual({ source: 'list', spacing_m: null, points: [[114.9, 40.8], [114.91, 40.81]] });
    expect(r.kind_weights).toEqual({ key_facility: 3 });
    expect(r.district).toBe('D2');
    expect(r.incident_weight).toBe(0);
  });

  test("another kind brings its typical lens", () => {
    expect(withKind(settings(), 'ptz')).toMatchObject({ kind: 'ptz', fov: 360, range: 100 });
    expect(withKind(settings(), 'dome')).toMatchObject({ kind: 'dome', fov: 360, range: 30 });
  });
});

describe('validation (the server\'s ranges)', () => {
  test('the defaults are valid', () => {
    expect(plannerProblems(settings())).toEqual([]);
  });

  test('budget 1–100 whole cameras, field of view (0, 360], range (0, 1000]', () => {
    expect(plannerProblems(settings({ budget: 0 })).map((p) => p.field)).toEqual(['budget']);
    expect(plannerProblems(settings({ budget: 101 })).map((p) => p.field)).toEqual(['budget']);
    expect(plannerProblems(settings({ budget: 2.5 })).map((p) => p.field)).toEqual(['budget']);
    expect(plannerProblems(settings({ fov: 0 })).map((p) => p.field)).toEqual(['fov']);
    expect(plannerProblems(settings({ fov: 360 }))).toEqual([]);
    expect(plannerProblems(settings({ range: 1001 })).map((p) => p.field)).toEqual(['range']);
    expect(plannerProblems(settings({ range: Number.NaN })).map((p) => p.field)).toEqual(['range']);
  });

  test('headings, spacing, weights; a list needs poles', () => {
    expect(plannerProblems(settings({ headings: 0 })).map((p) => p.field)).toEqual(['headings']);
    expect(plannerProblems(settings({ headings: 37 })).map((p) => p.field)).toEqual(['headings']);
    expect(plannerProblems(settings({ spacing: 501 })).map((p) => p.field)).toEqual(['spacing']);
    expect(plannerProblems(settings({ incidentWeight: 10.5 })).map((p) => p.field)).toEqual(['incidentWeight']);
    expect(plannerProblems(settings({ spacing: 2 })).map((p) => p.field)).toEqual(['spacing']);
    expect(plannerProblems(settings({ source: 'list', spacing: 2 })).map((p) => p.field)).toEqual(['points']);
    expect(plannerProblems(settings({ incidentWeight: -1 })).map((p) => p.message)).toEqual(['coverage.invalid.incidentWeight']);
    expect(plannerProblems(settings({ kindWeights: { school: -2 } })).map((p) => p.field)).toEqual(['kindWeights']);
  });
});

describe('poles', () => {
  test('a click adds a pole; a click on it again removes it', () => {
    let poles = togglePoint([], [114.90000012, 40.8]);
    expect(poles).toEqual([[114.9, 40.8]]);
    poles = togglePoint(poles, [114.901, 40.8]);
    expect(poles).toHaveLength(2);
    poles = togglePoint(poles, [114.90003, 40.80002]);
    expect(poles).toEqual([[114.901, 40.8]]);
  });
});

describe('results', () => {
  const result: RecommendationResponse = {
    picks: [
      { rank: 2, location: [0, 0], heading_deg: 0, gain_weighted: 1, newly_covered_m2: 1, view: null, zones: [{ zone_id: 1, before: 0.5, after: 0.6 }] },
      { rank: 1, location: [0, 0], heading_deg: 0, gain_weighted: 2, newly_covered_m2: 2, view: null, zones: [{ zone_id: 1, before: 0.3, after: 0.5 }, { zone_id: 2, before: 0.1, after: 0.15 }] },
    ],
    objective_weighted: 3, sites: 10, options: 80, gain_evaluations: 200, optimality: null, zones_after: [], site_spacing_m: 25, sample_spacing_m: 5,
    compute_ms: 12,
  };

  test('zone gains over the picks in greedy order: the first before, the last after, largest gain first', () => {
    expect(zoneGains(result)).toEqual([{ zone_id: 1, before: 0.3, after: 0.6 }, { zone_id: 2, before: 0.1, after: 0.15 }]);
    expect(zoneGains(result, new Set([2]))).toEqual([{ zone_id: 1, before: 0.5, after: 0.6 }]);
  });

  test('compass points', () => {
    expect([0, 44, 46, 135, 180, 225, 270, 316, 359, -90].map(compassPoint)).toEqual(['N', 'NE', 'NE', 'SE', 'S', 'SW', 'W', 'NW', 'N', 'W']);
  });
});
