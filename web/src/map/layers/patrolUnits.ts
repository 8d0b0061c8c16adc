// Patrol units: few (tens) and moving every few seconds, so they are a GeoJSON source kept whole in memory and
// updated from live changes (UnitMoved, PatrolUnitUpdated, ...) rather than tiles. Arrows point along the heading,
// coloured by status; call signs from z13.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, LiveChange, PatrolUnitProperties } from '../../api/types';
import { fontBold, palette } from '../style';
import { unitStatusColors } from '../../model/vocabulary';

export const unitLayerIds = { halo: 'units-halo', icons: 'units-icons' };
export const unitClickLayers = [unitLayerIds.icons];

export type UnitFeature = Feature<PatrolUnitProperties>;

export class PatrolUnitsLayer {
  readonly units = new Map<number, UnitFeature>();
  private readonly seqById = new Map<number, number>();
  private scheduled = false;
  revision = 0;
  /** Called after the units changed (counters, details panel). */
  onChange: (() => void) | null = null;

  constructor(private readonly map: MapLibreMap) {
    map.addSource('patrol_units', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: unitLayerIds.halo, type: 'circle', source: 'patrol_units', filter: ['==', ['get', 'status'], 'busy'],
      paint: { 'circle-radius': 14, 'circle-color': unitStatusColors.busy, 'circle-opacity': 0.18, 'circle-blur': 0.6 },
    });
    map.addLayer({
      id: unitLayerIds.icons, type: 'symbol', source: 'patrol_units',
      layout: {
        'icon-image': ['concat', 'unit-', ['get', 'status']],
        'icon-rotate': ['coalesce', ['get', 'heading_deg'], 0],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 15, 1],
        'text-field': ['step', ['zoom'], '', 13, ['get', 'call_sign']],
        'text-font': fontBold,
        'text-size': 10,
        'text-offset': [0, 1.4],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#e6eefb', 'text-halo-color': palette.halo, 'text-halo-width': 1.5 },
    });
  }

  layerIds(): string[] {
    return Object.values(unitLayerIds);
  }

  replaceAll(features: readonly UnitFeature[]): void {
    this.units.clear();
    this.seqById.clear();
    for (const f of features) this.units.set(f.id, f);
    this.schedule();
  }

  apply(changes: readonly LiveChange[]): void {
    let changed = false;
    for (const c of changes) {
      const last = this.seqById.get(c.id);
      if (last !== undefined && c.seq <= last) continue;
      this.seqById.set(c.id, c.seq);
      if (c.kind === 'deleted' || !c.feature) {
        changed = this.units.delete(c.id) || changed;
        continue;
      }
      const feature = c.feature as UnitFeature;
      const existing = this.units.get(c.id);
      if (existing && (existing.properties?.version ?? 0) > (feature.properties?.version ?? 0)) continue;
      this.units.set(c.id, feature);
      changed = true;
    }
    if (changed) this.schedule();
  }

  private schedule(): void {
    this.revision++;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.render();
      this.onChange?.();
    });
  }

  private render(): void {
    const features = [...this.units.values()].filter((f) => f.geometry).map((f) => ({
      type: 'Feature' as const,
      id: f.id,
      geometry: f.geometry as GeoJSON.Geometry,
      properties: { call_sign: f.properties?.call_sign, status: f.properties?.status, level: f.properties?.level, mode: f.properties?.mode, heading_deg: f.properties?.heading_deg ?? 0 },
    }));
    this.map.getSource<GeoJSONSource>('patrol_units')?.setData({ type: 'FeatureCollection', features });
  }
}

const layers = new WeakMap<MapLibreMap, PatrolUnitsLayer>();

export function addPatrolUnitsLayer(map: MapLibreMap): PatrolUnitsLayer {
  const layer = new PatrolUnitsLayer(map);
  layers.set(map, layer);
  return layer;
}

export function applyPatrolUnitsDelta(map: MapLibreMap, change: LiveChange): void {
  layers.get(map)?.apply([change]);
}
