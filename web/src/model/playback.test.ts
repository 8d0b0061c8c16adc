import { describe, expect, test } from 'vitest';
import { advance, bearing, incidentsUntil, lastAtOrBefore, positionAt, trailAt, type Track } from './playback';

const track: Track = {
  unitId: 1,
  callSign: 'YQ-31',
  coordinates: [[114.9, 40.8], [114.9, 40.81], [114.91, 40.81]],
  times: [1000, 1100, 1300],
};

describe('playback', () => {
  test('finds the last time at or before t', () => {
    expect(lastAtOrBefore([1, 3, 5], 0)).toBe(-1);
    expect(lastAtOrBefore([1, 3, 5], 3)).toBe(1);
    expect(lastAtOrBefore([1, 3, 5], 4.9)).toBe(1);
    expect(lastAtOrBefore([1, 3, 5], 99)).toBe(2);
  });

  test('interpolates a unit between its track points, heading along the segment', () => {
    const half = positionAt(track, 1050)!;
    expect(half.coordinates[0]).toBeCloseTo(114.9, 9);
    expect(half.coordinates[1]).toBeCloseTo(40.805, 9);
    expect(half.heading).toBeCloseTo(0, 6);
    const east = positionAt(track, 1200)!;
    expect(east.coordinates[0]).toBeCloseTo(114.905, 9);
    expect(east.heading).toBeCloseTo(90, 6);
  });

  test('shows no unit outside its track', () => {
    expect(positionAt(track, 999)).toBeNull();
    expect(positionAt(track, 1301)).toBeNull();
    expect(positionAt(track, 1300)?.coordinates).toEqual([114.91, 40.81]);
  });

  test('bearings are clockwise from north', () => {
    expect(bearing([0, 0], [0, 1])).toBeCloseTo(0, 6);
    expect(bearing([0, 0], [-1, 0])).toBeCloseTo(270, 6);
    expect(bearing([0, 0], [0, -1])).toBeCloseTo(180, 6);
  });

  test('the trail ends where the unit is', () => {
    const trail = trailAt(track, 1200, 150);
    expect(trail[0]).toEqual([114.9, 40.8]);
    expect(trail.at(-1)![0]).toBeCloseTo(114.905, 9);
  });

  test('incidents appear once they occurred, within the period', () => {
    const sorted = [10, 20, 30, 40].map((t, i) => ({ id: i, t, coordinates: [0, 0] as [number, number], category: 'other', severity: 1 }));
    expect(incidentsUntil(sorted, 15, 30).map((i) => i.t)).toEqual([20, 30]);
    expect(incidentsUntil(sorted, 0, 5)).toEqual([]);
  });

  test('the clock advances at the chosen speed and stops at the end', () => {
    expect(advance(1000, 500, 60, 5000)).toBe(1030);
    expect(advance(4990, 1000, 60, 5000)).toBe(5000);
  });
});
