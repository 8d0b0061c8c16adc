// Cameras: icons by kind and status (small dots when zoomed out), and from z15 their field-of-view sectors (the
// tiles' camera_views layer, privacy masks already cut out). Live changes through one overlay per MVT layer.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { CameraProperties, Feature, LiveChange } from '../../api/types';
import { cameraStatusColors } from '../../model/vocabulary';
import { TiledLiveLayer } from '../liveOverlay';
import { fontRegular, palette } from '../style';

const statusColor: ExpressionSpecification = [
  'match', ['get', 'status'], 'online', cameraStatusColors.online, 'fault', cameraStatusColors.fault, cameraStatusColors.offline,
];

export const cameraLayerIds = { views: 'camera-views', viewEdges: 'camera-view-edges', dots: 'cameras-dots', icons: 'cameras-icons' };
export const cameraClickLayers = [cameraLayerIds.dots, cameraLayerIds.icons].flatMap((id) => [id, `${id}:live`]);

export class CamerasLayer {
  readonly live: TiledLiveLayer<CameraProperties>;

  constructor(map: MapLibreMap) {
    this.live = new TiledLiveLayer<CameraProperties>(map, 'cameras', 'cameras', [
      {
        sourceLayer: 'cameras',
        toFeatures: (f) => {
          const p = f.properties!;
          return [{ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: {
            name: p.name, kind: p.kind, status: p.status, heading_deg: p.heading_deg, field_of_view_deg: p.field_of_view_deg, range_m: p.range_m,
          } }];
        },
      },
      {
        sourceLayer: 'camera_views',
        toFeatures: (f) => (f.properties?.view_sector
          ? [{ type: 'Feature', id: f.id, geometry: f.properties.view_sector as GeoJSON.Geometry, properties: { kind: f.properties.kind, status: f.properties.status } }]
          : []),
      },
    ]);
    const L = cameraLayerIds;
    this.live.addLayer({
      id: L.views, type: 'fill', source: 'cameras', 'source-layer': 'camera_views', minzoom: 15,
      paint: { 'fill-color': statusColor, 'fill-opacity': ['match', ['get', 'status'], 'online', 0.09, 0.05] },
    });
    this.live.addLayer({
      id: L.viewEdges, type: 'line', source: 'cameras', 'source-layer': 'camera_views', minzoom: 15,
      paint: { 'line-color': statusColor, 'line-opacity': 0.3, 'line-width': 0.6 },
    });
    this.live.addLayer({
      id: L.dots, type: 'circle', source: 'cameras', 'source-layer': 'cameras', maxzoom: 14,
      paint: {
        'circle-color': statusColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 1.3, 13, 2.6],
        'circle-opacity': ['match', ['get', 'status'], 'online', 0.6, 0.9],
      },
    });
    this.live.addLayer({
      id: L.icons, type: 'symbol', source: 'cameras', 'source-layer': 'cameras', minzoom: 14,
      layout: {
        'icon-image': ['concat', 'camera-', ['get', 'kind'], '-', ['get', 'status']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 14, 0.8, 17, 1.1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'text-field': ['step', ['zoom'], '', 17, ['get', 'name']],
        'text-font': fontRegular,
        'text-size': 10,
        'text-offset': [0, 1.3],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': palette.labelDim, 'text-halo-color': palette.halo, 'text-halo-width': 1.2 },
    });
  }

  layerIds(): string[] {
    return Object.values(cameraLayerIds).flatMap((id) => [id, `${id}:live`]);
  }

  apply(changes: readonly LiveChange[]): void {
    this.live.apply(changes);
  }

  applyLocal(feature: Feature<CameraProperties>, seq?: number): void {
    this.live.applyLocal(feature, seq);
  }
}

const layers = new WeakMap<MapLibreMap, CamerasLayer>();

export function addCamerasLayer(map: MapLibreMap): CamerasLayer {
  const layer = new CamerasLayer(map);
  layers.set(map, layer);
  return layer;
}

export function applyCamerasDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
