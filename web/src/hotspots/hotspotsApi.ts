// GET requests of the hotspot endpoints (JSON, same origin, the session cookie). Errors become the dashboard's ApiError
// (RFC 7807 problem attached); a 401 ends the session like every other request of the page.
import { ApiError } from '../api/client';
import type { CompStatTable, DensityResult, HotspotMap } from '../api/hotspots';
import type { Problem } from '../api/types';
import { sessionExpired } from '../auth/session';

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (signal) init.signal = signal;
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem | null = null;
    try {
      problem = text ? (JSON.parse(text) as Problem) : null;
    } catch {
      problem = null;
    }
    if (response.status === 401) sessionExpired();
    throw new ApiError(response.status, problem, `GET ${url}: ${response.status} ${problem?.title ?? response.statusText}`);
  }
  return JSON.parse(text) as T;
}

export const hotspotsApi = {
  density: (url: string, signal?: AbortSignal) => getJson<DensityResult>(url, signal),
  cells: (url: string, signal?: AbortSignal) => getJson<HotspotMap>(url, signal),
  compstat: (url: string, signal?: AbortSignal) => getJson<CompStatTable>(url, signal),
};
