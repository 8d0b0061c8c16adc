// How live changes meet vector tiles. Tiles cannot be patched, so for each tiled layer we keep the features that
// changed since its tiles were loaded: their tile copies are hidden (a filter on feature id) and their current
// state is drawn from a small GeoJSON overlay. Deleted features are hidden and not drawn.
//
// Ordering rules, so that replays and our own API responses can be applied in any interleaving:
// * a change older than (or as old as) the last one applied to the same id is ignored (per-id seq);
// * a feature whose version is lower than the one we hold is ignored (an older replayed event).
// When the tiles are reloaded (time window, periodic refresh, LayerReloaded) the overlay is compacted: entries
// whose change is at or below the position the new tiles reflect are dropped, since the tiles now carry them.
import type { Feature, LiveChange } from '../api/types';

interface Entry<P> {
  /** seq of the change that put the entry here; Infinity for a local write whose seq we do not know. */
  seq: number;
  /** null: deleted. */
  feature: Feature<P> | null;
  /** When a feature that did not exist before was created (ms); null once anything else happened to it. */
  createdAt: number | null;
}

function versionOf(feature: Feature<unknown> | null | undefined): number {
  const v = (feature?.properties as { version?: unknown } | null | undefined)?.version;
  return typeof v === 'number' ? v : -1;
}

export class LiveLayerState<P> {
  private readonly entries = new Map<number, Entry<P>>();
  /** Increases with every effective change (cheap "did anything change" for renderers). */
  revision = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Applies a live change; returns whether it changed anything. `now` (ms) dates creations. */
  apply(change: Pick<LiveChange, 'seq' | 'kind' | 'id' | 'feature'>, now = 0): boolean {
    const existing = this.entries.get(change.id);
    if (existing && change.seq <= existing.seq && existing.seq !== Infinity) return false;
    if (change.kind === 'deleted' || change.feature === null) {
      this.entries.set(change.id, { seq: change.seq, feature: null, createdAt: null });
      this.revision++;
      return true;
    }
    const feature = change.feature as Feature<P>;
    if (existing?.feature && versionOf(existing.feature) > versionOf(feature)) {
      // an older state replayed after a newer one we already hold (e.g. from an API response)
      if (existing.seq === Infinity) existing.seq = change.seq;
      return false;
    }
    const createdAt = change.kind === 'created' && !existing ? now : null;
    this.entries.set(change.id, { seq: change.seq, feature, createdAt });
    this.revision++;
    return true;
  }

  /** A feature we wrote ourselves (API response): shown at once, before its live event arrives. */
  applyLocal(feature: Feature<P>, seq?: number): boolean {
    return this.apply({ seq: seq ?? Number.MAX_SAFE_INTEGER, kind: 'updated', id: feature.id, feature }) && this.fixLocal(feature.id, seq);
  }

  /** A delete we made ourselves. */
  deleteLocal(id: number, seq?: number): boolean {
    return this.apply({ seq: seq ?? Number.MAX_SAFE_INTEGER, kind: 'deleted', id, feature: null }) && this.fixLocal(id, seq);
  }

  private fixLocal(id: number, seq: number | undefined): boolean {
    // without the change's seq the entry must still accept its own live event later: mark it as unknown
    if (seq === undefined) {
      const e = this.entries.get(id);
      if (e) e.seq = Infinity;
    }
    return true;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  /** The current state we hold: a feature, null when deleted, undefined when untouched (see the tiles). */
  get(id: number): Feature<P> | null | undefined {
    const e = this.entries.get(id);
    return e === undefined ? undefined : e.feature;
  }

  /**
   * Ids whose tile copies must be hidden. A feature created less than `graceMs` before `now` cannot be in the tiles
   * already loaded, so hiding it can wait (changing the filter makes the tile worker re-parse every loaded tile of
   * the layer, which would delay the very change it is for). Without arguments: every id.
   */
  hiddenIds(now = 0, graceMs = 0): number[] {
    const ids: number[] = [];
    for (const [id, e] of this.entries) if (e.createdAt === null || now - e.createdAt >= graceMs) ids.push(id);
    return ids;
  }

  /** When the next deferred id becomes due (ms), or null. */
  nextDue(now: number, graceMs: number): number | null {
    let next: number | null = null;
    for (const e of this.entries.values()) {
      if (e.createdAt !== null && now - e.createdAt < graceMs) next = Math.min(next ?? Infinity, e.createdAt + graceMs);
    }
    return next;
  }

  /** Features to draw from the overlay. */
  features(): Feature<P>[] {
    const out: Feature<P>[] = [];
    for (const e of this.entries.values()) if (e.feature) out.push(e.feature);
    return out;
  }

  /** The tiles were reloaded and reflect every change up to seq: drop what they now carry. */
  compact(seq: number): void {
    let changed = false;
    for (const [id, e] of this.entries) {
      if (e.seq <= seq) {
        this.entries.delete(id);
        changed = true;
      }
    }
    if (changed) this.revision++;
  }

  clear(): void {
    if (this.entries.size) this.revision++;
    this.entries.clear();
  }
}

/**
 * A MapLibre filter that keeps tile features whose id is not in ids. `match` is a hash lookup per feature; features
 * without an id (clusters of several incidents) are always kept.
 */
export function notInIds(ids: readonly number[]): unknown[] | true {
  if (ids.length === 0) return true;
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  return ['match', ['id'], unique, false, true];
}
