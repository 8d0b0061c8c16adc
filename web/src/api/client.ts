// The dashboard's HTTP client: same-origin fetches of the SituationMap API, RFC 7807 problems turned into ApiError.
import type {
  Feature, FeatureCollection, IncidentProperties, IncidentStatus, LayerRoute, Problem, TrackPointFeatureCollection,
} from './types';
import type { FeatureHistory, SituationSummary, UnitTrackCollection } from './situation';
import { csrfToken, refreshCsrf, sessionExpired } from '../auth/session';

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
  }

  /** "pointer: message" lines of a validation problem, or the problem's detail. */
  get details(): string[] {
    const errors = this.problem?.errors;
    if (errors) return Object.entries(errors).flatMap(([pointer, messages]) => messages.map((m) => `${pointer}: ${m}`));
    return this.problem?.detail ? [this.problem.detail] : [];
  }
}

export interface Sent<T> {
  data: T;
  response: Response;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export function query(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) parts.push(`${encodeURIComponent(key)}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
    } else {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Marks a request nobody asked for (polling): the server answers it but does not extend the session for it, so a
 * dashboard left unattended still signs out after the idle timeout (a 401 then shows the sign-in).
 */
export const BACKGROUND_HEADER = 'X-SituationMap-Background';
export const background: Readonly<Record<string, string>> = { [BACKGROUND_HEADER]: '1' };

function isChange(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * One request of the page's session: same-origin cookie, X-CSRF-TOKEN on changes (one retry with a fresh token after a
 * stale one), a 401 ends the session, a failure becomes an ApiError with the RFC 7807 problem. JSON bodies are sent as
 * GeoJSON except to the endpoints that take plain JSON (`contentType`).
 */
async function request(method: string, url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined,
  contentType: string, retried = false): Promise<Response> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json', ...headers } };
  if (signal) init.signal = signal;
  const token = csrfToken();
  if (isChange(method) && token) (init.headers as Record<string, string>)['X-CSRF-TOKEN'] = token;
  if (body instanceof FormData) {
    init.body = body; // multipart: the browser sets Content-Type with its boundary
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = contentType;
  }
  const response = await fetch(url, init);
  if (response.ok) return response;
  const text = await response.text();
  let problem: Problem | null = null;
  try {
    problem = text ? (JSON.parse(text) as Problem) : null;
  } catch {
    problem = null;
  }
  // the anti-forgery token went stale (server key rotated, long-open page): fetch a fresh one and try once more
  if (response.status === 400 && problem?.type?.endsWith('/csrf') && !retried && (await refreshCsrf()) !== null) {
    return request(method, url, body, headers, signal, contentType, true);
  }
  if (response.status === 401) sessionExpired();
  throw new ApiError(response.status, problem, `${method} ${url}: ${response.status} ${problem?.title ?? response.statusText}`);
}

async function send<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal,
  contentType = url.includes('/status') ? 'application/json' : 'application/geo+json'): Promise<Sent<T>> {
  const response = await request(method, url, body, headers, signal, contentType);
  const text = response.status === 204 ? '' : await response.text();
  return { data: (text ? JSON.parse(text) : null) as T, response };
}

/** Returns null instead of throwing when the endpoint does not exist (yet): 404 without a problem body, or 405. */
async function optional<T>(url: string, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T | null> {
  try {
    return (await send<T>('GET', url, undefined, headers, signal)).data;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 405 || (e.status === 404 && !e.problem?.type?.includes('not-found')))) return null;
    throw e;
  }
}

/** GET a JSON resource of the API (errors as ApiError, a 401 ends the session, like every request of the page). */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await send<T>('GET', url, undefined, {}, signal)).data;
}

/** POST a plain-JSON request (analysis and planning endpoints) and read its JSON answer. */
export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return (await send<T>('POST', url, body, {}, signal, 'application/json')).data;
}

/** POST a multipart form (file uploads: imports) and read its JSON answer. */
export async function postForm<T>(url: string, form: FormData, signal?: AbortSignal): Promise<Sent<T>> {
  return send<T>('POST', url, form, {}, signal);
}

/** A file the server sends as an attachment: its bytes and the Content-Disposition header (the name it suggests). */
export interface Download {
  blob: Blob;
  disposition: string | null;
}

/** GET an attachment (an export; audited by the server). */
export async function download(url: string, signal?: AbortSignal): Promise<Download> {
  const response = await request('GET', url, undefined, { Accept: '*/*' }, signal, 'application/json');
  return { blob: await response.blob(), disposition: response.headers.get('Content-Disposition') };
}

export const api = {
  list<P>(layer: LayerRoute, params: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<FeatureCollection<P>> {
    return send<FeatureCollection<P>>('GET', `/api/${layer}${query(params)}`, undefined, {}, signal).then((s) => s.data);
  },

  /** Follows `next` links until the layer is exhausted or `max` features were read. */
  async listAll<P>(layer: LayerRoute, params: Record<string, QueryValue> = {}, max = 50_000, signal?: AbortSignal): Promise<FeatureCollection<P> & { truncated: boolean }> {
    const first = await api.list<P>(layer, { limit: Math.max(1, Math.min(10_000, max)), ...params }, signal);
    const features = [...first.features];
    let next = first.links.find((l) => l.rel === 'next')?.href;
    while (next && features.length < max) {
      const page = (await send<FeatureCollection<P>>('GET', next, undefined, {}, signal)).data;
      features.push(...page.features);
      next = page.links.find((l) => l.rel === 'next')?.href;
    }
    return { ...first, features: features.slice(0, max), number_returned: Math.min(features.length, max), truncated: next !== undefined || features.length > max };
  },

  get<P>(layer: LayerRoute, id: number, signal?: AbortSignal): Promise<Feature<P>> {
    return send<Feature<P>>('GET', `/api/${layer}/${id}`, undefined, {}, signal).then((s) => s.data);
  },

  create<P>(layer: LayerRoute, feature: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }): Promise<Sent<Feature<P>>> {
    return send<Feature<P>>('POST', `/api/${layer}`, feature);
  },

  replace<P>(layer: LayerRoute, id: number, feature: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }, version: number): Promise<Sent<Feature<P>>> {
    return send<Feature<P>>('PUT', `/api/${layer}/${id}`, feature, { 'If-Match': `"${version}"` });
  },

  remove(layer: LayerRoute, id: number, version?: number): Promise<Sent<null>> {
    return send<null>('DELETE', `/api/${layer}/${id}`, undefined, version === undefined ? {} : { 'If-Match': `"${version}"` });
  },

  changeIncidentStatus(id: number, status: IncidentStatus, version: number): Promise<Sent<Feature<IncidentProperties>>> {
    return send<Feature<IncidentProperties>>('POST', `/api/incidents/${id}/status`, { status, version });
  },

  unitTrack(id: number, from: string, to: string, signal?: AbortSignal): Promise<TrackPointFeatureCollection> {
    return send<TrackPointFeatureCollection>('GET', `/api/patrol-units/${id}/track${query({ from, to, limit: 10_000 })}`, undefined, {}, signal).then((s) => s.data);
  },

  /** null when the server has no summary endpoint yet. `poll`: a background refresh (does not extend the session). */
  summary(shiftStart: string | null, signal?: AbortSignal, poll = false): Promise<SituationSummary | null> {
    return optional<SituationSummary>(`/api/situation/summary${query({ shift_start: shiftStart })}`, signal, poll ? { ...background } : {});
  },

  /** null when the server has no history endpoint yet. */
  history(layer: LayerRoute, id: number, limit = 20, signal?: AbortSignal): Promise<FeatureHistory | null> {
    return optional<FeatureHistory>(`/api/${layer}/${id}/history${query({ limit })}`, signal);
  },

  /** null when the server has no tracks endpoint yet. */
  tracks(from: string, to: string, signal?: AbortSignal): Promise<UnitTrackCollection | null> {
    return optional<UnitTrackCollection>(`/api/patrol-units/tracks${query({ from, to })}`, signal);
  },
};

