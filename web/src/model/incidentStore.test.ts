import { describe, expect, test } from 'vitest';
import type { Feature, IncidentProperties } from '../api/types';
import { IncidentStore, emptyFilter, matchesFilter, type FeedFilter } from './incidentStore';
import type { Bounds } from './timeWindow';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const window24h: Bounds = { from: T0 - 86_400_000, to: null };

function incident(id: number, minutesAgo: number, p: Partial<IncidentProperties> = {}): Feature<IncidentProperties> {
  const at = new Date(T0 - minutesAgo * 60_000).toISOString();
  return {
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [114.9, 40.8] },
    properties: {
      category: 'traffic', severity: 2, status: 'reported', occurred_at: at, reported_at: at, address: 'x', district: 'YQ',
      source: 'test', external_id: null, description: null, version: 1, created_at: at, updated_at: at, ...p,
    },
  };
}

const filter = (f: Partial<FeedFilter>): FeedFilter => ({ ...emptyFilter, ...f });

describe('IncidentStore (the feed)', () => {
  test('lists newest first', () => {
    const s = new IncidentStore();
    s.replaceAll([incident(1, 30), incident(2, 5), incident(3, 60)]);
    expect(s.query(emptyFilter).items.map((f) => f.id)).toEqual([2, 1, 3]);
  });

  test('filters by category, severity, status and district (empty set = all)', () => {
    const s = new IncidentStore();
    s.replaceAll([
      incident(1, 1, { category: 'violent', severity: 4 }),
      incident(2, 2, { category: 'traffic', severity: 1, status: 'closed' }),
      incident(3, 3, { category: 'violent', severity: 2, district: 'BS' }),
    ]);
    expect(s.query(filter({ categories: new Set(['violent']) })).items.map((f) => f.id)).toEqual([1, 3]);
    expect(s.query(filter({ severities: new Set([4, 1]) })).items.map((f) => f.id)).toEqual([1, 2]);
    expect(s.query(filter({ statuses: new Set(['closed']) })).items.map((f) => f.id)).toEqual([2]);
    expect(s.query(filter({ districts: new Set(['BS']) })).items.map((f) => f.id)).toEqual([3]);
    expect(s.query(filter({ categories: new Set(['violent']), districts: new Set(['YQ']) })).total).toBe(1);
    expect(matchesFilter(incident(9, 0, { district: null }).properties!, filter({ districts: new Set(['YQ']) }))).toBe(false);
  });

  test('limits the list but reports the total', () => {
    const s = new IncidentStore();
    s.replaceAll([1, 2, 3, 4, 5].map((i) => incident(i, i)));
    const q = s.query(emptyFilter, 2);
    expect(q.items.map((f) => f.id)).toEqual([1, 2]);
    expect(q.total).toBe(5);
  });

  test('live changes: a created incident is reported for flashing; updates and deletes apply in place', () => {
    const s = new IncidentStore();
    s.replaceAll([incident(1, 10)]);
    const r = s.apply([
      { seq: 11, kind: 'created', id: 2, feature: incident(2, 0) },
      { seq: 12, kind: 'updated', id: 1, feature: incident(1, 10, { status: 'dispatched', version: 2 }) },
    ], window24h);
    expect(r).toEqual({ created: [2], changed: true });
    expect(s.get(1)?.properties?.status).toBe('dispatched');
    s.apply([{ seq: 13, kind: 'deleted', id: 2, feature: null }], window24h);
    expect(s.get(2)).toBeUndefined();
  });

  test('a replayed creation of an incident already loaded does not flash, and an older event does not resurrect a deleted one', () => {
    const s = new IncidentStore();
    s.replaceAll([incident(1, 10, { version: 2 })]);
    expect(s.apply([{ seq: 5, kind: 'created', id: 1, feature: incident(1, 10, { version: 1 }) }], window24h).created).toEqual([]);
    expect(s.get(1)?.properties?.version).toBe(2);
    s.apply([{ seq: 9, kind: 'deleted', id: 1, feature: null }], window24h);
    s.apply([{ seq: 8, kind: 'updated', id: 1, feature: incident(1, 10, { version: 3 }) }], window24h);
    expect(s.get(1)).toBeUndefined();
  });

  test('keeps only incidents inside the time window', () => {
    const s = new IncidentStore();
    const lastHour: Bounds = { from: T0 - 3_600_000, to: null };
    s.apply([{ seq: 1, kind: 'created', id: 1, feature: incident(1, 120) }], lastHour);
    expect(s.size).toBe(0);
    s.apply([{ seq: 2, kind: 'created', id: 2, feature: incident(2, 30) }], lastHour);
    expect(s.size).toBe(1);
    expect(s.trim({ from: T0 - 10 * 60_000, to: null })).toBe(true);
    expect(s.size).toBe(0);
  });
});
