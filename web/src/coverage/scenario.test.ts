import { describe, expect, test } from 'vitest';
import type { RecommendedCamera } from '../api/coverage';
import type { CameraProperties, Feature } from '../api/types';
import { changeKey, commitOrder, newCameraFeature, normalizeHeading, ScenarioDraft, updatedCameraFeature, type DraftUpdate, type Lens } from './scenario';

const lens: Lens = { kind: 'fixed', field_of_view_deg: 90, range_m: 60 };

function pick(rank: number, heading = 45): RecommendedCamera {
  return { rank, location: [Number((114.9 + rank / 1000).toFixed(6)), 40.8], heading_deg: heading, gain_weighted: 100, newly_covered_m2: 900, view: null, zones: [] };
}

function camera(id: number, update: Partial<CameraProperties> = {}): Feature<CameraProperties> {
  return {
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [114.9, 40.8] },
    properties: {
      name: `CAM-${id}`, kind: 'fixed', heading_deg: 10, field_of_view_deg: 60, range_m: 80, mounting_height_m: 6, status: 'online',
      privacy_masks: null, view_sector: { type: 'MultiPolygon', coordinates: [] }, installed_at: null, owner_unit: 'u', district: 'D1', version: 7,
      created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z', ...update,
    } as unknown as CameraProperties,
  };
}

describe('draft', () => {
  test('cameras placed by hand get their own refs and normalised headings', () => {
    const d = new ScenarioDraft();
    expect(d.add([114.9000001234, 40.8], 370, lens)).toBe('new-1');
    expect(d.add([114.91, 40.81], -90, lens)).toBe('new-2');
    expect(d.changes.map((c) => (c.op === 'add' ? [c.ref, c.heading_deg, c.location[0]] : null))).toEqual([['new-1', 10, 114.9], ['new-2', 270, 114.91]]);
  });

  test('accepting a pick is idempotent and can be undone', () => {
    const d = new ScenarioDraft();
    d.acceptPick(1, pick(1), lens);
    d.acceptPick(1, pick(1), lens);
    d.acceptPick(1, pick(2), lens);
    expect(d.size).toBe(2);
    expect(d.isAccepted(1, 2)).toBe(true);
    expect(d.isAccepted(2, 2)).toBe(false);
    d.discard('add:pick-1-2');
    expect(d.isAccepted(1, 2)).toBe(false);
    expect(d.size).toBe(1);
  });

  test('an existing camera has one change: edits merge, a removal replaces them, an edit after a removal revives it', () => {
    const d = new ScenarioDraft();
    d.update(7, 'CAM-7', { heading_deg: 90 }, [114.9, 40.8]);
    d.update(7, 'CAM-7', { location: [114.901, 40.801] });
    expect(d.changes).toEqual([{ op: 'update', id: 7, name: 'CAM-7', heading_deg: 90, location: [114.901, 40.801], at: [114.9, 40.8] }]);
    d.remove(7, 'CAM-7');
    expect(d.changes).toEqual([{ op: 'remove', id: 7, name: 'CAM-7', at: [114.9, 40.8] }]);
    d.update(7, 'CAM-7', { heading_deg: 180 });
    expect(d.forCamera(7)).toMatchObject({ op: 'update', heading_deg: 180 });
    expect(d.size).toBe(1);
  });

  test('listeners hear every change; clearing an empty draft is silent', () => {
    const d = new ScenarioDraft();
    let calls = 0;
    d.onChange(() => calls++);
    d.clear();
    d.add([114.9, 40.8], 0, lens);
    d.editAdd('new-1', { heading_deg: 45 });
    d.clear();
    expect(calls).toBe(3);
  });

  test('the evaluation request carries only what the server reads', () => {
    const d = new ScenarioDraft();
    d.acceptPick(3, pick(1, 135), lens);
    d.update(7, 'CAM-7', { heading_deg: 90 }, [114.9, 40.8]);
    d.remove(8, 'CAM-8', [114.92, 40.81]);
    expect(d.toRequest()).toEqual({
      changes: [
        { op: 'add', ref: 'pick-3-1', location: [114.901, 40.8], heading_deg: 135, field_of_view_deg: 90, range_m: 60, kind: 'fixed' },
        { op: 'update', id: 7, heading_deg: 90 },
        { op: 'remove', id: 8 },
      ],
    });
  });

  test('survives a reload through sessionStorage; anything foreign is dropped', () => {
    const d = new ScenarioDraft();
    d.add([114.9, 40.8], 30, lens);
    d.remove(8, 'CAM-8');
    const restored = new ScenarioDraft();
    restored.restore(d.serialize());
    expect(restored.changes).toEqual(d.changes);
    expect(restored.add([114.95, 40.85], 0, lens)).toBe('new-2');
    const other = new ScenarioDraft();
    other.restore('{"v":1,"changes":[{"op":"add","ref":"x"},{"op":"remove","id":3,"name":"c"},{"op":"drop"}]}');
    expect(other.changes).toEqual([{ op: 'remove', id: 3, name: 'c' }]);
    other.restore('not json');
    other.restore(null);
    expect(other.size).toBe(1);
  });

  test('keys name draft cameras by ref and existing ones by id', () => {
    expect(changeKey({ op: 'add', ref: 'new-1', location: [0, 0], heading_deg: 0, ...lens })).toBe('add:new-1');
    expect(changeKey({ op: 'remove', id: 4, name: 'x' })).toBe('camera:4');
  });

  test('headings are compass degrees in [0, 360)', () => {
    expect(normalizeHeading(360)).toBe(0);
    expect(normalizeHeading(359.96)).toBe(0);
    expect(normalizeHeading(-45)).toBe(315);
    expect(normalizeHeading(12.345)).toBe(12.3);
  });
});

