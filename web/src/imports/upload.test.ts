import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, postForm } from '../api/client';
import { signIn } from '../auth/session';
import { serverProblems } from './model';

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

async function signedIn(): Promise<void> {
  const fake = (async () => json(200, { id: 1, username: 'planner', permissions: ['read', 'incidents:write'], csrf_token: 'tok-1' })) as unknown as typeof fetch;
  await signIn('planner', 'pw', fake);
}

describe('the import upload', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('is a multipart POST with the session cookie and the CSRF token, the boundary left to the browser', async () => {
    await signedIn();
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return json(202, { id: 'abc', state: 'queued', phase: 'queued', rows_read: 0, progress: 0 });
    });
    const form = new FormData();
    form.append('options', JSON.stringify({ layer: 'incidents', mode: 'atomic', dry_run: true }));
    form.append('file', new Blob(['x,y\n1,2\n'], { type: 'text/csv' }), 'a.csv');
    const { data } = await postForm<{ id: string; state: string }>('/api/imports', form);
    expect(data).toMatchObject({ id: 'abc', state: 'queued' });
    const [url, init] = calls[0]!;
    expect(url).toBe('/api/imports');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe(form);
    const headers = init.headers as Record<string, string>;
    expect(headers['X-CSRF-TOKEN']).toBe('tok-1');
    expect(headers['Content-Type']).toBeUndefined();
  });

  test('a 400 problem+json becomes an ApiError whose errors land at their form fields', async () => {
    await signedIn();
    vi.stubGlobal('fetch', async () => json(400, {
      type: 'https://situationmap/problems/validation', title: 'The import cannot start.', status: 400,
      errors: { '/options/layer': ['must be one of: incidents, cameras, zones.'], '/files': ['send one or more files in \'file\' parts.'] },
    }, 'application/problem+json'));
    const error = await postForm('/api/imports', new FormData()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const problems = serverProblems((error as ApiError).problem?.errors);
    expect(problems.map((p) => p.place)).toEqual(['layer', 'files']);
  });
});
