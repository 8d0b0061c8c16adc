// The hotspot results on the map: the density surface as an image source (the server's PNG, decoded in the page and
// handed to MapLibre, so no extra request) drawn by a raster layer, and the cells of Gi*/LISA/emerging as a GeoJSON
// fill coloured by class with an outline for significant cells and a highlight for the clicked one. Inserted below
// the operational layers (routes, cameras, incidents, units). Added on first use; hidden when the panel closes.
import { Popup, type GeoJSONSource, type ImageSource, type LngLat, type Map as MapLibreMap, type Point } from 'maplibre-gl';
import type { DensityResult, HotspotCellProperties, HotspotMap } from '../api/hotspots';
import { fillColor, fillOpacity, isBackgroundClass, layerBelow, type CellMethod } from './classes';

export const hotspotLayerIds = {
  density: 'hotspots-density',
  cells: 'hotspots-cells',
  outline: 'hotspots-cells-outline',
  selected: 'hotspots-cell-selected',
} as const;

export const hotspotSourceIds = {
  density: 'hotspots:density',
  cells: 'hotspots:cells',
  selected: 'hotspots:selected',
} as const;

type Corners = [[number, number], [number, number], [number, number], [number, number]];

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function decode(dataUrl: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = dataUrl;
  return image.decode().then(() => image);
}

