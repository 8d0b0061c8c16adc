// Incidents: the server's incident tiles (clustered below z14 with point_count, filtered by the time window through
// the tile URL) plus a live overlay; colour by category, size and halo by severity, recent ones with a glow, new
// ones flashing. Closed and cancelled incidents are drawn faded.
import { Marker, type ExpressionSpecification, type Map as MapLibreMap, type VectorTileSource } from 'maplibre-gl';
import type { IncidentProperties, LiveChange } from '../../api/types';
import { categories, categoryColors, severityColors } from '../../model/vocabulary';
import { contains, iso, type Bounds } from '../../model/timeWindow';
import { epochSeconds, TiledLiveLayer } from '../liveOverlay';
import { tileUrl } from '../style';
import type { Feature } from '../../api/types';

const categoryColor: ExpressionSpecification = [
  'match', ['coalesce', ['get', 'category'], 'other'],
  ...categories.flatMap((c) => [c, categoryColors[c]]),
  '#a0aec0',
] as unknown as ExpressionSpecification;

const severityColor: ExpressionSpecification = [
  'match', ['get', 'severity'], 1, severityColors[1], 2, severityColors[2], 3, severityColors[3], severityColors[4],
];

const isCluster: ExpressionSpecification = ['>', ['coalesce', ['get', 'point_count'], 1], 1];
const isSingle: ExpressionSpecification = ['!', isCluster];
const isFinal: ExpressionSpecification = ['match', ['coalesce', ['get', 'status'], ''], ['closed', 'cancelled'], true, false];

export const incidentLayerIds = {
  clusters: 'incidents-clusters',
  clusterCount: 'incidents-cluster-count',
  glow: 'incidents-recent-glow',
  points: 'incidents-points',
};

/** The style layers that answer clicks (tile and overlay). */
export const incidentClickLayers = [incidentLayerIds.clusters, incidentLayerIds.points, `${incidentLayerIds.points}:live`, `${incidentLayerIds.clusters}:live`];

function toTileProperties(f: Feature<IncidentProperties>): Record<string, unknown> {
  const p = f.properties!;
  return {
    category: p.category, severity: p.severity, status: p.status, occurred_at: epochSeconds(p.occurred_at), point_count: 1,
  };
}

export class IncidentsLayer {
  readonly live: TiledLiveLayer<IncidentProperties>;
  private window: Bounds = { from: 0, to: null };
  private readonly pulses = new Map<number, Marker>();
  /** False while the incidents layer is switched off (or playback hides it): flash rings are then not shown either. */
  private pulsesVisible = true;

