// Roads (basemap, reference data without live changes): casing and line by class, names along the line from z14.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { fontRegular, localName, palette } from '../style';

const classWidth = (scale: number): ExpressionSpecification =>
  ['*', scale, ['match', ['get', 'class'], ['motorway', 'trunk'], 1, 'primary', 0.85, 'secondary', 0.7, 'tertiary', 0.55, 0.4]];

/** Line width by zoom (top-level interpolate, as the style spec requires) and by class. */
const width = (base: number): ExpressionSpecification =>
  ['interpolate', ['exponential', 1.6], ['zoom'], 10, classWidth(base * 0.35), 14, classWidth(base), 17, classWidth(base * 3.2)];

const roadColor: ExpressionSpecification = [
  'match', ['get', 'class'], ['motorway', 'trunk'], '#60759c', 'primary', '#52668c', 'secondary', '#45577a', 'tertiary', '#3b4b68', '#323f58',
];

export const roadLayerIds = { casing: 'roads-casing', line: 'roads-line', labels: 'roads-labels' };

export function addRoadsLayer(map: MapLibreMap): string[] {
  map.addLayer({
    id: roadLayerIds.casing, type: 'line', source: 'roads', 'source-layer': 'roads', minzoom: 14,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': palette.roadCasing, 'line-width': width(7) },
  });
  map.addLayer({
    id: roadLayerIds.line, type: 'line', source: 'roads', 'source-layer': 'roads',
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': roadColor, 'line-width': width(5) },
  });
  return [roadLayerIds.casing, roadLayerIds.line];
}

/** Road names go above the operational layers, so they are added after them. */
export function addRoadLabels(map: MapLibreMap): string {
  map.addLayer({
    id: roadLayerIds.labels, type: 'symbol', source: 'roads', 'source-layer': 'roads', minzoom: 14,
    layout: {
      'symbol-placement': 'line', 'text-field': localName(), 'text-font': fontRegular, 'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10, 17, 13],
      'symbol-spacing': 350, 'text-max-angle': 35,
    },
    paint: { 'text-color': palette.labelDim, 'text-halo-color': palette.halo, 'text-halo-width': 1.5 },
  });
  return roadLayerIds.labels;
}
