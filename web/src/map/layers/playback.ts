// Playback layers: a past period's incidents (recent ones at the playback time emphasised) and unit positions with
// trails, drawn from GeoJSON sources that the playback panel fills. While they are shown the live incident and unit
// layers are hidden.
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { categories, categoryColors } from '../../model/vocabulary';
import { fontBold, palette } from '../style';

const categoryColor = ['match', ['get', 'category'], ...categories.flatMap((c) => [c, categoryColors[c]]), '#a0aec0'] as unknown as ExpressionSpecification;

export const playbackLayerIds = { trails: 'playback-trails', incidents: 'playback-incidents', units: 'playback-units' };

export class PlaybackLayer {
  constructor(private readonly map: MapLibreMap) {
    const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
    map.addSource('playback:incidents', { type: 'geojson', data: empty });
    map.addSource('playback:units', { type: 'geojson', data: empty });
    map.addSource('playback:trails', { type: 'geojson', data: empty });
    map.addLayer({
      id: playbackLayerIds.trails, type: 'line', source: 'playback:trails', layout: { visibility: 'none', 'line-cap': 'round' },
      paint: { 'line-color': '#9fd3ff', 'line-width': 2, 'line-opacity': 0.55 },
    });
    map.addLayer({
      id: playbackLayerIds.incidents, type: 'circle', source: 'playback:incidents', layout: { visibility: 'none' },
      paint: {
        'circle-color': categoryColor,
        // age: 0 = just occurred at the playback time, 1 = an hour or more before it
        'circle-radius': ['interpolate', ['linear'], ['get', 'age'], 0, 9, 1, 3.5],
        'circle-opacity': ['interpolate', ['linear'], ['get', 'age'], 0, 1, 1, 0.45],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['interpolate', ['linear'], ['get', 'age'], 0, 2, 0.3, 0],
      },
    });
    map.addLayer({
      id: playbackLayerIds.units, type: 'symbol', source: 'playback:units', layout: {
        visibility: 'none',
        // the unit's current status (tracks carry none; the playback panel labels it)
        'icon-image': ['concat', 'unit-', ['coalesce', ['get', 'status'], 'available']], 'icon-rotate': ['get', 'heading'], 'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true, 'icon-ignore-placement': true,
        'text-field': ['step', ['zoom'], '', 13, ['get', 'call_sign']], 'text-font': fontBold, 'text-size': 10,
        'text-offset': [0, 1.4], 'text-anchor': 'top', 'text-optional': true,
      },
      paint: { 'text-color': '#e6eefb', 'text-halo-color': palette.halo, 'text-halo-width': 1.5 },
    });
  }

  layerIds(): string[] {
    return Object.values(playbackLayerIds);
  }

  setVisible(visible: boolean): void {
    for (const id of this.layerIds()) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  setData(incidents: GeoJSON.FeatureCollection, units: GeoJSON.FeatureCollection, trails: GeoJSON.FeatureCollection): void {
    this.map.getSource<GeoJSONSource>('playback:incidents')?.setData(incidents);
    this.map.getSource<GeoJSONSource>('playback:units')?.setData(units);
    this.map.getSource<GeoJSONSource>('playback:trails')?.setData(trails);
  }
}
