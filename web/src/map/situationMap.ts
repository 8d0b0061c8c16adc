// The map: MapLibre GL JS (WebGL) with our style, every operational layer, selection, click handling and the test
// and benchmark hooks. Layer modules own their style layers and their live deltas; this file wires them together.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { GeoJSONSource, MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, LiveChange, LiveLayer } from '../api/types';
import { addIcons } from './icons';
import { baseStyle, cityBounds, cjkFonts, type TileLayerName } from './style';
import { addCamerasLayer, cameraClickLayers, type CamerasLayer } from './layers/cameras';
import { addDistrictsLayer, type DistrictsLayer } from './layers/districts';
import { addIncidentsLayer, incidentClickLayers, incidentLayerIds, type IncidentsLayer } from './layers/incidents';
import { addPatrolRoutesLayer, routeClickLayers, type PatrolRoutesLayer } from './layers/patrolRoutes';
import { addPatrolUnitsLayer, unitClickLayers, type PatrolUnitsLayer } from './layers/patrolUnits';
import { PlaybackLayer } from './layers/playback';
import { addRoadLabels, addRoadsLayer } from './layers/roads';
import { addBuildingsLayer } from './layers/buildings';
import { addZonesLayer, zoneClickLayers, type ZonesLayer } from './layers/zones';
import type { TiledLiveLayer } from './liveOverlay';
import { holdRepaintsUntilTilesLoaded } from './loadingGate';
import { mapLocale } from './mapLocale';

maplibregl.setWorkerUrl(workerUrl);
// start the tile worker while the page waits for its first API answer
maplibregl.prewarm();

/**
 * Marks <html class="software-gl"> when WebGL runs on the CPU (SwiftShader, llvmpipe: a headless browser or a PC
 * without a GPU). The stylesheet then replaces continuous animations with static highlights, because there every
 * animation frame is composited by the same two cores that draw the map.
 */
function markSoftwareRendering(map: MapLibreMap): void {
  try {
    const gl = map.painter.context.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    if (/swiftshader|llvmpipe|software|softpipe/i.test(renderer)) document.documentElement.classList.add('software-gl');
  } catch {
    // no renderer information: keep the animations
  }
}

/** The switchable layer groups of the layers panel. */
export type LayerGroup = 'incidents' | 'cameras' | 'patrol_routes' | 'patrol_units' | 'zones';

export interface Selection {
  layer: LiveLayer;
  id: number;
  lngLat: [number, number];
}

export class SituationMap {
  readonly map: MapLibreMap;
  readonly ready: Promise<void>;
  incidents!: IncidentsLayer;
  cameras!: CamerasLayer;
  routes!: PatrolRoutesLayer;
  units!: PatrolUnitsLayer;
  zones!: ZonesLayer;
  districts!: DistrictsLayer;
  playback!: PlaybackLayer;
  /** performance.now() when the map first drew every layer of the initial view (ms since navigation). */
  firstRenderAt: number | null = null;
  private groups = new Map<LayerGroup, string[]>();
  private hiddenGroups = new Set<LayerGroup>();
  private playbackActive = false;
  private picking: ((lngLat: [number, number] | null) => void) | null = null;
  onSelect: ((selection: Selection | null) => void) | null = null;
  onError: ((message: string) => void) | null = null;
  /**
   * A layer drawn above the zones (the hotspot cells) may take a click that would otherwise select a zone or nothing:
   * it returns true when it handled the click. Units, incidents, cameras and routes keep their clicks.
   */
  clickOverlay: ((point: maplibregl.Point) => boolean) | null = null;

