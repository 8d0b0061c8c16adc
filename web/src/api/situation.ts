// Names for the situation, history and playback contracts (generated from the server's OpenAPI document).
import type { components } from './schema';

type Schemas = components['schemas'];

export type SituationSummary = Schemas['SituationSummary'];
export type OpenIncidents = Schemas['OpenIncidents'];
export type UnitCounts = Schemas['UnitCounts'];
export type CameraCounts = Schemas['CameraCounts'];

/** GET /api/{layer}/{id}/history — newest first; each change carries the feature after it. */
export type FeatureHistory = Schemas['FeatureHistory'];

/** GET /api/patrol-units/tracks — one LineString per unit; properties.times = epoch second of each vertex. */
export type UnitTrackCollection = Schemas['FeatureCollectionOfUnitTrackProperties'];
export type UnitTrackProperties = Schemas['UnitTrackProperties'];
