// Names for the hotspot analytics contracts (generated from the server's OpenAPI document), and the one hub message
// the document does not describe (HotspotsRecomputed, src/SituationMap.Server/Hotspots/HotspotContracts.cs).
import type { components } from './schema';

type Schemas = components['schemas'];

/** GET /api/hotspots/density — a kernel density surface as a PNG (data URL) with its four corners and legend. */
export type DensityResult = Schemas['DensityResult'];
export type LegendStop = Schemas['LegendStop'];

/** GET /api/hotspots/gistar | lisa | emerging — a FeatureCollection of cells with their statistics. */
export type HotspotMap = Schemas['HotspotMap'];
export type HotspotCellFeature = Schemas['FeatureOfHotspotCellProperties'];
export type HotspotCellProperties = Schemas['HotspotCellProperties'];

/** GET /api/hotspots/compstat — per district × category (null = total) this period, the previous one, a year ago. */
export type CompStatTable = Schemas['CompStatTable'];
export type CompStatRow = Schemas['CompStatRow'];

/** Hub message: a default hotspot view ("density", "gistar") was recomputed because incidents changed. */
export interface HotspotsRecomputed {
  view: string;
  computed_at: string;
  incidents_version: number;
}
