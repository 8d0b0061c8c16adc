import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RefreshScheduler } from './refresh';

describe('refreshing the shown result', () => {
  let fetches = 0;
  let scheduler: RefreshScheduler;

  beforeEach(() => {
    vi.useFakeTimers();
    fetches = 0;
    scheduler = new RefreshScheduler(() => fetches++, { debounceMs: 800, fallbackMs: 45_000 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  test('the density and Gi* notices of one recomputation make one request', () => {
    scheduler.notice();
    vi.advanceTimersByTime(100);
    scheduler.notice();
    vi.advanceTimersByTime(799);
    expect(fetches).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(fetches).toBe(1);
    expect(scheduler.pending).toBe(false);
  });

  test('settings changes are debounced: each change restarts the quiet time', () => {
    scheduler.settingsChanged();
    vi.advanceTimersByTime(600);
    scheduler.settingsChanged();
    vi.advanceTimersByTime(600);
    expect(fetches).toBe(0);
    vi.advanceTimersByTime(200);
    expect(fetches).toBe(1);
  });

  test('an incident change without a notice refreshes after the fallback delay, a notice sooner', () => {
    scheduler.incidentsChanged();
    expect(scheduler.reason).toBe('incidents');
    vi.advanceTimersByTime(44_999);
    expect(fetches).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fetches).toBe(1);

    scheduler.incidentsChanged();
    vi.advanceTimersByTime(10_000);
    scheduler.notice();
    expect(scheduler.reason).toBe('notice');
    vi.advanceTimersByTime(800);
    expect(fetches).toBe(2);
    vi.advanceTimersByTime(60_000);
    expect(fetches).toBe(2);
  });

  test('an account the server does not notify (district-scoped) refreshes soon after its incident events', () => {
    scheduler.incidentsChanged(5_000);
    vi.advanceTimersByTime(2_000);
    scheduler.incidentsChanged(5_000);
    vi.advanceTimersByTime(3_000);
    expect(fetches).toBe(1);
  });

  test('more incident changes never postpone a pending refresh, and cancel drops it', () => {
    scheduler.notice();
    scheduler.incidentsChanged();
    vi.advanceTimersByTime(800);
    expect(fetches).toBe(1);
    scheduler.incidentsChanged();
    vi.advanceTimersByTime(30_000);
    scheduler.incidentsChanged();
    vi.advanceTimersByTime(15_000);
    expect(fetches).toBe(2);
    scheduler.notice();
    scheduler.cancel();
    vi.advanceTimersByTime(60_000);
    expect(fetches).toBe(2);
  });
});
