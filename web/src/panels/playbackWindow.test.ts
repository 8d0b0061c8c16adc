import { describe, expect, it } from 'vitest';
import { maxTrackSpanMs, mergeTracks, trackChunks } from './playbackWindow';

describe('trackChunks', () => {
  it('keeps a window within the limit in one request', () => {
    expect(trackChunks(0, maxTrackSpanMs)).toEqual([{ from: 0, to: maxTrackSpanMs }]);
  });

  it('splits a "7 d" window that grew by a few seconds into two requests within the limit', () => {
    const chunks = trackChunks(1000, 1000 + maxTrackSpanMs + 4000);
    expect(chunks).toEqual([{ from: 1000, to: 1000 + maxTrackSpanMs }, { from: 1000 + maxTrackSpanMs, to: 1000 + maxTrackSpanMs + 4000 }]);
    for (const c of chunks) expect(c.to - c.from).toBeLessThanOrEqual(maxTrackSpanMs);
  });

  it('covers a 30-day window without gaps', () => {
    const chunks = trackChunks(0, 30 * 86_400_000);
    expect(chunks).toHaveLength(5);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.from).toBe(chunks[i - 1]!.to);
    expect(chunks.at(-1)!.to).toBe(30 * 86_400_000);
  });

  it('gives nothing for an empty window', () => {
    expect(trackChunks(5, 5)).toEqual([]);
  });
});

describe('mergeTracks', () => {
  it('joins a unit across chunks in time order and drops a repeated instant at the seam', () => {
    const merged = mergeTracks([
      [{ unitId: 1, callSign: 'A', coordinates: [[0, 0], [1, 1]], times: [10, 20] }],
      [{ unitId: 2, callSign: 'B', coordinates: [[5, 5]], times: [25] }, { unitId: 1, callSign: 'A', coordinates: [[1, 1], [2, 2]], times: [20, 30] }],
    ]);
    expect(merged).toEqual([
      { unitId: 1, callSign: 'A', coordinates: [[0, 0], [1, 1], [2, 2]], times: [10, 20, 30] },
      { unitId: 2, callSign: 'B', coordinates: [[5, 5]], times: [25] },
    ]);
  });
});
