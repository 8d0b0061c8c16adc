// The map style: our own server's vector tiles for everything (the basemap is built from the districts, roads and
// zones layers), no glyph server and no sprite. Labels are drawn in the browser: Latin from the Noto Sans files we
// ship (declared as `font-faces`, served by our server), Chinese with the local CJK font.
import type { ExpressionSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import notoRegular from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import notoBold from '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2?url';

/** Noto Sans "latin" subset (fontsource unicode.json). */
const latinRange = ['U+0000-00FF', 'U+0131', 'U+0152-0153', 'U+02BB-02BC', 'U+02C6', 'U+02DA', 'U+02DC', 'U+0304', 'U+0308',
  'U+0329', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2191', 'U+2193', 'U+2212', 'U+2215', 'U+FEFF', 'U+FFFD'];

/** Local CJK fonts, tried in order (the first installed one draws ideographs). */
export const cjkFonts = ['Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC'];

export const fontRegular = ['Noto Sans Regular', ...cjkFonts];
export const fontBold = ['Noto Sans Bold', ...cjkFonts];

export const cityBounds: [number, number, number, number] = [114.753, 40.708, 115.045, 40.899];
export const cityCenter: [number, number] = [114.899, 40.8035];

export type TileLayerName = 'incidents' | 'cameras' | 'patrol_routes' | 'patrol_units' | 'zones' | 'districts' | 'roads' | 'buildings';

/** Absolute tile URL template of one of the server's tile layers (MapLibre fetches tiles in a worker). */
export function tileUrl(layer: TileLayerName, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${location.origin}/tiles/${layer}/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}`;
}

function vector(layer: TileLayerName, maxzoom: number, params: Record<string, string> = {}, minzoom = 0): SourceSpecification {
  return { type: 'vector', tiles: [tileUrl(layer, params)], minzoom, maxzoom, bounds: [114.6, 40.6, 115.2, 41.0] };
}

/** A label in the map's language: the English name where there is one in English, else the Chinese name. */
export function localName(): ExpressionSpecification {
  return ['case', ['==', ['global-state', 'lang'], 'en'], ['coalesce', ['get', 'name_en'], ['get', 'name']], ['get', 'name']];
}

export const palette = {
  background: '#0a1120',
  land: '#0e1728',
  districtFill: '#101b2e',
  districtLine: '#3a5078',
  roadCasing: '#070c17',
  label: '#c4d3e8',
  labelDim: '#8ea3c0',
  halo: '#070c17',
};

export function baseStyle(lang: string, incidentParams: Record<string, string> = {}): StyleSpecification {
  const abs = (url: string): string => new URL(url, location.href).href;
  return {
    version: 8,
    name: 'SituationMap night',
    // no "glyphs" URL: every glyph is drawn locally (font-faces for Latin, the CJK fallback fonts for Chinese)
    'font-faces': {
      'Noto Sans Regular': [{ url: abs(notoRegular), 'unicode-range': latinRange }],
      'Noto Sans Bold': [{ url: abs(notoBold), 'unicode-range': latinRange }],
    },
    state: {
      lang: { default: lang },
      // incidents that occurred after this (epoch s) glow as recent; moved forward every 5 minutes
      recentSince: { default: Math.floor(Date.now() / 1000 / 300) * 300 - 3600 },
    },
    sources: {
      // maxzoom: beyond it tiles are overzoomed (4096 units per tile are still finer than a metre at these zooms);
      // fewer, larger tiles mean fewer requests and fewer draw calls, which matters with software WebGL
      districts: vector('districts', 10),
      roads: vector('roads', 14),
      // footprints only from z14 (the server's tiles are empty below)
      buildings: vector('buildings', 15, {}, 14),
      zones: vector('zones', 13),
      patrol_routes: vector('patrol_routes', 13),
      cameras: vector('cameras', 15),
      incidents: vector('incidents', 15, incidentParams),
    },
    // no background layer: the map container's CSS background shows through (one full-screen pass less per frame)
    layers: [],
  };
}
