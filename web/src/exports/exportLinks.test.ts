import { describe, expect, test } from 'vitest';
import { bboxParam, briefPdfUrl, fileName, layerDataUrl, mapPngUrl, side } from './exportLinks';

const view = {
  bounds: [114.7531234567, 40.708, 115.045, 40.899] as const,
  width: 1280.4,
  height: 800,
  visible: ['incidents', 'cameras', 'patrol_routes'] as const,
  window: { from: Date.UTC(2026, 10, 25, 8, 0, 0), to: null },
};

describe('export links', () => {
  test('the bbox is minLon,minLat,maxLon,maxLat with six decimals', () => {
    expect(bboxParam(view.bounds)).toBe('114.753123,40.708,115.045,40.899');
  });

  test('a view beyond the world is clamped to what the server accepts', () => {
    expect(bboxParam([-200, -89, 190, 89])).toBe('-180,-85.05,180,85.05');
  });

  test('canvas sides are whole pixels within the server limits', () => {
    expect([side(0), side(1280.4), side(9000)]).toEqual([16, 1280, 4096]);
  });

  test('the map PNG asks for the view, its size, the visible layers and the incident window', () => {
    const url = new URL(mapPngUrl(view), 'http://x');
    expect(url.pathname).toBe('/api/exports/map.png');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      bbox: '114.753123,40.708,115.045,40.899', width: '1280', height: '800',
      layers: 'incidents,cameras,camera_views,routes', from: '2026-11-25T08:00:00Z',
    });
    expect(mapPngUrl(view)).toContain('layers=incidents,cameras,camera_views,routes&');
  });

  test('a closed window sends its end; no visible layer sends an empty list (basemap only)', () => {
    const url = new URL(mapPngUrl({ ...view, visible: [], window: { from: 0, to: Date.UTC(2026, 0, 1) } }), 'http://x');
    expect(url.searchParams.get('layers')).toBe('');
    expect(url.searchParams.get('to')).toBe('2026-01-01T00:00:00Z');
  });

  test('the brief and the layer data use the same bbox', () => {
    expect(briefPdfUrl(view.bounds)).toBe('/api/exports/brief.pdf?bbox=114.753123,40.708,115.045,40.899&hours=12');
    expect(layerDataUrl('patrol_routes', 'shp.zip', view.bounds)).toBe('/api/exports/patrol_routes.shp.zip?bbox=114.753123,40.708,115.045,40.899');
  });

  test('the download name comes from Content-Disposition', () => {
    expect(fileName('attachment; filename=situation-brief.pdf; filename*=UTF-8\'\'situation-brief.pdf', 'x')).toBe('situation-brief.pdf');
    expect(fileName('attachment; filename="map.png"', 'x')).toBe('map.png');
    expect(fileName(null, 'fallback.png')).toBe('fallback.png');
  });
});
