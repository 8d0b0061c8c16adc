// The time window applied to the map and the feed: a rolling "last N" window or a fixed custom one.
export type TimeWindowPreset = '1h' | '24h' | '7d' | 'custom';

export interface TimeWindow {
  preset: TimeWindowPreset;
  /** Fixed bounds for custom windows (epoch ms); to = null means open-ended (until now). */
  from?: number;
  to?: number | null;
}

const presetMs: Record<Exclude<TimeWindowPreset, 'custom'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
};

export interface Bounds {
  from: number;
  /** null: open-ended */
  to: number | null;
}

/** The window's bounds at `now` (epoch ms). */
export function bounds(window: TimeWindow, now: number): Bounds {
  if (window.preset === 'custom') return { from: window.from ?? now - presetMs['24h'], to: window.to ?? null };
  return { from: now - presetMs[window.preset], to: null };
}

export function contains(b: Bounds, t: number): boolean {
  return t >= b.from && (b.to === null || t < b.to);
}

/**
 * The `from` used in tile URLs for a rolling window: rounded down to `step` ms so the URL (and the browser's tile
 * cache) stays stable between refreshes. Tiles may then show incidents up to `step` older than the window; the
 * overlay and the feed use the exact bounds.
 */
export function tileBounds(window: TimeWindow, now: number, step = 5 * 60_000): Bounds {
  const b = bounds(window, now);
  if (window.preset === 'custom') return b;
  return { from: Math.floor(b.from / step) * step, to: null };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The shift the command center is in: shifts change at 08:00 and 20:00 city time (UTC+8). Returns epoch ms. */
export function shiftStart(now: number, changeHours: readonly number[] = [8, 20], utcOffsetHours = 8): number {
  const local = now + utcOffsetHours * 3_600_000;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  const hours = [...changeHours].sort((a, b) => a - b);
  let start = dayStart + (hours[hours.length - 1]! - 24) * 3_600_000; // last change of the previous day
  for (const h of hours) {
    const candidate = dayStart + h * 3_600_000;
    if (candidate <= local) start = candidate;
  }
  return start - utcOffsetHours * 3_600_000;
}
