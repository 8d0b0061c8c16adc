// Playback requests: the server answers unit tracks for at most 7 days per request (GET /api/patrol-units/tracks), so
// a longer (or a "7 d" window that grew by the seconds the page took to start playback) period is asked in chunks and
// the chunks' tracks are joined per unit. Pure functions, unit-tested.
import type { Track } from '../model/playback';

/** The server's limit for one tracks request (PatrolsApi.Tracks). */
export const maxTrackSpanMs = 7 * 24 * 3600 * 1000;

/** [from, to) pieces of at most maxSpan covering [from, to), in time order. */
export function trackChunks(from: number, to: number, maxSpan = maxTrackSpanMs): { from: number; to: number }[] {
  const chunks: { from: number; to: number }[] = [];
  for (let start = from; start < to; start += maxSpan) chunks.push({ from: start, to: Math.min(to, start + maxSpan) });
  return chunks;
}

/** Joins per-chunk tracks (chunks in time order) into one track per unit, times ascending, duplicate instants dropped. */
export function mergeTracks(chunks: readonly (readonly Track[])[]): Track[] {
  const byUnit = new Map<number, Track>();
  for (const chunk of chunks) {
    for (const track of chunk) {
      let merged = byUnit.get(track.unitId);
      if (!merged) byUnit.set(track.unitId, (merged = { unitId: track.unitId, callSign: track.callSign, coordinates: [], times: [] }));
      for (let i = 0; i < track.times.length; i++) {
        const last = merged.times.length ? merged.times[merged.times.length - 1]! : -Infinity;
        if (track.times[i]! <= last) continue;
        merged.times.push(track.times[i]!);
        merged.coordinates.push(track.coordinates[i]!);
      }
    }
  }
  return [...byUnit.values()].filter((t) => t.times.length > 0);
}
