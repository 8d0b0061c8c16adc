// Map icons drawn at start-up on a canvas (no sprite request): cameras by kind and status, patrol units as
// heading arrows by status. Drawn at 2x for sharp rendering; MapLibre scales by pixelRatio.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CameraKind, CameraStatus, PatrolUnitStatus } from '../api/types';
import { cameraKinds, cameraStatusColors, cameraStatuses, unitStatusColors, unitStatuses } from '../model/vocabulary';

const ratio = 2;

function draw(size: number, paint: (ctx: CanvasRenderingContext2D, s: number) => void): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * ratio;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  paint(ctx, size);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

export function cameraIconId(kind: CameraKind, status: CameraStatus): string {
  return `camera-${kind}-${status}`;
}

function cameraIcon(kind: CameraKind, status: CameraStatus): ImageData {
  const color = cameraStatusColors[status];
  return draw(18, (ctx, s) => {
    const c = s / 2;
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#0b1220';
    ctx.fillStyle = color;
    ctx.beginPath();
    if (kind === 'fixed') {
      // box camera: body and lens
      ctx.roundRect(2.5, 5, 10, 8, 1.5);
      ctx.moveTo(12.5, 7.5);
      ctx.lineTo(16, 5.5);
      ctx.lineTo(16, 12.5);
      ctx.lineTo(12.5, 10.5);
    } else if (kind === 'ptz') {
      // pan-tilt-zoom: circle with a ring
      ctx.arc(c, c, 7, 0, Math.PI * 2);
    } else {
      // dome: half dome on a base
      ctx.arc(c, c + 2, 6.5, Math.PI, 0);
      ctx.lineTo(c + 7.5, c + 2);
      ctx.lineTo(c + 7.5, c + 4);
      ctx.lineTo(c - 7.5, c + 4);
      ctx.lineTo(c - 7.5, c + 2);
    }
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#0b1220';
    ctx.beginPath();
    if (kind === 'fixed') ctx.arc(7.5, 9, 2, 0, Math.PI * 2);
    else if (kind === 'ptz') ctx.arc(c, c, 3, 0, Math.PI * 2);
    else ctx.arc(c, c + 1, 2.2, 0, Math.PI * 2);
    ctx.fill();
    if (status === 'fault') {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      ctx.moveTo(3, 15);
      ctx.lineTo(15, 3);
      ctx.stroke();
    }
  });
}

export function unitIconId(status: PatrolUnitStatus): string {
  return `unit-${status}`;
}

function unitIcon(status: PatrolUnitStatus): ImageData {
  const color = unitStatusColors[status];
  return draw(26, (ctx, s) => {
    const c = s / 2;
    // a disc with an arrow pointing north (rotated by heading on the map)
    ctx.fillStyle = 'rgba(11,18,32,0.85)';
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(c, c, 9, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(c, c - 7);
    ctx.lineTo(c + 5, c + 5);
    ctx.lineTo(c, c + 2.5);
    ctx.lineTo(c - 5, c + 5);
    ctx.closePath();
    ctx.fill();
  });
}

/** The same icon as a data: URL, for the legend (no request). */
export function iconDataUrl(image: ImageData): string {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas.toDataURL();
}

export function cameraIconUrl(kind: CameraKind, status: CameraStatus): string {
  return iconDataUrl(cameraIcon(kind, status));
}

export function unitIconUrl(status: PatrolUnitStatus): string {
  return iconDataUrl(unitIcon(status));
}

/** Adds every icon to the map's style (again after a style reload). */
export function addIcons(map: MapLibreMap): void {
  for (const kind of cameraKinds) {
    for (const status of cameraStatuses) {
      const id = cameraIconId(kind, status);
      if (!map.hasImage(id)) map.addImage(id, cameraIcon(kind, status), { pixelRatio: ratio });
    }
  }
  for (const status of unitStatuses) {
    const id = unitIconId(status);
    if (!map.hasImage(id)) map.addImage(id, unitIcon(status), { pixelRatio: ratio });
  }
}
