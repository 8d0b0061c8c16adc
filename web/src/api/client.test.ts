import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, BACKGROUND_HEADER, api, query } from './client';

describe('api client', () => {
  test('builds query strings: lists comma-separated, empty values left out', () => {
    expect(query({ bbox: [114.8, 40.7, 115, 40.9], limit: 10, status: undefined, from: '', category: ['violent', 'fraud'] }))
      .toBe('?bbox=114.8,40.7,115,40.9&limit=10&category=violent,fraud');
    expect(query({})).toBe('');
    expect(query({ from: '2026-11-25T00:00:00Z' })).toBe('?from=2026-11-25T00%3A00%3A00Z');
  });

  test('validation problems become readable lines', () => {
    const e = new ApiError(400, { title: 'The request is invalid.', errors: { '/properties/severity': ['must be 1 to 4.'] } }, 'POST');
    expect(e.details).toEqual(['/properties/severity: must be 1 to 4.']);
    expect(new ApiError(409, { detail: 'Stale.' }, 'PUT').details).toEqual(['Stale.']);
  });

  afterEach(() => vi.unstubAllGlobals());

  test('the polled summary is a background request (it must not extend the session); a requested one is not', async () => {
    const sent: Headers[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return new Response('{"incidents":{}}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    }));
    await api.summary(null, undefined, true);
    await api.summary(null);
    expect(sent.map((h) => h.get(BACKGROUND_HEADER))).toEqual(['1', null]);
  });
});