export class HotspotLayers {
  private added = false;
  private readonly popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: '280px', className: 'hotspot-popup' });
  private shown: 'density' | 'cells' | null = null;
  private geometries = new Map<number, GeoJSON.Geometry>();
  /** A cell was clicked (where no unit, incident, camera or route is): its properties and where. */
  onCellClick: ((cell: HotspotCellProperties, lngLat: LngLat) => void) | null = null;

  /** @param keepAbove the style layers that must stay above the hotspot layers */
  constructor(private readonly map: MapLibreMap, private readonly keepAbove: () => string[]) {
    this.popup.on('close', () => this.highlight(null));
  }

  private ensure(): void {
    if (this.added) return;
    this.added = true;
    const map = this.map;
    const before = layerBelow(map.getStyle().layers.map((l) => l.id), new Set(this.keepAbove()));
    map.addSource(hotspotSourceIds.cells, { type: 'geojson', data: empty });
    map.addSource(hotspotSourceIds.selected, { type: 'geojson', data: empty });
    const hidden = { visibility: 'none' as const };
    map.addLayer({
      id: hotspotLayerIds.cells, type: 'fill', source: hotspotSourceIds.cells, layout: hidden,
      paint: { 'fill-color': fillColor('gistar'), 'fill-opacity': fillOpacity(), 'fill-antialias': false },
    }, before);
    map.addLayer({
      id: hotspotLayerIds.outline, type: 'line', source: hotspotSourceIds.cells, layout: hidden,
      filter: ['match', ['get', 'class'], ['not_significant', 'no_pattern'], false, true],
      paint: { 'line-color': fillColor('gistar'), 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.4, 15, 1.2], 'line-opacity': 0.9 },
    }, before);
    map.addLayer({
      id: hotspotLayerIds.selected, type: 'line', source: hotspotSourceIds.selected, layout: hidden,
      paint: { 'line-color': '#ffffff', 'line-width': 2.5 },
    }, before);
    map.on('mouseenter', hotspotLayerIds.cells, () => { if (this.shown === 'cells') map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', hotspotLayerIds.cells, () => { map.getCanvas().style.cursor = ''; });
  }

  /** The image source and its raster layer, below the cells, created with the first result's corners. */
  private ensureDensity(corners: Corners): ImageSource {
    const existing = this.map.getSource<ImageSource>(hotspotSourceIds.density);
    if (existing) return existing;
    this.map.addSource(hotspotSourceIds.density, { type: 'image', coordinates: corners });
    this.map.addLayer({
      id: hotspotLayerIds.density, type: 'raster', source: hotspotSourceIds.density, layout: { visibility: 'none' },
      paint: { 'raster-opacity': 0.82, 'raster-fade-duration': 0, 'raster-resampling': 'linear' },
    }, hotspotLayerIds.cells);
    return this.map.getSource<ImageSource>(hotspotSourceIds.density)!;
  }

  /**
   * A map click the operational layers left (SituationMap.clickOverlay): on a cell, highlight it and report it.
   * Returns whether a cell was there.
   */
  clickAt(point: Point): boolean {
    if (this.shown !== 'cells') return false;
    const feature = this.map.queryRenderedFeatures(point, { layers: [hotspotLayerIds.cells] })[0];
    if (!feature) return false;
    const cell = feature.properties as unknown as HotspotCellProperties;
    // the rendered feature's geometry is clipped to its tile: highlight the whole cell
    this.highlight(this.geometries.get(Number(feature.id)) ?? (feature.geometry as GeoJSON.Geometry));
    this.onCellClick?.(cell, this.map.unproject(point));
    return true;
  }

  private highlight(geometry: GeoJSON.Geometry | null): void {
    const features: GeoJSON.Feature[] = geometry ? [{ type: 'Feature', geometry, properties: {} }] : [];
    this.map.getSource<GeoJSONSource>(hotspotSourceIds.selected)?.setData({ type: 'FeatureCollection', features });
  }

  showPopup(lngLat: LngLat, content: HTMLElement): void {
    this.popup.setLngLat(lngLat).setDOMContent(content).addTo(this.map);
  }

  closePopup(): void {
    this.popup.remove();
  }

  private setVisible(which: 'density' | 'cells' | null): void {
    this.shown = which;
    const visibility = (on: boolean): 'visible' | 'none' => (on ? 'visible' : 'none');
    if (this.map.getLayer(hotspotLayerIds.density)) this.map.setLayoutProperty(hotspotLayerIds.density, 'visibility', visibility(which === 'density'));
    for (const id of [hotspotLayerIds.cells, hotspotLayerIds.outline, hotspotLayerIds.selected]) {
      this.map.setLayoutProperty(id, 'visibility', visibility(which === 'cells'));
    }
  }

  /** Draws a density result; resolves when the image is on its source. */
  async showDensity(result: DensityResult): Promise<void> {
    this.ensure();
    const image = await decode(result.image_png);
    this.closePopup();
    const corners = result.corners as Corners;
    this.ensureDensity(corners).updateImage({ image, coordinates: corners });
    this.map.getSource<GeoJSONSource>(hotspotSourceIds.cells)?.setData(empty);
    this.geometries.clear();
    this.setVisible('density');
  }

  /** Draws a cell result coloured by its method's classes. */
  showCells(method: CellMethod, result: HotspotMap): void {
    this.ensure();
    this.closePopup();
    const features = result.features
      .filter((f) => f.geometry && f.properties)
      // findings on top of the faint background cells
      .sort((a, b) => Number(!isBackgroundClass(a.properties!.class)) - Number(!isBackgroundClass(b.properties!.class)))
      .map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry as GeoJSON.Geometry, properties: f.properties }) as GeoJSON.Feature);
    this.geometries = new Map(features.map((f) => [Number(f.id), f.geometry]));
    this.map.setPaintProperty(hotspotLayerIds.cells, 'fill-color', fillColor(method));
    this.map.setPaintProperty(hotspotLayerIds.outline, 'line-color', fillColor(method));
    this.map.getSource<GeoJSONSource>(hotspotSourceIds.cells)?.setData({ type: 'FeatureCollection', features });
    this.setVisible('cells');
  }

  hide(): void {
    if (!this.added) return;
    this.closePopup();
    this.setVisible(null);
  }

  /** Whether the density image is on the map and its source loaded (tests). */
  densityLoaded(): boolean {
    const source = this.map.getSource<ImageSource>(hotspotSourceIds.density);
    return this.shown === 'density' && !!source?.loaded() && !!source.image;
  }

  /** The cells drawn on screen right now (tests). */
  renderedCells(): number {
    if (!this.added || this.shown !== 'cells') return 0;
    return this.map.queryRenderedFeatures({ layers: [hotspotLayerIds.cells] }).length;
  }
}
