import { describe, expect, test } from 'vitest';
import { ApiError, query } from './client';

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
});
