// The incidents of the current time window as the feed and the counters see them: loaded over HTTP, then kept
// current by live changes (with the same per-id seq and version rules as the map overlay).
import type { Feature, IncidentCategory, IncidentProperties, IncidentStatus, LiveChange } from '../api/types';
import { contains, type Bounds } from './timeWindow';

export type IncidentFeature = Feature<IncidentProperties>;

export interface FeedFilter {
  categories: ReadonlySet<IncidentCategory>;
  severities: ReadonlySet<number>;
  statuses: ReadonlySet<IncidentStatus>;
  districts: ReadonlySet<string>;
}

export const emptyFilter: FeedFilter = { categories: new Set(), severities: new Set(), statuses: new Set(), districts: new Set() };

export function isFilterEmpty(f: FeedFilter): boolean {
  return f.categories.size === 0 && f.severities.size === 0 && f.statuses.size === 0 && f.districts.size === 0;
}

/** An empty set means "all". */
export function matchesFilter(p: IncidentProperties, f: FeedFilter): boolean {
  return (f.categories.size === 0 || f.categories.has(p.category))
    && (f.severities.size === 0 || f.severities.has(p.severity))
    && (f.statuses.size === 0 || f.statuses.has(p.status))
    && (f.districts.size === 0 || (p.district !== null && f.districts.has(p.district)));
}

export function occurredMs(feature: IncidentFeature): number {
  return Date.parse(feature.properties?.occurred_at ?? '') || 0;
}

/** Newest first: by occurred_at, then by id. */
export function newestFirst(a: IncidentFeature, b: IncidentFeature): number {
  return occurredMs(b) - occurredMs(a) || b.id - a.id;
}

export interface ApplyResult {
  /** Ids that appeared for the first time through a live "created" change (to flash). */
  created: number[];
  changed: boolean;
}

export class IncidentStore {
  private readonly byId = new Map<number, IncidentFeature>();
  private readonly seqById = new Map<number, number>();
  /** Ids deleted since the snapshot (so a replayed older change does not resurrect them). */
  private readonly deleted = new Map<number, number>();
  /** true when the snapshot was cut at its limit (more incidents in the window than loaded). */
  truncated = false;
  revision = 0;

  get size(): number {
    return this.byId.size;
  }

  replaceAll(features: readonly IncidentFeature[], truncated = false): void {
    this.byId.clear();
    this.seqById.clear();
    this.deleted.clear();
    for (const f of features) this.byId.set(f.id, f);
    this.truncated = truncated;
    this.revision++;
  }

  get(id: number): IncidentFeature | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<IncidentFeature> {
    return this.byId.values();
  }

  /** Applies incident changes in order; features outside the window are dropped. */
  apply(changes: readonly Pick<LiveChange, 'seq' | 'kind' | 'id' | 'feature'>[], window: Bounds): ApplyResult {
    const result: ApplyResult = { created: [], changed: false };
    for (const c of changes) {
      const lastSeq = this.seqById.get(c.id) ?? this.deleted.get(c.id);
      if (lastSeq !== undefined && c.seq <= lastSeq) continue;
      if (c.kind === 'deleted' || !c.feature) {
        if (this.byId.delete(c.id)) result.changed = true;
        this.seqById.delete(c.id);
        this.deleted.set(c.id, c.seq);
        continue;
      }
      const feature = c.feature as IncidentFeature;
      const existing = this.byId.get(c.id);
      if (existing && (existing.properties?.version ?? 0) > (feature.properties?.version ?? 0)) continue;
      this.seqById.set(c.id, c.seq);
      if (!contains(window, occurredMs(feature))) {
        if (this.byId.delete(c.id)) result.changed = true;
        continue;
      }
      if (!existing && c.kind === 'created') result.created.push(c.id);
      this.byId.set(c.id, feature);
      result.changed = true;
    }
    if (result.changed) this.revision++;
    return result;
  }

  /** Drops incidents that left a rolling window. Returns whether any did. */
  trim(window: Bounds): boolean {
    let changed = false;
    for (const [id, f] of this.byId) {
      if (!contains(window, occurredMs(f))) {
        this.byId.delete(id);
        changed = true;
      }
    }
    if (changed) this.revision++;
    return changed;
  }

  /** The feed: matching incidents, newest first, at most limit. */
  query(filter: FeedFilter, limit = Infinity): { items: IncidentFeature[]; total: number } {
    const matching: IncidentFeature[] = [];
    for (const f of this.byId.values()) if (f.properties && matchesFilter(f.properties, filter)) matching.push(f);
    matching.sort(newestFirst);
    return { items: matching.slice(0, limit), total: matching.length };
  }
}
