// Who is signed in, what they may do, and the anti-forgery token every change must carry. The browser's session is
// the server's HttpOnly cookie; this module only mirrors GET /api/auth/me so the page can hide what the account may
// not do (the server enforces it either way) and add X-CSRF-TOKEN to state-changing requests.
import type { components } from '../api/schema';

export type SessionInfo = components['schemas']['SessionInfo'];

/** The server's permissions (src/SituationMap.Server/Accounts/Roles.cs). */
export type Permission =
  | 'read' | 'incidents:write' | 'units:write' | 'planning:write' | 'districts:write' | 'export' | 'admin';

/** Which permission changes which layer (the server's policies per endpoint). */
export const writePermission: Record<string, Permission> = {
  incidents: 'incidents:write',
  patrol_units: 'units:write',
  'patrol-units': 'units:write',
  cameras: 'planning:write',
  zones: 'planning:write',
  patrol_routes: 'planning:write',
  'patrol-routes': 'planning:write',
  districts: 'districts:write',
};

export interface SignInProviders {
  password: boolean;
  oidc: boolean;
  oidc_name: string | null;
}

export class SignInError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
    this.name = 'SignInError';
  }
}

type Listener = (session: SessionInfo | null) => void;

let current: SessionInfo | null = null;
const listeners = new Set<Listener>();

export function session(): SessionInfo | null {
  return current;
}

export function can(permission: Permission): boolean {
  return current?.permissions.includes(permission) ?? false;
}

/** May the signed-in account change features of this layer (route or layer name)? */
export function canWrite(layer: string): boolean {
  const needed = writePermission[layer];
  return needed !== undefined && can(needed);
}

export function csrfToken(): string | null {
  return current?.csrf_token ?? null;
}

/** Called when the session ended (signed out, expired after inactivity, revoked). */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: SessionInfo | null): void {
  const changed = (current === null) !== (next === null) || current?.id !== next?.id;
  current = next;
  if (changed) for (const l of listeners) l(next);
}

async function problemDetail(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? response.statusText;
  } catch {
    return response.statusText;
  }
}

/** The current session from the cookie, or null when nobody is signed in (401). */
export async function loadSession(fetcher: typeof fetch = fetch): Promise<SessionInfo | null> {
  const response = await fetcher('/api/auth/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    set(null);
    return null;
  }
  if (!response.ok) throw new SignInError(response.status, await problemDetail(response));
  const info = (await response.json()) as SessionInfo;
  set(info);
  return info;
}

export async function signIn(username: string, password: string, fetcher: typeof fetch = fetch): Promise<SessionInfo> {
  const response = await fetcher('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new SignInError(response.status, await problemDetail(response));
  const info = (await response.json()) as SessionInfo;
  set(info);
  return info;
}

export async function signOut(fetcher: typeof fetch = fetch): Promise<void> {
  const token = csrfToken();
  try {
    await fetcher('/api/auth/sign-out', {
      method: 'POST',
      headers: token ? { 'X-CSRF-TOKEN': token } : {},
      credentials: 'same-origin',
    });
  } finally {
    set(null);
  }
}

/** A fresh anti-forgery token (after the server rotated its key, or a long-open page). */
export async function refreshCsrf(fetcher: typeof fetch = fetch): Promise<string | null> {
  const response = await fetcher('/api/auth/csrf', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    set(null);
    return null;
  }
  if (!response.ok) return null;
  const { csrf_token: token } = (await response.json()) as { csrf_token: string };
  if (current) current = { ...current, csrf_token: token };
  return token;
}

/** The server answered 401 to a request: the session is gone (expired after inactivity or revoked). */
export function sessionExpired(): void {
  set(null);
}

export async function providers(fetcher: typeof fetch = fetch): Promise<SignInProviders> {
  const response = await fetcher('/api/auth/providers', { headers: { Accept: 'application/json' } });
  if (!response.ok) return { password: true, oidc: false, oidc_name: null };
  return (await response.json()) as SignInProviders;
}

/** For tests: forget everything. */
export function resetSession(): void {
  current = null;
  listeners.clear();
}
