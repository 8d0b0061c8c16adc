// The Patrol & Dispatch overlays on the map. Below the operational layers (routes, cameras, incidents, units): the
// 1-3-5 minute response bands (5 min under 3 min under 1 min, translucent fills with an outline each) and the hot cells
// no route level reaches. Above everything: the dispatch routes of the first ranked units (the best one wide, the others
// thin; the hovered row's route highlighted), the incident being dispatched, a suggested patrol loop with its numbered
// stops, and a highlighted existing route. Added on first use; each group is switched separately; all hidden when the
// panel closes.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { DispatchCandidate, ResponseBand, RouteSuggestion, UnreachedCellProperties } from '../api/patrol';
import { layerBelow } from '../hotspots/classes';
import { fontBold } from '../map/style';
import { bandColor, bandOpacity, bandsForDrawing, routeFeatures, stopFeatures } from './model';

export const patrolLayerIds = {
  bandsFill: 'patrol-bands-fill',
  bandsOutline: 'patrol-bands-outline',
  unreached: 'patrol-unreached-fill',
  unreachedOutline: 'patrol-unreached-outline',
  routeCasing: 'patrol-dispatch-casing',
  routes: 'patrol-dispatch-routes',
  routeTop: 'patrol-dispatch-best',
  target: 'patrol-dispatch-target',
  highlight: 'patrol-route-highlight',
  suggestion: 'patrol-suggestion-line',
  stops: 'patrol-suggestion-stops',
  stopLabels: 'patrol-suggestion-labels',
} as const;

export const patrolSourceIds = {
  bands: 'patrol:bands',
  unreached: 'patrol:unreached',
  routes: 'patrol:routes',
  target: 'patrol:target',
  highlight: 'patrol:highlight',
  suggestion: 'patrol:suggestion',
  stops: 'patrol:stops',
} as const;

export type PatrolLayerGroup = 'bands' | 'dispatch' | 'unreached' | 'suggestion';
export const patrolLayerGroups: readonly PatrolLayerGroup[] = ['bands', 'dispatch', 'unreached', 'suggestion'];

const groupLayers: Record<PatrolLayerGroup, string[]> = {
  bands: [patrolLayerIds.bandsFill, patrolLayerIds.bandsOutline],
  unreached: [patrolLayerIds.unreached, patrolLayerIds.unreachedOutline],
  dispatch: [patrolLayerIds.routeCasing, patrolLayerIds.routes, patrolLayerIds.routeTop, patrolLayerIds.target],
  suggestion: [patrolLayerIds.suggestion, patrolLayerIds.stops, patrolLayerIds.stopLabels],
};

export const patrolColors = {
  best: '#ff5fa2',
  route: '#ffa8cf',
  hovered: '#ffffff',
  target: '#ff5fa2',
  suggestion: '#ffd166',
  unreached: '#ff4d4f',
  highlight: '#ffffff',
} as const;

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function collection(features: GeoJSON.Feature[]): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features };
}

export class PatrolLayers {
  private added = false;
  private visible = false;
  private readonly on = new Set<PatrolLayerGroup>(['dispatch', 'unreached', 'suggestion']);
  private counts: Record<PatrolLayerGroup, number> = { bands: 0, dispatch: 0, unreached: 0, suggestion: 0 };
  private candidates: DispatchCandidate[] = [];
  private hovered: number | null = null;

  /** @param keepAbove the style layers that must stay above the bands and cells */
  constructor(private readonly map: MapLibreMap, private readonly keepAbove: () => string[]) {}