  constructor(container: HTMLElement, lang: string, incidentTileParams: Record<string, string> = {}) {
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(lang, incidentTileParams),
      bounds: cityBounds,
      fitBoundsOptions: { padding: 16 },
      minZoom: 9,
      maxZoom: 19,
      maxBounds: [114.3, 40.45, 115.5, 41.15],
      attributionControl: false,
      localIdeographFontFamily: cjkFonts.join(', '),
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
      renderWorldCopies: false,
      canvasContextAttributes: { antialias: false, preserveDrawingBuffer: false },
      locale: mapLocale(lang),
    });
    this.map.touchZoomRotate.disableRotation();
    markSoftwareRendering(this.map);
    this.addControls();
    // with a listener, map errors do not go to the console by themselves: failed tile requests (the server is
    // restarting) are expected and only noted; anything else (an invalid style expression) is a defect and is logged
    this.map.on('error', (e) => {
      const error = e.error as (Error & { status?: number; url?: string }) | undefined;
      const message = String(error?.message ?? error ?? 'map error');
      const network = error?.name === 'AJAXError' || error?.status !== undefined || /fetch|network|load/i.test(message);
      if (!network) console.error(`map: ${message}`);
      this.onError?.(message);
    });
    this.ready = new Promise((resolve) => {
      this.map.once('load', () => {
        this.addLayers();
        void holdRepaintsUntilTilesLoaded(this.map).then(() => {
          // first meaningful render: the first frame drawn with every tile of the first view loaded
          const onRender = (): void => {
            if (!this.map.areTilesLoaded()) return;
            this.map.off('render', onRender);
            this.firstRenderAt = performance.now();
            performance.mark('situationmap:first-render');
          };
          this.map.on('render', onRender);
        });
        resolve();
      });
    });
    this.map.on('click', (e) => this.click(e.point, e.lngLat));
  }

  private addLayers(): void {
    const map = this.map;
    addIcons(map);
    this.districts = addDistrictsLayer(map);
    this.zones = addZonesLayer(map);
    addBuildingsLayer(map);
    addRoadsLayer(map);
    this.routes = addPatrolRoutesLayer(map);
    this.cameras = addCamerasLayer(map);
    this.incidents = addIncidentsLayer(map);
    this.units = addPatrolUnitsLayer(map);
    this.playback = new PlaybackLayer(map);
    map.addSource('selection', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'selection-fill', type: 'fill', source: 'selection', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.08 } });
    map.addLayer({ id: 'selection-line', type: 'line', source: 'selection', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#ffffff', 'line-width': 2.5, 'line-opacity': 0.9 } });
    map.addLayer({ id: 'selection-point', type: 'circle', source: 'selection', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 } });
    addRoadLabels(map);
    this.districts.addLabels();
    this.groups.set('incidents', this.incidents.layerIds());
    this.groups.set('cameras', this.cameras.layerIds());
    this.groups.set('patrol_routes', this.routes.layerIds());
    this.groups.set('patrol_units', this.units.layerIds());
    this.groups.set('zones', this.zones.layerIds());
  }

  tiled(layer: LiveLayer): TiledLiveLayer<unknown> | null {
    switch (layer) {
      case 'incidents': return this.incidents.live as TiledLiveLayer<unknown>;
      case 'cameras': return this.cameras.live as TiledLiveLayer<unknown>;
      case 'patrol_routes': return this.routes.live as TiledLiveLayer<unknown>;
      case 'zones': return this.zones.live as TiledLiveLayer<unknown>;
      case 'districts': return this.districts.live as TiledLiveLayer<unknown>;
      default: return null;
    }
  }

  /** Live changes (several layers, seq order) to the layers that draw them. */
  apply(changes: readonly LiveChange[]): void {
    const byLayer = new Map<LiveLayer, LiveChange[]>();
    for (const c of changes) {
      let list = byLayer.get(c.layer);
      if (!list) byLayer.set(c.layer, (list = []));
      list.push(c);
    }
    for (const [layer, list] of byLayer) {
      if (layer === 'patrol_units') this.units.apply(list);
      else this.tiled(layer)?.apply(list);
    }
  }

  /** Refetches a tiled layer (revalidating with ETags); overlay entries up to seq are then carried by the tiles. */
  reloadTiles(layer: LiveLayer, seq: number | null): void {
    const source: TileLayerName = layer;
    const live = this.tiled(layer);
    if (!live) return;
    if (seq === null) live.clear();
    else live.compact(seq);
    if (this.map.getSource(source)) this.map.refreshTiles(source);
  }

  private navigation: maplibregl.NavigationControl | null = null;
  private scale: maplibregl.ScaleControl | null = null;

  /** MapLibre's zoom buttons and scale bar; they read their strings (map locale) when added. */
  private addControls(): void {
    if (this.navigation) this.map.removeControl(this.navigation);
    if (this.scale) this.map.removeControl(this.scale);
    this.navigation = new maplibregl.NavigationControl({ showCompass: false });
    this.scale = new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 });
    this.map.addControl(this.navigation, 'bottom-right');
    this.map.addControl(this.scale, 'bottom-left');
  }

  setLanguage(lang: string): void {
    this.map.setGlobalStateProperty('lang', lang);
    // MapLibre has no public setter for its UI strings: replace the table the map reads, then re-add the controls
    const map = this.map as unknown as { _locale: Record<string, string> };
    map._locale = { ...map._locale, ...mapLocale(lang) };
    this.map.getCanvas().setAttribute('aria-label', this.map._getUIString('Map.Title'));
    this.addControls();
  }

  setGroupVisible(group: LayerGroup, visible: boolean): void {
    if (visible) this.hiddenGroups.delete(group);
    else this.hiddenGroups.add(group);
    this.updateVisibility();
  }

  isGroupVisible(group: LayerGroup): boolean {
    return !this.hiddenGroups.has(group);
  }

  setPlaybackActive(active: boolean): void {
    this.playbackActive = active;
    this.playback.setVisible(active);
    this.updateVisibility();
  }

  private updateVisibility(): void {
    for (const [group, ids] of this.groups) {
      const liveHidden = this.playbackActive && (group === 'incidents' || group === 'patrol_units');
      const visible = !this.hiddenGroups.has(group) && !liveHidden;
      for (const id of ids) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
      if (group === 'incidents') this.incidents.setFlashVisible(visible);
    }
  }

  /** The next map click resolves with its position (null when cancelled). */
  pickLocation(): Promise<[number, number] | null> {
    this.picking?.(null);
    this.map.getCanvas().style.cursor = 'crosshair';
    return new Promise((resolve) => {
      this.picking = (lngLat) => {
        this.picking = null;
        this.map.getCanvas().style.cursor = '';
        resolve(lngLat);
      };
    });
  }

  cancelPick(): void {
    this.picking?.(null);
  }

  private click(point: maplibregl.Point, lngLat: maplibregl.LngLat): void {
    if (this.picking) {
      this.picking([lngLat.lng, lngLat.lat]);
      return;
    }
    if (this.playbackActive) return;
    const hit = this.featureAt(point);
    if ((!hit || hit.layer === 'zones') && this.clickOverlay?.(point)) return;
    if (!hit) {
      this.select(null);
      this.onSelect?.(null);
      return;
    }
    const { layer, feature } = hit;
    if (layer === 'incidents' && (feature.properties.point_count ?? 1) > 1) {
      this.map.easeTo({ center: lngLat, zoom: Math.min(this.map.getZoom() + 2, 16) });
      return;
    }
    if (feature.id === undefined || feature.id === null) return;
    const selection: Selection = { layer, id: Number(feature.id), lngLat: [lngLat.lng, lngLat.lat] };
    this.onSelect?.(selection);
  }

  /** The topmost operational feature near a point (units first, then incidents, cameras, routes, zones). */
  featureAt(point: maplibregl.PointLike): { layer: LiveLayer; feature: MapGeoJSONFeature } | null {
    const p = maplibregl.Point.convert(point);
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [[p.x - 5, p.y - 5], [p.x + 5, p.y + 5]];
    const order: [LiveLayer, string[]][] = [
      ['patrol_units', unitClickLayers], ['incidents', incidentClickLayers], ['cameras', cameraClickLayers],
      ['patrol_routes', routeClickLayers], ['zones', zoneClickLayers],
    ];
    for (const [layer, ids] of order) {
      const present = ids.filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
      if (!present.length) continue;
      const hits = this.map.queryRenderedFeatures(box, { layers: present });
      if (hits.length) return { layer, feature: hits[0]! };
    }
    return null;
  }

  /** Highlights a feature (or nothing). */
  select(feature: Feature<unknown> | null): void {
    const features: GeoJSON.Feature[] = [];
    if (feature?.geometry) features.push({ type: 'Feature', geometry: feature.geometry as GeoJSON.Geometry, properties: {} });
    this.map.getSource<GeoJSONSource>('selection')?.setData({ type: 'FeatureCollection', features });
  }

  flyTo(coordinates: [number, number], zoom = 16): void {
    this.map.flyTo({ center: coordinates, zoom: Math.max(zoom, this.map.getZoom()), speed: 1.6, essential: true });
  }

  /** Ids of the incidents drawn on screen right now, from the tiles and the overlay (clusters excluded). */
  renderedIncidentIds(): number[] {
    const layers = [incidentLayerIds.points, `${incidentLayerIds.points}:live`].filter((id) => this.map.getLayer(id));
    const ids = this.map.queryRenderedFeatures({ layers }).map((f) => Number(f.id)).filter((id) => Number.isFinite(id));
    return [...new Set(ids)];
  }

  /** The incident as drawn right now (its tile or overlay properties and the style layer), or null. */
  renderedIncident(id: number): Record<string, unknown> | null {
    const layers = [incidentLayerIds.points, `${incidentLayerIds.points}:live`].filter((l) => this.map.getLayer(l));
    const hits = this.map.queryRenderedFeatures({ layers }).filter((f) => Number(f.id) === id);
    if (hits.length === 0) return null;
    // a point near a tile edge can be in two tiles' buffers: report the distinct style layers it is drawn by
    return { ...hits[0]!.properties, layers: [...new Set(hits.map((h) => h.layer.id))] };
  }

  /** Counts of rendered features per layer group (tests, benchmark). */
  renderedCounts(): Record<LayerGroup | 'districts' | 'roads' | 'buildings', number> {
    const count = (ids: string[]): number => {
      const present = ids.filter((id) => this.map.getLayer(id));
      return present.length ? this.map.queryRenderedFeatures({ layers: present }).length : 0;
    };
    return {
      incidents: count(this.groups.get('incidents') ?? []),
      cameras: count(this.groups.get('cameras') ?? []),
      patrol_routes: count(this.groups.get('patrol_routes') ?? []),
      patrol_units: count(this.groups.get('patrol_units') ?? []),
      zones: count(this.groups.get('zones') ?? []),
      districts: count(this.districts.layerIds()),
      roads: count(['roads-line']),
      buildings: count(['buildings-fill']),
    };
  }
}
