// Patrol routes in three visibly different styles: level 1 (city) a wide solid line with a casing, level 2
// (district) a dashed line, level 3 (community) a fine dotted line. Suspended and draft routes are faded.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, LiveChange, PatrolRouteProperties } from '../../api/types';
import { levelColors } from '../../model/vocabulary';
import { TiledLiveLayer } from '../liveOverlay';
import { fontRegular, palette } from '../style';

const faded: ExpressionSpecification = ['case', ['==', ['get', 'status'], 'active'], 0.95, 0.4];

export const routeLayerIds = { casing1: 'routes-l1-casing', level1: 'routes-l1', level2: 'routes-l2', level3: 'routes-l3', labels: 'routes-labels' };
export const routeClickLayers = [routeLayerIds.level1, routeLayerIds.level2, routeLayerIds.level3].flatMap((id) => [id, `${id}:live`]);

export class PatrolRoutesLayer {
  readonly live: TiledLiveLayer<PatrolRouteProperties>;

  constructor(map: MapLibreMap) {
    this.live = new TiledLiveLayer<PatrolRouteProperties>(map, 'patrol_routes', 'patrol_routes', [{
      sourceLayer: 'patrol_routes',
      toFeatures: (f) => {
        const p = f.properties!;
        return [{ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: { name: p.name, level: p.level, mode: p.mode, status: p.status, district: p.district } }];
      },
    }]);
    const L = routeLayerIds;
    const level = (n: number): ExpressionSpecification => ['==', ['get', 'level'], n];
    this.live.addLayer({
      id: L.casing1, type: 'line', source: 'patrol_routes', 'source-layer': 'patrol_routes', filter: level(1),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': palette.roadCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 4, 16, 9], 'line-opacity': faded },
    });
    this.live.addLayer({
      id: L.level1, type: 'line', source: 'patrol_routes', 'source-layer': 'patrol_routes', filter: level(1),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': levelColors[1], 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2.2, 16, 5], 'line-opacity': faded },
    });
    this.live.addLayer({
      id: L.level2, type: 'line', source: 'patrol_routes', 'source-layer': 'patrol_routes', filter: level(2),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': levelColors[2], 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.6, 16, 3.2], 'line-dasharray': [3, 1.6], 'line-opacity': faded },
    });
    this.live.addLayer({
      id: L.level3, type: 'line', source: 'patrol_routes', 'source-layer': 'patrol_routes', filter: level(3),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': levelColors[3], 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.4, 16, 2.6], 'line-dasharray': [0.1, 2], 'line-opacity': faded },
    });
    this.live.addLayer({
      id: L.labels, type: 'symbol', source: 'patrol_routes', 'source-layer': 'patrol_routes', minzoom: 14,
      layout: {
        'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': fontRegular, 'text-size': 10,
        'symbol-spacing': 400,
      },
      paint: { 'text-color': ['match', ['get', 'level'], 1, levelColors[1], 2, levelColors[2], levelColors[3]], 'text-halo-color': palette.halo, 'text-halo-width': 1.4 },
    });
  }

  layerIds(): string[] {
    return Object.values(routeLayerIds).flatMap((id) => [id, `${id}:live`]);
  }

  apply(changes: readonly LiveChange[]): void {
    this.live.apply(changes);
  }

  applyLocal(feature: Feature<PatrolRouteProperties>, seq?: number): void {
    this.live.applyLocal(feature, seq);
  }
}

const layers = new WeakMap<MapLibreMap, PatrolRoutesLayer>();

export function addPatrolRoutesLayer(map: MapLibreMap): PatrolRoutesLayer {
  const layer = new PatrolRoutesLayer(map);
  layers.set(map, layer);
  return layer;
}

export function applyPatrolRoutesDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