  private ensure(): void {
    if (this.added) return;
    this.added = true;
    const map = this.map;
    const L = patrolLayerIds;
    const S = patrolSourceIds;
    for (const id of Object.values(S)) map.addSource(id, { type: 'geojson', data: empty });
    const before = layerBelow(map.getStyle().layers.map((l) => l.id), new Set(this.keepAbove()));
    const hidden = { visibility: 'none' as const };
    // below the operational layers: the bands (widest first in the source, so the nearest band is painted last)
    map.addLayer({
      id: L.bandsFill, type: 'fill', source: S.bands, layout: hidden,
      paint: { 'fill-color': ['get', 'color'], 'fill-opacity': ['get', 'opacity'] },
    }, before);
    // the bands are road pieces buffered by 50 m: a fine, faint outline (a strong one draws every street twice)
    map.addLayer({
      id: L.bandsOutline, type: 'line', source: S.bands, layout: hidden,
      paint: { 'line-color': ['get', 'color'], 'line-width': 0.6, 'line-opacity': 0.45 },
    }, before);
    map.addLayer({
      id: L.unreached, type: 'fill', source: S.unreached, layout: hidden,
      paint: { 'fill-color': patrolColors.unreached, 'fill-opacity': 0.35 },
    }, before);
    map.addLayer({
      id: L.unreachedOutline, type: 'line', source: S.unreached, layout: hidden,
      paint: { 'line-color': patrolColors.unreached, 'line-width': 1 },
    }, before);
    // on top
    map.addLayer({
      id: L.highlight, type: 'line', source: S.highlight, layout: { visibility: 'none', 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': patrolColors.highlight, 'line-width': 6, 'line-opacity': 0.55 },
    });
    map.addLayer({
      id: L.suggestion, type: 'line', source: S.suggestion, layout: { visibility: 'none', 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': patrolColors.suggestion, 'line-width': 3.5, 'line-opacity': 0.9 },
    });
    map.addLayer({
      id: L.routeCasing, type: 'line', source: S.routes, layout: { visibility: 'none', 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#0a1120', 'line-width': ['case', ['any', ['get', 'best'], ['get', 'hovered']], 9, 6], 'line-opacity': 0.85 },
    });
    // the other candidates thin and dashed, the best and the hovered one wide and solid above them
    const emphasised = ['any', ['get', 'best'], ['get', 'hovered']] as const;
    map.addLayer({
      id: L.routes, type: 'line', source: S.routes, layout: { visibility: 'none', 'line-join': 'round' },
      filter: ['!', emphasised as never],
      paint: { 'line-color': patrolColors.route, 'line-width': 3, 'line-opacity': 0.95, 'line-dasharray': [2, 1.2] },
    });
    map.addLayer({
      id: L.routeTop, type: 'line', source: S.routes, layout: { visibility: 'none', 'line-join': 'round', 'line-cap': 'round' },
      filter: emphasised as never,
      paint: { 'line-color': ['case', ['get', 'hovered'], patrolColors.hovered, patrolColors.best], 'line-width': 5.5 },
    });
    map.addLayer({
      id: L.target, type: 'circle', source: S.target, layout: hidden,
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': patrolColors.target, 'circle-stroke-width': 3 },
    });
    map.addLayer({
      id: L.stops, type: 'circle', source: S.stops, layout: hidden,
      paint: { 'circle-radius': 9, 'circle-color': patrolColors.suggestion, 'circle-stroke-color': '#0a1120', 'circle-stroke-width': 1.5 },
    });
    map.addLayer({
      id: L.stopLabels, type: 'symbol', source: S.stops, layout: {
        ...hidden, 'text-field': ['to-string', ['get', 'n']], 'text-font': fontBold, 'text-size': 11,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#0a1120' },
    });
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  private applyVisibility(): void {
    if (!this.added) return;
    for (const group of patrolLayerGroups) {
      const visible = this.visible && this.on.has(group);
      for (const id of groupLayers[group]) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
    this.map.setLayoutProperty(patrolLayerIds.highlight, 'visibility', this.visible ? 'visible' : 'none');
  }

  show(): void {
    this.ensure();
    this.visible = true;
    this.applyVisibility();
  }

  hide(): void {
    this.visible = false;
    this.applyVisibility();
  }

  setGroup(group: PatrolLayerGroup, on: boolean): void {
    if (on) this.on.add(group);
    else this.on.delete(group);
    this.applyVisibility();
  }

  isOn(group: PatrolLayerGroup): boolean {
    return this.on.has(group);
  }

  setBands(bands: readonly ResponseBand[]): void {
    this.ensure();
    const all = bands.map((b) => b.seconds);
    const features: GeoJSON.Feature[] = bandsForDrawing(bands).map((b) => ({
      type: 'Feature', id: b.seconds, geometry: b.area as GeoJSON.Geometry, properties: { seconds: b.seconds, color: bandColor(b.seconds, all), opacity: bandOpacity(b.seconds, all) },
    }));
    this.counts.bands = features.length;
    this.source(patrolSourceIds.bands)?.setData(collection(features));
  }

  setUnreached(fc: GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, UnreachedCellProperties> | null): void {
    this.ensure();
    const features = (fc?.features ?? []).filter((f) => f.geometry);
    this.counts.unreached = features.length;
    this.source(patrolSourceIds.unreached)?.setData(collection(features));
  }

  /** The dispatch view: the incident and the route lines of the ranked candidates. */
  setDispatch(location: [number, number] | null, candidates: readonly DispatchCandidate[]): void {
    this.ensure();
    this.candidates = [...candidates];
    this.source(patrolSourceIds.target)?.setData(collection(location ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: location }, properties: {} }] : []));
    this.drawRoutes();
  }

  /** A row hovered in the panel: its route drawn highlighted and on top (null: none). */
  hoverUnit(unitId: number | null): void {
    if (unitId === this.hovered) return;
    this.hovered = unitId;
    if (this.added) this.drawRoutes();
  }

  get hoveredUnit(): number | null {
    return this.hovered;
  }

  private drawRoutes(): void {
    const features = routeFeatures(this.candidates, this.hovered);
    this.counts.dispatch = features.length;
    this.source(patrolSourceIds.routes)?.setData(collection(features));
  }

  setSuggestion(s: RouteSuggestion | null): void {
    this.ensure();
    this.counts.suggestion = s?.stops.length ?? 0;
    this.source(patrolSourceIds.suggestion)?.setData(collection(s?.geometry ? [{ type: 'Feature', geometry: s.geometry, properties: {} }] : []));
    this.source(patrolSourceIds.stops)?.setData(collection(s ? stopFeatures(s) : []));
  }

  /** A drawn route: its road line (if routed yet) and the numbered waypoints, in the suggestion's layers. */
  setDrawn(line: GeoJSON.LineString | null, waypoints: readonly (readonly number[])[]): void {
    this.ensure();
    this.counts.suggestion = waypoints.length;
    this.source(patrolSourceIds.suggestion)?.setData(collection(line ? [{ type: 'Feature', geometry: line, properties: {} }] : []));
    this.source(patrolSourceIds.stops)?.setData(collection(waypoints.map((c, i) => ({
      type: 'Feature' as const, id: i + 1, geometry: { type: 'Point' as const, coordinates: [...c] }, properties: { n: i + 1 },
    }))));
  }

  highlightRoute(geometry: GeoJSON.Geometry | null): void {
    this.ensure();
    this.source(patrolSourceIds.highlight)?.setData(collection(geometry ? [{ type: 'Feature', geometry, properties: {} }] : []));
  }

  /** How many features each group holds (tests). */
  sourceCounts(): Record<PatrolLayerGroup, number> {
    return { ...this.counts };
  }

  /** Features drawn on screen right now in a group (tests). */
  rendered(group: PatrolLayerGroup): number {
    if (!this.added || !this.visible || !this.on.has(group)) return 0;
    const ids = { bands: [patrolLayerIds.bandsFill], dispatch: [patrolLayerIds.routes, patrolLayerIds.routeTop], unreached: [patrolLayerIds.unreached], suggestion: [patrolLayerIds.stops] }[group];
    return this.map.queryRenderedFeatures({ layers: ids }).length;
  }
}