  constructor(private readonly map: MapLibreMap) {
    this.live = new TiledLiveLayer<IncidentProperties>(map, 'incidents', 'incidents', [{
      sourceLayer: 'incidents',
      toFeatures: (f) => [{ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: toTileProperties(f) }],
    }]);
    this.live.include = (f) => contains(this.window, Date.parse(f.properties?.occurred_at ?? ''));

    const L = incidentLayerIds;
    this.live.addLayer({
      id: L.clusters, type: 'circle', source: 'incidents', 'source-layer': 'incidents', filter: isCluster,
      paint: {
        'circle-color': severityColor,
        'circle-opacity': 0.7,
        // the server clusters on a grid of 1/64 tile (8 px): keep circles small so neighbours stay apart
        'circle-radius': ['interpolate', ['linear'], ['ln', ['get', 'point_count']], 0.7, 3.5, 2.3, 5, 4.6, 8, 7, 13],
        'circle-stroke-color': 'rgba(10,17,32,0.8)',
        'circle-stroke-width': 0.8,
      },
    });
    this.live.addLayer({
      id: L.clusterCount, type: 'symbol', source: 'incidents', 'source-layer': 'incidents',
      filter: ['>=', ['coalesce', ['get', 'point_count'], 1], 50],
      layout: {
        'text-field': ['case', ['>=', ['get', 'point_count'], 1000], ['concat', ['to-string', ['round', ['/', ['get', 'point_count'], 1000]]], 'k'], ['to-string', ['get', 'point_count']]],
        'text-font': ['Noto Sans Bold'],
        'text-size': 10,
        'text-allow-overlap': false,
      },
      paint: { 'text-color': '#0a1120' },
    });
    this.live.addLayer({
      id: L.glow, type: 'circle', source: 'incidents', 'source-layer': 'incidents',
      filter: ['all', isSingle, ['>=', ['coalesce', ['get', 'occurred_at'], 0], ['global-state', 'recentSince']]],
      paint: {
        'circle-color': categoryColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 9, 14, 14, 17, 20],
        'circle-blur': 0.9,
        'circle-opacity': 0.55,
      },
    });
    this.live.addLayer({
      id: L.points, type: 'circle', source: 'incidents', 'source-layer': 'incidents', filter: isSingle,
      paint: {
        'circle-color': categoryColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'],
          10, ['+', 2.2, ['*', 0.8, ['coalesce', ['get', 'severity'], 1]]],
          15, ['+', 3.5, ['*', 1.6, ['coalesce', ['get', 'severity'], 1]]],
          18, ['+', 5, ['*', 2.2, ['coalesce', ['get', 'severity'], 1]]]],
        'circle-opacity': ['case', isFinal, 0.45, 0.95],
        'circle-stroke-color': ['match', ['get', 'severity'], 4, '#ffffff', 3, '#ffd8b0', '#0a1120'],
        'circle-stroke-width': ['match', ['get', 'severity'], 4, 2.4, 3, 1.6, 2, 1, 0.8],
        'circle-stroke-opacity': ['case', isFinal, 0.4, 1],
      },
    });
  }

  /** Shows or hides the DOM flash rings with the layer (a hidden layer does not flash; running flashes are removed). */
  setFlashVisible(visible: boolean): void {
    this.pulsesVisible = visible;
    if (visible) return;
    for (const marker of this.pulses.values()) marker.remove();
    this.pulses.clear();
  }

  /** Number of flash rings on the map right now (tests). */
  get flashCount(): number {
    return this.pulses.size;
  }

  /** The style layer ids of this layer (for visibility toggles). */
  layerIds(): string[] {
    const ids = Object.values(incidentLayerIds);
    return [...ids, ...ids.map((id) => `${id}:live`)];
  }

  /**
   * Sets the time window: tiles are requested with from/to (tileBounds), the overlay is filtered with the exact
   * bounds. `seq` is the live position the new tiles will reflect (overlay entries up to it are dropped).
   */
  setWindow(exact: Bounds, tiles: Bounds, seq: number | null, force = false): void {
    const changedExact = exact.from !== this.window.from || exact.to !== this.window.to;
    this.window = exact;
    const params = incidentTileParams(tiles);
    if (force) params.v = String(Date.now());
    const url = tileUrl('incidents', params);
    const source = this.map.getSource<VectorTileSource>('incidents');
    if (source && (force || source.tiles?.[0] !== url)) {
      if (seq !== null) this.live.compact(seq);
      source.setTiles([url]);
    }
    this.map.setGlobalStateProperty('recentSince', Math.floor(Date.now() / 1000 / 300) * 300 - 3600);
    if (changedExact) this.live.invalidate();
  }

  apply(changes: readonly LiveChange[]): void {
    this.live.apply(changes);
  }

  /**
   * Flashes new incidents for a few seconds: expanding rings as DOM markers animated by CSS, so the flash costs no
   * map frames (with software WebGL a map frame costs hundreds of milliseconds).
   */
  flash(features: readonly Feature<IncidentProperties>[], durationMs = 6000): void {
    if (!this.pulsesVisible) return;
    for (const f of features) {
      if (f.geometry?.type !== 'Point' || this.pulses.has(f.id)) continue;
      // the incident's own dot (category colour, severity size) with rings: on screen at the next paint, before the
      // map layer has drawn it
      const element = document.createElement('div');
      element.className = `pulse-marker sev-${f.properties?.severity ?? 1}`;
      element.dataset.id = String(f.id);
      element.style.setProperty('--c', categoryColors[f.properties?.category ?? 'other']);
      const marker = new Marker({ element }).setLngLat(f.geometry.coordinates as [number, number]).addTo(this.map);
      this.pulses.set(f.id, marker);
      setTimeout(() => {
        marker.remove();
        if (this.pulses.get(f.id) === marker) this.pulses.delete(f.id);
      }, durationMs);
    }
  }
}

/** The incident tiles' query for a time window. */
export function incidentTileParams(tiles: Bounds): Record<string, string> {
  const params: Record<string, string> = { from: iso(tiles.from) };
  if (tiles.to !== null) params.to = iso(tiles.to);
  return params;
}

const layers = new WeakMap<MapLibreMap, IncidentsLayer>();

export function addIncidentsLayer(map: MapLibreMap): IncidentsLayer {
  const layer = new IncidentsLayer(map);
  layers.set(map, layer);
  return layer;
}

export function applyIncidentsDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
