// Zones: fill by kind, outline by risk level (wider and hotter for higher risk), names from z14.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { LiveChange, ZoneProperties } from '../../api/types';
import { riskColors, zoneKindColors, zoneKinds } from '../../model/vocabulary';
import { TiledLiveLayer } from '../liveOverlay';
import { fontRegular, localName, palette } from '../style';

const kindColor = ['match', ['get', 'kind'], ...zoneKinds.flatMap((k) => [k, zoneKindColors[k]]), '#607080'] as unknown as ExpressionSpecification;
const riskColor: ExpressionSpecification = ['match', ['get', 'risk_level'], 1, riskColors[1], 2, riskColors[2], 3, riskColors[3], riskColors[4]];

const riskWidth: ExpressionSpecification = ['match', ['get', 'risk_level'], 4, 2.2, 3, 1.6, 2, 1.1, 0.8];

export const zoneLayerIds = { fill: 'zones-fill', outline: 'zones-outline', labels: 'zones-labels' };
export const zoneClickLayers = [zoneLayerIds.fill, `${zoneLayerIds.fill}:live`];

export class ZonesLayer {
  readonly live: TiledLiveLayer<ZoneProperties>;

  constructor(map: MapLibreMap, before?: string) {
    this.live = new TiledLiveLayer<ZoneProperties>(map, 'zones', 'zones', [{
      sourceLayer: 'zones',
      toFeatures: (f) => {
        const p = f.properties!;
        return [{ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: {
          name: p.name, name_en: p.name_en, kind: p.kind, risk_level: p.risk_level, coverage_target: p.coverage_target, district: p.district,
        } }];
      },
    }]);
    const L = zoneLayerIds;
    this.live.addLayer({
      id: L.fill, type: 'fill', source: 'zones', 'source-layer': 'zones', filter: ['!=', ['get', 'kind'], 'district'],
      paint: { 'fill-color': kindColor, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.22, 15, 0.14] },
    }, before);
    this.live.addLayer({
      id: L.outline, type: 'line', source: 'zones', 'source-layer': 'zones',
      paint: {
        'line-color': riskColor,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, ['*', 0.7, riskWidth], 15, ['*', 1.3, riskWidth]],
        'line-opacity': 0.85,
        'line-dasharray': [2, 1],
      },
    }, before);
    this.live.addLayer({
      id: L.labels, type: 'symbol', source: 'zones', 'source-layer': 'zones', minzoom: 14,
      layout: { 'text-field': localName(), 'text-font': fontRegular, 'text-size': 11, 'text-max-width': 8 },
      paint: { 'text-color': kindColor, 'text-halo-color': palette.halo, 'text-halo-width': 1.5 },
    });
  }

  layerIds(): string[] {
    return Object.values(zoneLayerIds).flatMap((id) => [id, `${id}:live`]);
  }

  apply(changes: readonly LiveChange[]): void {
    this.live.apply(changes);
  }
}

const layers = new WeakMap<MapLibreMap, ZonesLayer>();

export function addZonesLayer(map: MapLibreMap, before?: string): ZonesLayer {
  const layer = new ZonesLayer(map, before);
  layers.set(map, layer);
  return layer;
}

export function applyZonesDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
