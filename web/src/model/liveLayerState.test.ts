import { describe, expect, test } from 'vitest';
import type { Feature, LiveChange } from '../api/types';
import { LiveLayerState, notInIds } from './liveLayerState';

type P = { status: string; version: number };

function feature(id: number, version: number, status = 'reported'): Feature<P> {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [114.9, 40.8] }, properties: { status, version } };
}

function change(seq: number, id: number, kind: LiveChange['kind'], f: Feature<P> | null): Pick<LiveChange, 'seq' | 'kind' | 'id' | 'feature'> {
  return { seq, id, kind, feature: f };
}

describe('LiveLayerState (vector tiles + live overlay)', () => {
  test('a created feature is drawn from the overlay and its id hidden in the tiles', () => {
    const s = new LiveLayerState<P>();
    expect(s.apply(change(1, 10, 'created', feature(10, 1)))).toBe(true);
    expect(s.hiddenIds()).toEqual([10]);
    expect(s.features().map((f) => f.id)).toEqual([10]);
  });

  test('an update replaces the overlay copy; a delete hides the feature and draws nothing', () => {
    const s = new LiveLayerState<P>();
    s.apply(change(1, 10, 'updated', feature(10, 2, 'dispatched')));
    expect(s.get(10)?.properties?.status).toBe('dispatched');
    s.apply(change(2, 10, 'deleted', null));
    expect(s.hiddenIds()).toEqual([10]);
    expect(s.features()).toEqual([]);
    expect(s.get(10)).toBeNull();
    expect(s.get(11)).toBeUndefined();
  });

  test('a replayed older change does not undo a newer one (per-id sequence)', () => {
    const s = new LiveLayerState<P>();
    s.apply(change(5, 10, 'deleted', null));
    expect(s.apply(change(4, 10, 'updated', feature(10, 3)))).toBe(false);
    expect(s.features()).toEqual([]);
  });

  test('an older version is ignored even with a higher sequence number', () => {
    const s = new LiveLayerState<P>();
    s.apply(change(5, 10, 'updated', feature(10, 4, 'on_scene')));
    expect(s.apply(change(6, 10, 'updated', feature(10, 3, 'dispatched')))).toBe(false);
    expect(s.get(10)?.properties?.status).toBe('on_scene');
  });

  test('our own write shows at once and its live event is then a no-op', () => {
    const s = new LiveLayerState<P>();
    s.applyLocal(feature(10, 2, 'dispatched'), 7);
    const revision = s.revision;
    expect(s.apply(change(7, 10, 'updated', feature(10, 2, 'dispatched')))).toBe(false);
    expect(s.revision).toBe(revision);
    expect(s.apply(change(8, 10, 'updated', feature(10, 3, 'on_scene')))).toBe(true);
  });

  test('a local write without its seq still accepts its own event and later ones', () => {
    const s = new LiveLayerState<P>();
    s.applyLocal(feature(10, 2, 'dispatched'));
    s.apply(change(7, 10, 'updated', feature(10, 2, 'dispatched')));
    expect(s.apply(change(8, 10, 'updated', feature(10, 3, 'resolved')))).toBe(true);
    expect(s.get(10)?.properties?.status).toBe('resolved');
  });

  test('compaction drops what reloaded tiles carry and keeps newer changes', () => {
    const s = new LiveLayerState<P>();
    s.apply(change(1, 10, 'created', feature(10, 1)));
    s.apply(change(2, 11, 'deleted', null));
    s.apply(change(3, 12, 'updated', feature(12, 5)));
    s.compact(2);
    expect(s.hiddenIds()).toEqual([12]);
    s.clear();
    expect(s.size).toBe(0);
  });

  test('a new feature\'s id joins the tile filter only after the grace period (it cannot be in tiles loaded before)', () => {
    const s = new LiveLayerState<P>();
    s.apply(change(1, 10, 'created', feature(10, 1)), 1000);
    s.apply(change(2, 11, 'updated', feature(11, 2)), 1000);
    expect(s.hiddenIds(1500, 3000)).toEqual([11]);
    expect(s.nextDue(1500, 3000)).toBe(4000);
    expect(s.hiddenIds(4000, 3000)).toEqual([10, 11]);
    expect(s.nextDue(4000, 3000)).toBeNull();
    s.apply(change(3, 10, 'updated', feature(10, 2, 'dispatched')), 1600);
    expect(s.hiddenIds(1700, 3000)).toEqual([10, 11]); // once changed again, its tile copy (if any) is stale: hide now
  });

  test('the hidden-ids filter is a match on feature id that keeps features without one', () => {
    expect(notInIds([])).toBe(true);
    expect(notInIds([3, 1, 3])).toEqual(['match', ['id'], [1, 3], false, true]);
  });
});
