// Replay of a past period: where each unit was at time t (linear interpolation along its track) and which incidents
// had occurred by then. Pure functions over plain arrays, so they are unit-tested and cheap to call every frame.

export interface Track {
  unitId: number;
  callSign: string;
  /** [lon, lat] per vertex */
  coordinates: [number, number][];
  /** epoch seconds per vertex, ascending */
  times: number[];
}

export interface TrackPosition {
  coordinates: [number, number];
  /** degrees clockwise from north */
  heading: number;
}

/** Index of the last element <= t (binary search); -1 when t is before the first. */
export function lastAtOrBefore(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Compass bearing from a to b (approximate, fine for short segments). */
export function bearing(a: readonly [number, number], b: readonly [number, number]): number {
  const dx = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * Math.PI / 180);
  const dy = b[1] - a[1];
  if (dx === 0 && dy === 0) return 0;
  return (Math.atan2(dx, dy) * 180 / Math.PI + 360) % 360;
}

/** The unit's position at t (epoch seconds), or null when t is outside its track. */
export function positionAt(track: Track, t: number): TrackPosition | null {
  const { coordinates: c, times } = track;
  if (c.length === 0 || t < times[0]! || t > times[times.length - 1]!) return null;
  const i = lastAtOrBefore(times, t);
  if (i >= c.length - 1) {
    const prev = c[c.length - 2] ?? c[c.length - 1]!;
    return { coordinates: c[c.length - 1]!, heading: bearing(prev, c[c.length - 1]!) };
  }
  const a = c[i]!;
  const b = c[i + 1]!;
  const span = times[i + 1]! - times[i]!;
  const f = span > 0 ? (t - times[i]!) / span : 0;
  return { coordinates: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f], heading: bearing(a, b) };
}

/** The part of the track between t - trailSeconds and t (for a fading trail). */
export function trailAt(track: Track, t: number, trailSeconds: number): [number, number][] {
  const start = lastAtOrBefore(track.times, t - trailSeconds);
  const end = lastAtOrBefore(track.times, t);
  if (end < 0) return [];
  const out = track.coordinates.slice(Math.max(start, 0), end + 1);
  const here = positionAt(track, t);
  if (here) out.push(here.coordinates);
  return out;
}

export interface PlaybackIncident {
  id: number;
  /** epoch seconds */
  t: number;
  coordinates: [number, number];
  category: string;
  severity: number;
}

/** Incidents that occurred in [from, t], given a list sorted by t. */
export function incidentsUntil(sorted: readonly PlaybackIncident[], from: number, t: number): PlaybackIncident[] {
  const end = lastAtOrBefore(sorted.map((i) => i.t), t);
  const out: PlaybackIncident[] = [];
  for (let i = 0; i <= end; i++) if (sorted[i]!.t >= from) out.push(sorted[i]!);
  return out;
}

/** Advances the playback clock: `speed` seconds of the period per real second, clamped to the period. */
export function advance(t: number, realElapsedMs: number, speed: number, end: number): number {
  return Math.min(end, t + (realElapsedMs / 1000) * speed);
}