describe('commit', () => {
  test('removals first, then changes, then new cameras', () => {
    const d = new ScenarioDraft();
    d.add([114.9, 40.8], 0, lens);
    d.update(1, 'a', { heading_deg: 5 });
    d.remove(2, 'b');
    expect(commitOrder(d.changes).map((c) => c.op)).toEqual(['remove', 'update', 'add']);
  });

  test('a new camera is a GeoJSON Feature of the camera API, online', () => {
    const d = new ScenarioDraft();
    d.add([114.9, 40.8], 200, { kind: 'ptz', field_of_view_deg: 360, range_m: 100 });
    const add = d.changes[0]!;
    if (add.op !== 'add') throw new Error('add expected');
    expect(newCameraFeature(add, 'Planned 1')).toEqual({
      type: 'Feature', geometry: { type: 'Point', coordinates: [114.9, 40.8] },
      properties: { name: 'Planned 1', kind: 'ptz', heading_deg: 200, field_of_view_deg: 360, range_m: 100, mounting_height_m: 6, status: 'online' },
    });
  });

  test('an update writes the whole camera back with the draft applied, without server-computed fields', () => {
    const change: DraftUpdate = { op: 'update', id: 5, name: 'CAM-5', heading_deg: 120, location: [114.95, 40.85] };
    const body = updatedCameraFeature(camera(5), change);
    expect(body.geometry).toEqual({ type: 'Point', coordinates: [114.95, 40.85] });
    expect(body.properties).toMatchObject({ name: 'CAM-5', heading_deg: 120, field_of_view_deg: 60, range_m: 80, owner_unit: 'u', status: 'online' });
    for (const key of ['version', 'created_at', 'updated_at', 'view_sector']) expect(body.properties).not.toHaveProperty(key);
    // a rotation keeps the camera where it is
    expect(updatedCameraFeature(camera(5), { op: 'update', id: 5, name: 'x', heading_deg: 1 }).geometry).toEqual({ type: 'Point', coordinates: [114.9, 40.8] });
  });
});
