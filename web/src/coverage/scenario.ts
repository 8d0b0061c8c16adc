// The draft scenario a planner builds before touching the real cameras: new cameras (accepted recommendations or placed
// by a map click), existing cameras moved, rotated or given a new lens, existing cameras removed. At most one change per
// existing camera (a later edit merges into it; a removal replaces it). The draft becomes the request of
// /api/coverage/scenarios/evaluate, and on commit the writes of the camera API (POST, PUT with If-Match, DELETE).
// Kept in memory and in sessionStorage (survives a reload of the tab, not the session). Pure: no DOM, no requests.
import type { RecommendedCamera, ScenarioChange, ScenarioRequest } from '../api/coverage';
import type { CameraKind, CameraProperties, Feature, Geometry } from '../api/types';
import { cameraKinds } from '../model/vocabulary';

export type LngLat = [number, number];

/** A camera model: kind, field of view, range. */
export interface Lens {
  kind: CameraKind;
  field_of_view_deg: number;
  range_m: number;
}

export interface DraftAdd extends Lens {
  op: 'add';
  /** Names the draft camera (the server echoes it on the camera's view). */
  ref: string;
  location: LngLat;
  heading_deg: number;
  /** An accepted recommendation: its run and rank. */
  pick?: { run: number; rank: number };
}

export interface DraftUpdate extends Partial<Lens> {
  op: 'update';
  id: number;
  /** The camera's name, for the list. */
  name: string;
  /** Where the camera is now (for its marker; not sent). */
  at?: LngLat;
  location?: LngLat;
  heading_deg?: number;
}

export interface DraftRemove {
  op: 'remove';
  id: number;
  name: string;
  at?: LngLat;
}

export type DraftChange = DraftAdd | DraftUpdate | DraftRemove;

/** One key per change: the draft camera's ref, or the existing camera's id. */
export function changeKey(c: DraftChange): string {
  return c.op === 'add' ? `add:${c.ref}` : `camera:${c.id}`;
}

