// The export URLs of the dashboard's current view: the server-rendered map (GET /api/exports/map.png), the shift brief
// (GET /api/exports/brief.pdf) and the layers' data in the view (GET /api/exports/{collection}.{ext}, the same bbox
// as the OGC API items). Pure functions: the view comes in, URLs go out.
import type { LayerGroup } from '../map/situationMap';
import { iso, type Bounds } from '../model/timeWindow';

/** west, south, east, north (WGS84 degrees), as MapLibre's LngLatBounds.toArray().flat() gives them. */
export type ViewBounds = readonly [number, number, number, number];

export interface MapView {
  bounds: ViewBounds;
  /** The map canvas's CSS size in pixels. */
  width: number;
  height: number;
  /** The layer groups switched on. */
  visible: readonly LayerGroup[];
  /** The incidents' time window. */
  window: Bounds;
}

/** The server's largest canvas side (MapView.MaxSide) and smallest. */
export const maxSide = 4096;
export const minSide = 16;

export const collections = ['incidents', 'cameras', 'patrol_routes', 'zones'] as const;
export type Collection = (typeof collections)[number];

export const dataFormats = ['geojson', 'csv', 'gpkg', 'shp.zip', 'kml'] as const;
export type DataFormat = (typeof dataFormats)[number];

/** The server's ?layers names of the dashboard's layer groups (cameras bring their view sectors). */
const serverLayers: Record<LayerGroup, readonly string[]> = {
  incidents: ['incidents'],
  cameras: ['cameras', 'camera_views'],
  patrol_routes: ['routes'],
  patrol_units: ['units'],
  zones: ['zones'],
};

const round = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/**
 * ?bbox of the view: minLon,minLat,maxLon,maxLat with 6 decimals (~0.1 m), clamped to the world (and to Web Mercator's
 * latitudes, which is all a map can show). A view across the antimeridian is cut at ±180.
 */
export function bboxParam(bounds: ViewBounds): string {
  const [w, s, e, n] = bounds;
  const clampLon = (v: number): number => Math.max(-180, Math.min(180, v));
  const clampLat = (v: number): number => Math.max(-85.05, Math.min(85.05, v));
  return [clampLon(w), clampLat(s), clampLon(e), clampLat(n)].map(round).join(',');
}

/** A canvas side for the server: whole pixels within [16, 4096]. */
export function side(pixels: number): number {
  return Math.max(minSide, Math.min(maxSide, Math.round(pixels)));
}

/** The rendered map of the view: the same box, canvas size, visible layers and incident window. */
export function mapPngUrl(view: MapView): string {
  const layers = view.visible.flatMap((g) => serverLayers[g]);
  const params = new URLSearchParams({
    bbox: bboxParam(view.bounds),
    width: String(side(view.width)),
    height: String(side(view.height)),
    layers: layers.join(','),
    from: iso(view.window.from),
  });
  if (view.window.to !== null) params.set('to', iso(view.window.to));
  return `/api/exports/map.png?${params.toString().replaceAll('%2C', ',')}`;
}

/** The shift brief of the last `hours` (default 12, a shift) with the map of the view. */
export function briefPdfUrl(bounds: ViewBounds, hours = 12): string {
  return `/api/exports/brief.pdf?bbox=${bboxParam(bounds)}&hours=${hours}`;
}

/** A layer's features in the view as a file. */
export function layerDataUrl(collection: Collection, format: DataFormat, bounds: ViewBounds): string {
  return `/api/exports/${collection}.${format}?bbox=${bboxParam(bounds)}`;
}

/** The file name for a download: the server's Content-Disposition name, else the fallback. */
export function fileName(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]!);
  const plain = disposition?.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1]! : fallback;
}
