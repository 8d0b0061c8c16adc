// Draws a tiled layer's live changes: a GeoJSON overlay source per MVT layer, twin style layers on it, and a filter
// on the tile layers that hides the ids the overlay owns (see model/liveLayerState.ts). Updates are coalesced into
// one per animation frame.
import type {
  FilterSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap,
} from 'maplibre-gl';
import type { Feature, LiveChange } from '../api/types';
import { LiveLayerState, notInIds } from '../model/liveLayerState';

export const liveSuffix = ':live';

/** How long a newly created feature's id stays out of the tile filter (see LiveLayerState.hiddenIds). */
export const createdGraceMs = 3000;

type GeoFeature = GeoJSON.Feature<GeoJSON.Geometry, Record<string, unknown>>;

export interface OverlaySpec<P> {
  /** The MVT layer this overlay stands in for (e.g. "cameras", "camera_views"). */
  sourceLayer: string;
  /** The features to draw for one API feature, with the same properties as the tile features. */
  toFeatures: (feature: Feature<P>) => GeoFeature[];
}

type FilterableLayer = Extract<LayerSpecification, { filter?: FilterSpecification }> & { 'source-layer'?: string };

export class TiledLiveLayer<P> {
  readonly state = new LiveLayerState<P>();
  /** Tile style layer id → its own filter (without the hidden-ids part). */
  private readonly tileLayers = new Map<string, FilterSpecification | undefined>();
  private scheduled = false;
  private renderedRevision = -1;
  /** The hidden-ids filter part last applied (JSON), so unchanged filters are not set again (that reparses tiles). */
  private appliedHidden = 'true';
  private filterTimer: ReturnType<typeof setTimeout> | null = null;
  /** Extra predicate for overlay features (e.g. the incidents' time window). */
  include: (feature: Feature<P>) => boolean = () => true;

  constructor(
    private readonly map: MapLibreMap,
    readonly name: string,
    private readonly tileSource: string,
    private readonly overlays: OverlaySpec<P>[],
  ) {
    for (const o of overlays) {
      map.addSource(this.overlaySourceId(o.sourceLayer), { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: undefined });
    }
  }

  overlaySourceId(sourceLayer: string): string {
    return `${this.name}:${sourceLayer}${liveSuffix}`;
  }

  /**
   * Adds a style layer on the tiles and its twin on the overlay (same paint, layout and filter). Returns both ids.
   * Pass `before` to insert under an existing layer.
   */
  addLayer(spec: FilterableLayer, before?: string): [string, string] {
    const sourceLayer = spec['source-layer'];
    if (!sourceLayer) throw new Error(`${spec.id}: a tile layer needs a source-layer`);
    const tile = { ...spec, source: this.tileSource } as LayerSpecification;
    this.map.addLayer(tile, before);
    this.tileLayers.set(spec.id, spec.filter);
    const { 'source-layer': _omit, ...rest } = spec;
    void _omit;
    const twin = { ...rest, id: spec.id + liveSuffix, source: this.overlaySourceId(sourceLayer) } as LayerSpecification;
    this.map.addLayer(twin, before);
    return [spec.id, twin.id];
  }

  /** Applies live changes of this layer; drawn on the next frame. */
  apply(changes: readonly LiveChange[]): void {
    let changed = false;
    const now = performance.now();
    for (const c of changes) if (this.state.apply(c, now)) changed = true;
    if (changed) this.schedule();
  }

  applyLocal(feature: Feature<P>, seq?: number): void {
    if (this.state.applyLocal(feature, seq)) this.schedule();
  }

  deleteLocal(id: number, seq?: number): void {
    if (this.state.deleteLocal(id, seq)) this.schedule();
  }

  /** The tiles are being reloaded and reflect every change up to seq. */
  compact(seq: number): void {
    this.state.compact(seq);
    this.schedule();
  }

  clear(): void {
    this.state.clear();
    this.schedule();
  }

  /** Redraw even without a state change (e.g. the include predicate changed). */
  invalidate(): void {
    this.renderedRevision = -1;
    this.schedule();
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.render());
  }

  render(): void {
    this.scheduled = false;
    const now = performance.now();
    if (this.renderedRevision !== this.state.revision) {
      this.renderedRevision = this.state.revision;
      const features = this.state.features().filter((f) => f.geometry && this.include(f));
      for (const o of this.overlays) {
        const source = this.map.getSource<GeoJSONSource>(this.overlaySourceId(o.sourceLayer));
        source?.setData({ type: 'FeatureCollection', features: features.flatMap(o.toFeatures) });
      }
    }
    this.applyFilters(now);
  }

  /** Hides the tile copies of changed features; new features' ids join a little later (see hiddenIds). */
  private applyFilters(now: number): void {
    const hidden = notInIds(this.state.hiddenIds(now, createdGraceMs));
    const key = JSON.stringify(hidden);
    if (key !== this.appliedHidden) {
      this.appliedHidden = key;
      for (const [id, base] of this.tileLayers) {
        const filter = hidden === true ? (base ?? null) : ((base === undefined ? hidden : ['all', base, hidden]) as FilterSpecification);
        if (this.map.getLayer(id)) this.map.setFilter(id, filter);
      }
    }
    const due = this.state.nextDue(now, createdGraceMs);
    if (due !== null && this.filterTimer === null) {
      this.filterTimer = setTimeout(() => {
        this.filterTimer = null;
        this.applyFilters(performance.now());
      }, Math.max(0, due - now) + 10);
    }
  }
}

/** Epoch seconds of an ISO time (tiles carry times as epoch seconds). */
export function epochSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
