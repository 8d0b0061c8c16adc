// The coverage results on the map. Below the operational layers (routes, cameras, incidents, units): blind spots (a
// translucent fill in the zone's RAG colour under a red hatch) and the cameras' views cut by buildings and privacy masks
// (from z14). Above everything: the recommended cameras (numbered markers and their views), the draft scenario (its
// cameras and their views: added, changed, removed) and the highlighted zone. Added on first use; each group can be
// switched off; all hidden when the panel closes.
import { Popup, type GeoJSONSource, type LngLat, type Map as MapLibreMap, type Point } from 'maplibre-gl';
import type {
  BlindSpotProperties, CameraViewProperties, CoverageFeature, CoverageFeatureCollection, RecommendedCamera, ScenarioViewProperties,
} from '../api/coverage';
import { layerBelow } from '../hotspots/classes';
import { fontBold } from '../map/style';
import { ragColors, viewsMinZoom } from './model';
import type { DraftChange } from './scenario';

export const coverageLayerIds = {
  blindFill: 'coverage-blind-fill',
  blindHatch: 'coverage-blind-hatch',
  blindOutline: 'coverage-blind-outline',
  viewsFill: 'coverage-views-fill',
  viewsOutline: 'coverage-views-outline',
  zone: 'coverage-zone-highlight',
  pickViews: 'coverage-pick-views',
  pickViewsOutline: 'coverage-pick-views-outline',
  picks: 'coverage-picks',
  pickLabels: 'coverage-pick-labels',
  draftViews: 'coverage-draft-views',
  draftViewsOutline: 'coverage-draft-views-outline',
  draft: 'coverage-draft',
  poles: 'coverage-poles',
} as const;

export const coverageSourceIds = {
  blind: 'coverage:blind',
  views: 'coverage:views',
  zone: 'coverage:zone',
  picks: 'coverage:picks',
  pickViews: 'coverage:pick-views',
  draft: 'coverage:draft',
  draftViews: 'coverage:draft-views',
  poles: 'coverage:poles',
} as const;

/** The switchable groups. */
export type CoverageLayerGroup = 'blind' | 'views' | 'picks' | 'draft';
export const coverageLayerGroups: readonly CoverageLayerGroup[] = ['blind', 'views', 'picks', 'draft'];

const groupLayers: Record<CoverageLayerGroup, string[]> = {
  blind: [coverageLayerIds.blindFill, coverageLayerIds.blindHatch, coverageLayerIds.blindOutline],
  views: [coverageLayerIds.viewsFill, coverageLayerIds.viewsOutline],
  picks: [coverageLayerIds.pickViews, coverageLayerIds.pickViewsOutline, coverageLayerIds.picks, coverageLayerIds.pickLabels, coverageLayerIds.poles],
  draft: [coverageLayerIds.draftViews, coverageLayerIds.draftViewsOutline, coverageLayerIds.draft],
};

/** Map colours of the planning overlays. */
export const coverageColors = {
  view: '#4dd0e1',
  pick: '#b37feb',
  pickAccepted: '#3ddc97',
  add: '#3ddc97',
  update: '#ffb020',
  remove: '#ff5c5c',
  hatch: '#ff6b6b',
  pole: '#ffd58a',
} as const;

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function collection(features: GeoJSON.Feature[]): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features };
}

/** An 8×8 pattern of diagonal lines for the blind-spot hatch. */
function hatchImage(color: string, size = 8): { width: number; height: number; data: Uint8Array } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = (x + y) % size;
      const alpha = d === 0 ? 210 : d === 1 || d === size - 1 ? 90 : 0;
      const i = (y * size + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = alpha;
    }
  }
  return { width: size, height: size, data };
}

const ragColor = ['match', ['get', 'rag'], 'red', ragColors.red, 'amber', ragColors.amber, ragColors.green] as const;
const opColor = ['match', ['get', 'op'], 'add', coverageColors.add, 'update', coverageColors.update, coverageColors.remove] as const;

export type CoverageHit =
  | { kind: 'blind'; properties: BlindSpotProperties }
  | { kind: 'pick'; rank: number }
  | { kind: 'draft'; key: string };

