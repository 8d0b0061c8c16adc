// Building footprints (basemap, reference data without live changes) from zoom 14: a dim fill a little lighter for
// taller buildings and a thin outline. They matter for coverage planning (buildings block cameras' sight), so a
// planner sees why a view stops where it does.
import type { Map as MapLibreMap } from 'maplibre-gl';

export const buildingLayerIds = { fill: 'buildings-fill', outline: 'buildings-outline' };

export function addBuildingsLayer(map: MapLibreMap): string[] {
  map.addLayer({
    id: buildingLayerIds.fill, type: 'fill', source: 'buildings', 'source-layer': 'buildings', minzoom: 14,
    paint: {
      'fill-color': ['interpolate', ['linear'], ['coalesce', ['get', 'height_m'], 10], 3, '#141f33', 30, '#1a2840', 100, '#22334f'],
      'fill-opacity': ['interpolate', ['linear'], ['zoom'], 14, 0.55, 16, 0.9],
    },
  });
  map.addLayer({
    id: buildingLayerIds.outline, type: 'line', source: 'buildings', 'source-layer': 'buildings', minzoom: 15,
    paint: { 'line-color': '#2a3b58', 'line-width': 0.6 },
  });
  return [buildingLayerIds.fill, buildingLayerIds.outline];
}
