// PNG export of the map with the hotspot result: the next frame MapLibre draws is copied inside its 'render' event
// (while the WebGL drawing buffer still holds it, so the map needs no preserveDrawingBuffer), a caption and the legend
// are drawn over its lower left corner, and the file is downloaded.
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface MapCaption {
  title: string;
  lines: string[];
  legend: { color: string; label: string }[];
}

const background = '#0a1120';
const fontFamily = '"Noto Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif';

function drawCaption(ctx: CanvasRenderingContext2D, caption: MapCaption, scale: number, height: number): void {
  const pad = 10 * scale;
  const line = 17 * scale;
  const swatch = 11 * scale;
  const columns = caption.legend.length > 8 ? 2 : 1;
  const rows = Math.ceil(caption.legend.length / columns);
  ctx.font = `600 ${13 * scale}px ${fontFamily}`;
  let width = ctx.measureText(caption.title).width;
  ctx.font = `${11 * scale}px ${fontFamily}`;
  for (const l of caption.lines) width = Math.max(width, ctx.measureText(l).width);
  const columnWidth = Math.max(...caption.legend.map((e) => ctx.measureText(e.label).width + swatch + 8 * scale), 0);
  width = Math.max(width, columnWidth * columns + (columns - 1) * 12 * scale);
  const boxW = width + 2 * pad;
  const boxH = pad * 2 + line * (1 + caption.lines.length + rows) + 4 * scale;
  const x = 12 * scale;
  const y = height - boxH - 12 * scale;
  ctx.fillStyle = 'rgba(15, 24, 41, 0.9)';
  ctx.strokeStyle = '#2a3b5c';
  ctx.lineWidth = scale;
  ctx.fillRect(x, y, boxW, boxH);
  ctx.strokeRect(x, y, boxW, boxH);
  ctx.textBaseline = 'middle';
  let cy = y + pad + line / 2;
  ctx.fillStyle = '#dbe5f3';
  ctx.font = `600 ${13 * scale}px ${fontFamily}`;
  ctx.fillText(caption.title, x + pad, cy);
  ctx.font = `${11 * scale}px ${fontFamily}`;
  ctx.fillStyle = '#a9bbd4';
  for (const l of caption.lines) {
    cy += line;
    ctx.fillText(l, x + pad, cy);
  }
  cy += 4 * scale;
  caption.legend.forEach((entry, i) => {
    const col = Math.floor(i / rows);
    const row = i % rows;
    const ex = x + pad + col * (columnWidth + 12 * scale);
    const ey = cy + line * (row + 1);
    ctx.fillStyle = entry.color;
    ctx.fillRect(ex, ey - swatch / 2, swatch, swatch);
    ctx.fillStyle = '#dbe5f3';
    ctx.fillText(entry.label, ex + swatch + 6 * scale, ey);
  });
}

/** The map as it is drawn now, with the caption, as a PNG. */
export function captureMap(map: MapLibreMap, caption: MapCaption): Promise<Blob> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      try {
        const canvas = map.getCanvas();
        const out = document.createElement('canvas');
        out.width = canvas.width;
        out.height = canvas.height;
        const ctx = out.getContext('2d');
        if (!ctx) throw new Error('no 2D canvas');
        // the map has no background layer (the page shows through): give the image the same colour
        ctx.fillStyle = background;
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(canvas, 0, 0);
        drawCaption(ctx, caption, canvas.width / Math.max(1, canvas.clientWidth), out.height);
        out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png');
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    map.triggerRepaint();
  });
}

/** Saves a blob under a file name (a same-page download, nothing leaves the browser). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