export class CoverageLayers {
  private added = false;
  private visible = false;
  private readonly on = new Set<CoverageLayerGroup>(coverageLayerGroups);
  private readonly popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: '280px', className: 'hotspot-popup coverage-popup' });
  private counts = { blind: 0, views: 0, picks: 0, draft: 0 };

  /** @param keepAbove the style layers that must stay above the blind spots and views */
  constructor(private readonly map: MapLibreMap, private readonly keepAbove: () => string[]) {}

  private ensure(): void {
    if (this.added) return;
    this.added = true;
    const map = this.map;
    const L = coverageLayerIds;
    const S = coverageSourceIds;
    for (const id of Object.values(S)) map.addSource(id, { type: 'geojson', data: empty });
    if (!map.hasImage('coverage-hatch')) map.addImage('coverage-hatch', hatchImage(coverageColors.hatch), { pixelRatio: 1 });
    const before = layerBelow(map.getStyle().layers.map((l) => l.id), new Set(this.keepAbove()));
    const hidden = { visibility: 'none' as const };
    // below the operational layers
    map.addLayer({
      id: L.blindFill, type: 'fill', source: S.blind, layout: hidden,
      paint: { 'fill-color': ragColor as never, 'fill-opacity': ['match', ['get', 'rag'], 'green', 0.1, 0.22] },
    }, before);
    // the hatch marks the blind spots that matter: zones below target (a compliant zone's rest is only tinted)
    map.addLayer({
      id: L.blindHatch, type: 'fill', source: S.blind, layout: hidden, filter: ['!=', ['get', 'rag'], 'green'],
      paint: { 'fill-pattern': 'coverage-hatch', 'fill-opacity': 0.75 },
    }, before);
    map.addLayer({
      id: L.blindOutline, type: 'line', source: S.blind, layout: hidden,
      paint: { 'line-color': ragColor as never, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 16, 1.4], 'line-opacity': 0.8 },
    }, before);
    map.addLayer({
      id: L.viewsFill, type: 'fill', source: S.views, minzoom: viewsMinZoom, layout: hidden,
      paint: { 'fill-color': coverageColors.view, 'fill-opacity': 0.2 },
    }, before);
    map.addLayer({
      id: L.viewsOutline, type: 'line', source: S.views, minzoom: viewsMinZoom, layout: hidden,
      paint: { 'line-color': coverageColors.view, 'line-width': 0.8, 'line-opacity': 0.7 },
    }, before);
    // planning overlays on top
    map.addLayer({ id: L.zone, type: 'line', source: S.zone, layout: hidden, paint: { 'line-color': '#ffffff', 'line-width': 3, 'line-opacity': 0.95 } });
    map.addLayer({
      id: L.pickViews, type: 'fill', source: S.pickViews, layout: hidden,
      paint: { 'fill-color': ['case', ['get', 'accepted'], coverageColors.pickAccepted, coverageColors.pick], 'fill-opacity': 0.28 },
    });
    map.addLayer({
      id: L.pickViewsOutline, type: 'line', source: S.pickViews, layout: hidden,
      paint: { 'line-color': ['case', ['get', 'accepted'], coverageColors.pickAccepted, coverageColors.pick], 'line-width': 1.2 },
    });
    map.addLayer({
      id: L.draftViews, type: 'fill', source: S.draftViews, layout: hidden,
      paint: { 'fill-color': opColor as never, 'fill-opacity': ['match', ['get', 'op'], 'remove', 0.08, 0.26] },
    });
    map.addLayer({
      id: L.draftViewsOutline, type: 'line', source: S.draftViews, layout: hidden,
      paint: { 'line-color': opColor as never, 'line-width': 1.4, 'line-dasharray': [2, 1.5] },
    });
    map.addLayer({
      id: L.poles, type: 'circle', source: S.poles, layout: hidden,
      paint: { 'circle-radius': 5, 'circle-color': coverageColors.pole, 'circle-stroke-color': '#0a1120', 'circle-stroke-width': 1.5 },
    });
    map.addLayer({
      id: L.picks, type: 'circle', source: S.picks, layout: hidden,
      paint: {
        'circle-radius': 10,
        'circle-color': ['case', ['get', 'accepted'], coverageColors.pickAccepted, coverageColors.pick],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5,
      },
    });
    map.addLayer({
      id: L.pickLabels, type: 'symbol', source: S.picks, layout: {
        ...hidden, 'text-field': ['to-string', ['get', 'rank']], 'text-font': fontBold, 'text-size': 11,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#0a1120' },
    });
    map.addLayer({
      id: L.draft, type: 'circle', source: S.draft, layout: hidden,
      paint: {
        'circle-radius': 7, 'circle-color': opColor as never, 'circle-opacity': ['match', ['get', 'op'], 'remove', 0.35, 0.95],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
      },
    });
    for (const id of [L.blindFill, L.picks, L.draft]) {
      map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
    }
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  private applyVisibility(): void {
    if (!this.added) return;
    for (const group of coverageLayerGroups) {
      const visible = this.visible && this.on.has(group);
      for (const id of groupLayers[group]) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
    this.map.setLayoutProperty(coverageLayerIds.zone, 'visibility', this.visible ? 'visible' : 'none');
  }

  show(): void {
    this.ensure();
    this.visible = true;
    this.applyVisibility();
  }

  hide(): void {
    this.visible = false;
    this.popup.remove();
    this.applyVisibility();
  }

  setGroup(group: CoverageLayerGroup, on: boolean): void {
    if (on) this.on.add(group);
    else this.on.delete(group);
    this.applyVisibility();
  }

  isOn(group: CoverageLayerGroup): boolean {
    return this.on.has(group);
  }

  setBlindSpots(fc: CoverageFeatureCollection<BlindSpotProperties> | null): void {
    this.ensure();
    const features = (fc?.features ?? []).filter((f) => f.geometry).map((f) => ({
      type: 'Feature', id: f.properties.zone_id, geometry: f.geometry as GeoJSON.Geometry, properties: f.properties,
    }) as GeoJSON.Feature);
    this.counts.blind = features.length;
    this.source(coverageSourceIds.blind)?.setData(collection(features));
  }

  setViews(fc: CoverageFeatureCollection<CameraViewProperties> | null): void {
    this.ensure();
    const features = (fc?.features ?? []).filter((f) => f.geometry).map((f) => ({
      type: 'Feature', id: f.properties.camera_id, geometry: f.geometry as GeoJSON.Geometry,
      properties: { camera_id: f.properties.camera_id, status: f.properties.status, area_m2: f.properties.area_m2 },
    }) as GeoJSON.Feature);
    this.counts.views = features.length;
    this.source(coverageSourceIds.views)?.setData(collection(features));
  }

  /** The recommended cameras (accepted ones in green). */
  setPicks(picks: readonly RecommendedCamera[], accepted: (rank: number) => boolean): void {
    this.ensure();
    const points: GeoJSON.Feature[] = picks.map((p) => ({
      type: 'Feature', id: p.rank, geometry: { type: 'Point', coordinates: p.location }, properties: { rank: p.rank, accepted: accepted(p.rank) },
    }));
    const views: GeoJSON.Feature[] = picks.filter((p) => p.view).map((p) => ({
      type: 'Feature', id: p.rank, geometry: p.view as GeoJSON.Geometry, properties: { rank: p.rank, accepted: accepted(p.rank) },
    }));
    this.counts.picks = points.length;
    this.source(coverageSourceIds.picks)?.setData(collection(points));
    this.source(coverageSourceIds.pickViews)?.setData(collection(views));
  }

  /** The poles listed as candidate sites. */
  setPoles(points: readonly [number, number][]): void {
    this.ensure();
    this.source(coverageSourceIds.poles)?.setData(collection(points.map((p, i) => ({
      type: 'Feature', id: i, geometry: { type: 'Point', coordinates: p }, properties: {},
    }))));
  }

  /**
   * The draft: a marker per change (new cameras and moved ones at their new place, others where they are) and the
   * views the last evaluation returned (feature id = index of the change).
   */
  setDraft(changes: readonly DraftChange[], where: (c: DraftChange) => [number, number] | null, views: readonly CoverageFeature<ScenarioViewProperties>[]): void {
    this.ensure();
    const points: GeoJSON.Feature[] = [];
    changes.forEach((c, i) => {
      const at = where(c);
      if (at) points.push({ type: 'Feature', id: i, geometry: { type: 'Point', coordinates: at }, properties: { op: c.op, key: c.op === 'add' ? `add:${c.ref}` : `camera:${c.id}` } });
    });
    const polygons: GeoJSON.Feature[] = views.filter((v) => v.geometry).map((v) => ({
      type: 'Feature', id: v.id, geometry: v.geometry as GeoJSON.Geometry, properties: { op: v.properties.op, ref: v.properties.ref, camera_id: v.properties.camera_id },
    }));
    this.counts.draft = points.length;
    this.source(coverageSourceIds.draft)?.setData(collection(points));
    this.source(coverageSourceIds.draftViews)?.setData(collection(polygons));
  }

  highlightZone(geometry: GeoJSON.Geometry | null): void {
    this.ensure();
    this.source(coverageSourceIds.zone)?.setData(collection(geometry ? [{ type: 'Feature', geometry, properties: {} }] : []));
  }

  /** What the planning overlays have at a clicked point (picks and draft cameras first, then blind spots). */
  hitAt(point: Point): CoverageHit | null {
    if (!this.added || !this.visible) return null;
    const box: [[number, number], [number, number]] = [[point.x - 6, point.y - 6], [point.x + 6, point.y + 6]];
    const layers = (ids: string[]): string[] => ids.filter((id) => this.map.getLayoutProperty(id, 'visibility') === 'visible');
    const marker = this.map.queryRenderedFeatures(box, { layers: layers([coverageLayerIds.picks, coverageLayerIds.draft]) })[0];
    if (marker) {
      if (marker.layer.id === coverageLayerIds.picks) return { kind: 'pick', rank: Number(marker.properties.rank) };
      return { kind: 'draft', key: String(marker.properties.key) };
    }
    const blind = this.map.queryRenderedFeatures(point, { layers: layers([coverageLayerIds.blindFill]) })[0];
    if (blind) return { kind: 'blind', properties: blind.properties as unknown as BlindSpotProperties };
    return null;
  }

  showPopup(lngLat: LngLat, content: HTMLElement): void {
    this.popup.setLngLat(lngLat).setDOMContent(content).addTo(this.map);
  }

  /** How many features each group holds (tests). */
  sourceCounts(): { blind: number; views: number; picks: number; draft: number } {
    return { ...this.counts };
  }

  /** Features drawn on screen right now in a group (tests). */
  rendered(group: CoverageLayerGroup): number {
    if (!this.added || !this.visible || !this.on.has(group)) return 0;
    const ids = { blind: [coverageLayerIds.blindFill], views: [coverageLayerIds.viewsFill], picks: [coverageLayerIds.picks], draft: [coverageLayerIds.draft] }[group];
    return this.map.queryRenderedFeatures({ layers: ids }).length;
  }
}
