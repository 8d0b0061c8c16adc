// The classes of each cell method, in legend order, with their colours (ArcGIS's Hot Spot Analysis renderer for Gi*,
// GeoDa's LISA cluster map, warm/cool families for emerging patterns), the MapLibre expression that paints them, and
// the legend of a result (classes with their cell counts; a density ramp in incidents per km²). Pure.
import type { ExpressionSpecification } from 'maplibre-gl';
import type { DensityResult } from '../api/hotspots';
import type { HotspotMethod } from './model';

export type CellMethod = Exclude<HotspotMethod, 'density'>;

/** Neither hot nor cold: drawn faintly so that the grid and the counts stay visible. */
export const notSignificantColor = '#8ea3c0';

/** Class → colour, in legend order (hot first, not significant last). */
export const classColors: Record<CellMethod, readonly (readonly [string, string])[]> = {
  gistar: [
    ['hot_99', '#d62f27'],
    ['hot_95', '#ed7551'],
    ['hot_90', '#fab984'],
    ['cold_90', '#c0ccbe'],
    ['cold_95', '#849eba'],
    ['cold_99', '#4575b5'],
    ['not_significant', notSignificantColor],
  ],
  lisa: [
    ['high_high', '#e8262b'],
    ['high_low', '#fdae61'],
    ['low_high', '#8fcbe6'],
    ['low_low', '#2c7bd6'],
    ['not_significant', notSignificantColor],
  ],
  emerging: [
    ['new_hot_spot', '#ff3355'],
    ['consecutive_hot_spot', '#ff7043'],
    ['intensifying_hot_spot', '#c0001a'],
    ['persistent_hot_spot', '#e0452a'],
    ['diminishing_hot_spot', '#fdae6b'],
    ['sporadic_hot_spot', '#f6d55c'],
    ['oscillating_hot_spot', '#d97bc4'],
    ['historical_hot_spot', '#a1887f'],
    ['new_cold_spot', '#3d7bff'],
    ['consecutive_cold_spot', '#29b6f6'],
    ['intensifying_cold_spot', '#1a3fbf'],
    ['persistent_cold_spot', '#4a90e2'],
    ['diminishing_cold_spot', '#9ecae1'],
    ['sporadic_cold_spot', '#80deea'],
    ['oscillating_cold_spot', '#9fa8da'],
    ['historical_cold_spot', '#78909c'],
    ['no_pattern', notSignificantColor],
  ],
};

/** Classes that carry no finding: faint fill, no outline, last in the legend. */
export function isBackgroundClass(cls: string): boolean {
  return cls === 'not_significant' || cls === 'no_pattern';
}

export function classColor(method: CellMethod, cls: string): string {
  return classColors[method].find(([c]) => c === cls)?.[1] ?? notSignificantColor;
}

/** A Gi* bin as the server numbers it (HotSpotBin: −3 cold 99 % … 0 not significant … 3 hot 99 %) → its class. */
export function binClass(bin: number | null | undefined): string {
  if (!bin || !Number.isInteger(bin) || Math.abs(bin) > 3) return 'not_significant';
  return `${bin > 0 ? 'hot' : 'cold'}_${[90, 95, 99][Math.abs(bin) - 1]}`;
}

/** A Mann-Kendall trend read at the emerging analysis's trend level (α = 0.10). */
export function trendDirection(tau: number, p: number | null | undefined, alpha = 0.1): 'up' | 'down' | 'none' {
  if (p === null || p === undefined || !(p < alpha) || tau === 0) return 'none';
  return tau > 0 ? 'up' : 'down';
}

/** The i18n key of a class label: hotspots.class.hot_99, hotspots.class.high_high, hotspots.class.new_hot_spot… */
export function classLabelKey(cls: string): string {
  return `hotspots.class.${cls}`;
}

/** The cells' fill colour: a match on the `class` property. */
export function fillColor(method: CellMethod): ExpressionSpecification {
  const pairs = classColors[method].flatMap(([c, colour]) => [c, colour]);
  return ['match', ['get', 'class'], ...pairs, notSignificantColor] as unknown as ExpressionSpecification;
}

/** Significant cells strong, the rest a faint tint. */
export function fillOpacity(): ExpressionSpecification {
  return ['match', ['get', 'class'], ['not_significant', 'no_pattern'], 0.07, 0.62];
}

export interface LegendEntry {
  cls: string;
  color: string;
  /** How many cells of the analysis have this class (0 when none). */
  count: number;
}

/**
 * The legend of a cell result: every class of the method in legend order with its count; classes without cells
 * are kept (a legend that changes shape with the data is hard to read) unless `onlyPresent`.
 */
export function classLegend(method: CellMethod, classes: Record<string, number>, onlyPresent = false): LegendEntry[] {
  const entries = classColors[method].map(([cls, color]) => ({ cls, color, count: classes[cls] ?? 0 }));
  return onlyPresent ? entries.filter((e) => e.count > 0 || isBackgroundClass(e.cls)) : entries;
}

export interface DensityLegendEntry {
  color: string;
  /** Lower bound of the colour, incidents per km². */
  from: number;
  /** Upper bound (the next colour's lower bound, or the maximum). */
  to: number;
}

/** The density ramp in real units: each colour from its threshold up to the next one (the last up to the maximum). */
export function densityLegend(result: Pick<DensityResult, 'legend' | 'max_per_km2'>): DensityLegendEntry[] {
  const stops = [...result.legend].sort((a, b) => a.value - b.value);
  return stops.map((s, i) => ({ color: s.color, from: s.value, to: stops[i + 1]?.value ?? result.max_per_km2 }));
}

/** A CSS linear-gradient of the ramp (for the legend bar). */
export function densityGradient(entries: readonly DensityLegendEntry[]): string {
  if (entries.length === 0) return 'transparent';
  const n = entries.length;
  const stops = entries.map((e, i) => `${e.color} ${Math.round((i / n) * 100)}% ${Math.round(((i + 1) / n) * 100)}%`);
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

/**
 * Where the hotspot layers go in the style: just below the first of the layers that must stay above them (patrol
 * routes, cameras, incidents, units — so analysis colours never hide live features), above the basemap and zones.
 */
export function layerBelow(styleLayerIds: readonly string[], keepAbove: ReadonlySet<string>): string | undefined {
  return styleLayerIds.find((id) => keepAbove.has(id));
}
