import { afterEach, describe, expect, test, vi } from 'vitest';
import { api } from '../api/client';
import { can, canWrite, csrfToken, loadSession, onSessionChange, resetSession, session, signIn, type SessionInfo } from './session';

const dispatcher: SessionInfo = {
  id: 7, username: 'disp', display_name: 'Dispatcher Li', roles: ['dispatcher'],
  permissions: ['read', 'incidents:write', 'units:write'], districts: ['DP'], csrf_token: 'token-1',
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  resetSession();
  vi.unstubAllGlobals();
});

describe('session', () => {
  test('nobody signed in: 401 from /api/auth/me is no session, and nothing is allowed', async () => {
    const fetcher = vi.fn(async () => json(401, { title: 'Sign in first.' }));
    expect(await loadSession(fetcher as unknown as typeof fetch)).toBeNull();
    expect(session()).toBeNull();
    expect(can('read')).toBe(false);
    expect(canWrite('incidents')).toBe(false);
  });

  test('permissions decide which layers the account may change', async () => {
    await loadSession((async () => json(200, dispatcher)) as unknown as typeof fetch);
    expect(canWrite('incidents')).toBe(true);
    expect(canWrite('patrol_units')).toBe(true);
    expect(canWrite('cameras')).toBe(false);
    expect(canWrite('patrol_routes')).toBe(false);
    expect(canWrite('zones')).toBe(false);
    expect(canWrite('no-such-layer')).toBe(false);
    expect(csrfToken()).toBe('token-1');
  });

  test('a failed sign-in says why and leaves nobody signed in', async () => {
    const fetcher = (async () => json(401, { detail: 'Wrong username or password.' })) as unknown as typeof fetch;
    await expect(signIn('x', 'y', fetcher)).rejects.toMatchObject({ status: 401, detail: 'Wrong username or password.' });
    expect(session()).toBeNull();
  });

  test('changes carry the anti-forgery token; a stale token is refreshed once and the change retried', async () => {
    await loadSession((async () => json(200, dispatcher)) as unknown as typeof fetch);
    const seen: (string | null)[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/auth/csrf') return json(200, { csrf_token: 'token-2' });
      const token = (init.headers as Record<string, string>)['X-CSRF-TOKEN'] ?? null;
      seen.push(token);
      if (token !== 'token-2') return json(400, { type: 'https://situationmap.dev/problems/csrf', title: 'Missing or invalid anti-forgery token.' });
      return new Response(null, { status: 204 });
    }));
    await api.remove('incidents', 5, 1);
    expect(seen).toEqual(['token-1', 'token-2']);
    expect(csrfToken()).toBe('token-2');
  });

  test('reads carry no token; a 401 ends the session and tells the page', async () => {
    await loadSession((async () => json(200, dispatcher)) as unknown as typeof fetch);
    const ended = vi.fn();
    onSessionChange(ended);
    const headers: Record<string, string>[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      headers.push(init.headers as Record<string, string>);
      return json(401, { title: 'Sign in first.' });
    }));
    await expect(api.get('incidents', 1)).rejects.toMatchObject({ status: 401 });
    expect(headers[0]!['X-CSRF-TOKEN']).toBeUndefined();
    expect(session()).toBeNull();
    expect(ended).toHaveBeenCalledWith(null);
  });
});
