// Districts (basemap): a faint fill, a boundary line and one label per district (tiles' district_labels).
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { DistrictProperties, Feature, LiveChange } from '../../api/types';
import { TiledLiveLayer } from '../liveOverlay';
import { fontBold, localName, palette } from '../style';

export const districtLayerIds = { fill: 'districts-fill', line: 'districts-line', labels: 'districts-labels' };
export const districtClickLayers = [districtLayerIds.fill, `${districtLayerIds.fill}:live`];

/** A label point for an overlay district: the centre of its largest ring's bounding box (good enough for 7 shapes). */
function labelPoint(geometry: GeoJSON.Geometry | null): GeoJSON.Point | null {
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return null;
  const rings = geometry.type === 'Polygon' ? [geometry.coordinates[0]] : geometry.coordinates.map((p) => p[0]);
  let best: number[][] | undefined;
  for (const ring of rings) if (ring && (!best || ring.length > best.length)) best = ring;
  if (!best?.length) return null;
  const xs = best.map((c) => c[0]!);
  const ys = best.map((c) => c[1]!);
  return { type: 'Point', coordinates: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] };
}

export class DistrictsLayer {
  readonly live: TiledLiveLayer<DistrictProperties>;

  constructor(map: MapLibreMap) {
    const props = (f: Feature<DistrictProperties>): Record<string, unknown> => ({ code: f.properties?.code, name: f.properties?.name, name_en: f.properties?.name_en });
    this.live = new TiledLiveLayer<DistrictProperties>(map, 'districts', 'districts', [
      { sourceLayer: 'districts', toFeatures: (f) => [{ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: props(f) }] },
      {
        sourceLayer: 'district_labels',
        toFeatures: (f) => {
          const point = labelPoint(f.geometry as GeoJSON.Geometry | null);
          return point ? [{ type: 'Feature', id: f.id, geometry: point, properties: props(f) }] : [];
        },
      },
    ]);
    const L = districtLayerIds;
    this.live.addLayer({ id: L.fill, type: 'fill', source: 'districts', 'source-layer': 'districts', paint: { 'fill-color': palette.districtFill, 'fill-opacity': 1 } });
    this.live.addLayer({
      id: L.line, type: 'line', source: 'districts', 'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': palette.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.2, 15, 2.4], 'line-dasharray': [4, 2] },
    });
  }

  /** Labels go on top of everything else, so they are added last. */
  addLabels(): void {
    this.live.addLayer({
      id: districtLayerIds.labels, type: 'symbol', source: 'districts', 'source-layer': 'district_labels', maxzoom: 15,
      layout: {
        'text-field': localName(), 'text-font': fontBold, 'text-size': ['interpolate', ['linear'], ['zoom'], 10, 12, 14, 17],
        'text-letter-spacing': 0.08, 'text-transform': 'uppercase',
      },
      paint: { 'text-color': '#7f97bd', 'text-halo-color': palette.halo, 'text-halo-width': 2, 'text-opacity': 0.9 },
    });
  }

  layerIds(): string[] {
    return Object.values(districtLayerIds).flatMap((id) => [id, `${id}:live`]);
  }

  apply(changes: readonly LiveChange[]): void {
    this.live.apply(changes);
  }
}

const layers = new WeakMap<MapLibreMap, DistrictsLayer>();

export function addDistrictsLayer(map: MapLibreMap): DistrictsLayer {
  const layer = new DistrictsLayer(map);
  layers.set(map, layer);
  return layer;
}

export function applyDistrictsDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