export function pickRef(run: number, rank: number): string {
  return `pick-${run}-${rank}`;
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Compass heading in [0, 360). */
export function normalizeHeading(deg: number): number {
  const h = ((deg % 360) + 360) % 360;
  return round(h, 1) === 360 ? 0 : round(h, 1);
}

type Listener = () => void;

export class ScenarioDraft {
  private list: DraftChange[] = [];
  private counter = 0;
  private readonly listeners = new Set<Listener>();

  get changes(): readonly DraftChange[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: DraftChange[]): void {
    this.list = next;
    for (const l of this.listeners) l();
  }

  /** A new camera placed by hand; returns its ref. */
  add(location: LngLat, heading: number, lens: Lens): string {
    const ref = `new-${++this.counter}`;
    this.set([...this.list, { op: 'add', ref, location: [round(location[0], 6), round(location[1], 6)], heading_deg: normalizeHeading(heading), ...lens }]);
    return ref;
  }

  /** A recommended camera accepted into the draft (idempotent); returns its ref. */
  acceptPick(run: number, pick: RecommendedCamera, lens: Lens): string {
    const ref = pickRef(run, pick.rank);
    if (this.list.some((c) => c.op === 'add' && c.ref === ref)) return ref;
    this.set([...this.list, {
      op: 'add', ref, location: [pick.location[0]!, pick.location[1]!], heading_deg: normalizeHeading(pick.heading_deg), ...lens, pick: { run, rank: pick.rank },
    }]);
    return ref;
  }

  isAccepted(run: number, rank: number): boolean {
    const ref = pickRef(run, rank);
    return this.list.some((c) => c.op === 'add' && c.ref === ref);
  }

  /** Changes a draft camera (position, heading, lens). */
  editAdd(ref: string, patch: Partial<Pick<DraftAdd, 'location' | 'heading_deg' | 'kind' | 'field_of_view_deg' | 'range_m'>>): void {
    const fixed = patch.heading_deg === undefined ? patch : { ...patch, heading_deg: normalizeHeading(patch.heading_deg) };
    this.set(this.list.map((c) => (c.op === 'add' && c.ref === ref ? { ...c, ...fixed } : c)));
  }

  /** Moves, rotates or re-lenses an existing camera; merges into its pending update (a pending removal is cancelled). */
  update(id: number, name: string, patch: Partial<Pick<DraftUpdate, 'location' | 'heading_deg' | 'kind' | 'field_of_view_deg' | 'range_m'>>, at?: LngLat): void {
    const fixed = patch.heading_deg === undefined ? patch : { ...patch, heading_deg: normalizeHeading(patch.heading_deg) };
    const existing = this.forCamera(id);
    const base: DraftUpdate = existing?.op === 'update' ? existing : { op: 'update', id, name };
    const merged: DraftUpdate = { ...base, ...fixed, name };
    if (at) merged.at = at;
    this.set(existing ? this.list.map((c) => (c === existing ? merged : c)) : [...this.list, merged]);
  }

  /** Removes an existing camera in the scenario (replaces any pending update of it). */
  remove(id: number, name: string, at?: LngLat): void {
    const existing = this.forCamera(id);
    const change: DraftRemove = { op: 'remove', id, name };
    const known = at ?? existing?.at;
    if (known) change.at = known;
    this.set(existing ? this.list.map((c) => (c === existing ? change : c)) : [...this.list, change]);
  }

  /** The pending change of an existing camera. */
  forCamera(id: number): DraftUpdate | DraftRemove | undefined {
    return this.list.find((c): c is DraftUpdate | DraftRemove => c.op !== 'add' && c.id === id);
  }

  /** Drops one change from the draft. */
  discard(key: string): void {
    this.set(this.list.filter((c) => changeKey(c) !== key));
  }

  /** Drops the changes that were committed (by key). */
  discardAll(keys: Iterable<string>): void {
    const drop = new Set(keys);
    this.set(this.list.filter((c) => !drop.has(changeKey(c))));
  }

  clear(): void {
    if (this.list.length) this.set([]);
  }

  /** The request of /api/coverage/scenarios/evaluate. */
  toRequest(): ScenarioRequest {
    return { changes: this.list.map(toScenarioChange) };
  }

  serialize(): string {
    return JSON.stringify({ v: 1, counter: this.counter, changes: this.list });
  }

  /** Restores a serialized draft; anything malformed is dropped (a stale or foreign sessionStorage entry). */
  restore(text: string | null): void {
    if (!text) return;
    try {
      const data = JSON.parse(text) as { v?: number; counter?: number; changes?: unknown[] };
      if (data.v !== 1 || !Array.isArray(data.changes)) return;
      this.counter = typeof data.counter === 'number' && Number.isFinite(data.counter) ? data.counter : 0;
      this.set(data.changes.filter(isDraftChange));
    } catch {
      // not ours
    }
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isLngLat = (v: unknown): v is LngLat => Array.isArray(v) && v.length === 2 && isNumber(v[0]) && isNumber(v[1]);

function isDraftChange(v: unknown): v is DraftChange {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  switch (c.op) {
    case 'add':
      return typeof c.ref === 'string' && isLngLat(c.location) && isNumber(c.heading_deg) && isNumber(c.field_of_view_deg) && isNumber(c.range_m)
        && cameraKinds.includes(c.kind as CameraKind);
    case 'update':
      return isNumber(c.id) && typeof c.name === 'string' && (c.location === undefined || isLngLat(c.location))
        && (c.heading_deg === undefined || isNumber(c.heading_deg));
    case 'remove':
      return isNumber(c.id) && typeof c.name === 'string';
    default:
      return false;
  }
}

export function toScenarioChange(c: DraftChange): ScenarioChange {
  switch (c.op) {
    case 'add':
      return { op: 'add', ref: c.ref, location: c.location, heading_deg: c.heading_deg, field_of_view_deg: c.field_of_view_deg, range_m: c.range_m, kind: c.kind };
    case 'update': {
      const change: ScenarioChange = { op: 'update', id: c.id };
      if (c.location) change.location = c.location;
      if (c.heading_deg !== undefined) change.heading_deg = c.heading_deg;
      if (c.field_of_view_deg !== undefined) change.field_of_view_deg = c.field_of_view_deg;
      if (c.range_m !== undefined) change.range_m = c.range_m;
      if (c.kind !== undefined) change.kind = c.kind;
      return change;
    }
    case 'remove':
      return { op: 'remove', id: c.id };
  }
}

// ---- commit: the camera API's writes ----------------------------------------------------------------------------------

export interface CameraFeatureWrite {
  type: 'Feature';
  geometry: Geometry | { type: 'Point'; coordinates: LngLat };
  properties: Record<string, unknown>;
}

/** Default mounting height of a planned camera (m), as most of the city's poles. */
export const plannedMountingHeightM = 6;

/** POST /api/cameras body of a draft camera. */
export function newCameraFeature(c: DraftAdd, name: string): CameraFeatureWrite {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: c.location },
    properties: {
      name, kind: c.kind, heading_deg: c.heading_deg, field_of_view_deg: c.field_of_view_deg, range_m: c.range_m,
      mounting_height_m: plannedMountingHeightM, status: 'online',
    },
  };
}

/** Properties the server computes or keeps itself; never written back. */
const readOnly = ['version', 'created_at', 'updated_at', 'view_sector'];

/** PUT /api/cameras/{id} body: the camera as it is now with the draft's changes (sent with If-Match: its version). */
export function updatedCameraFeature(current: Feature<CameraProperties>, c: DraftUpdate): CameraFeatureWrite {
  const properties: Record<string, unknown> = { ...(current.properties as unknown as Record<string, unknown>) };
  for (const key of readOnly) delete properties[key];
  if (c.heading_deg !== undefined) properties.heading_deg = c.heading_deg;
  if (c.field_of_view_deg !== undefined) properties.field_of_view_deg = c.field_of_view_deg;
  if (c.range_m !== undefined) properties.range_m = c.range_m;
  if (c.kind !== undefined) properties.kind = c.kind;
  if (properties.kind === 'fixed') properties.preset_headings_deg = null; // presets are for ptz and dome cameras
  const geometry = c.location ? { type: 'Point' as const, coordinates: c.location } : current.geometry!;
  return { type: 'Feature', geometry, properties };
}

/** The order of the writes: removals, then updates, then new cameras (each change one request). */
export function commitOrder(changes: readonly DraftChange[]): DraftChange[] {
  const rank = { remove: 0, update: 1, add: 2 } as const;
  return [...changes].sort((a, b) => rank[a.op] - rank[b.op]);
}
