// GET requests of the hotspot endpoints, through the dashboard's API client (RFC 7807 problems as ApiError; a 401
// ends the session like every other request of the page).
import { getJson } from '../api/client';
import type { CompStatTable, DensityResult, HotspotMap } from '../api/hotspots';

export const hotspotsApi = {
  density: (url: string, signal?: AbortSignal) => getJson<DensityResult>(url, signal),
  cells: (url: string, signal?: AbortSignal) => getJson<HotspotMap>(url, signal),
  compstat: (url: string, signal?: AbortSignal) => getJson<CompStatTable>(url, signal),
};
