// Holds back repaints while the first view's tiles are loading, then draws once.
//
// MapLibre repaints whenever a tile arrives. With a GPU a frame costs a few milliseconds and that is what you want;
// with software WebGL (SwiftShader, llvmpipe — what a headless browser or a GPU-less operator PC uses) a frame of a
// 1920×1080 dashboard costs a few hundred milliseconds of CPU, and the frames drawn while tiles trickle in starve
// the tile worker of the very CPU it needs to finish. So during the first load only, repaint requests are held from
// the first frame (which requests the tiles) until every requested tile is loaded or `timeoutMs` passed, then
// released: the first complete picture appears sooner, everything after behaves as usual.
import type { Map as MapLibreMap } from 'maplibre-gl';

export function holdRepaintsUntilTilesLoaded(map: MapLibreMap, timeoutMs = 2500): Promise<void> {
  const repaint = map.triggerRepaint.bind(map);
  let requested = false;
  let rendered = false;
  let released = false;
  return new Promise((resolve) => {
    const release = (): void => {
      if (released) return;
      released = true;
      map.triggerRepaint = repaint;
      map.off('sourcedata', check);
      clearTimeout(timer);
      repaint();
      resolve();
    };
    const check = (): void => {
      if (rendered && map.areTilesLoaded()) release();
    };
    const timer = setTimeout(release, timeoutMs);
    map.once('render', () => {
      rendered = true;
    });
    map.triggerRepaint = () => {
      // the first frame after the style loaded requests the tiles: let it through, hold the rest
      if (!requested) {
        requested = true;
        repaint();
        return;
      }
      check();
    };
    map.on('sourcedata', check);
  });
}
