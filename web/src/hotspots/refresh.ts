// When the shown hotspot result is fetched again. The server recomputes its default views when incidents changed and
// says so (HotspotsRecomputed, at most every 30 s); a burst of notices (density and Gi* arrive together) or of setting
// changes becomes one request. Incident changes seen on the live stream are a fallback: if no notice follows within
// `fallbackMs` (the server's refresher failed, or only a non-default view is affected), the result is fetched anyway.

export interface RefreshTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: RefreshTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RefreshOptions {
  /** Quiet time after a notice or a settings change before fetching (ms). */
  debounceMs?: number;
  /** After an incident change without a notice (ms). */
  fallbackMs?: number;
  timers?: RefreshTimers;
}

export class RefreshScheduler {
  private handle: unknown = null;
  private dueAt = Infinity;
  private readonly debounceMs: number;
  private readonly fallbackMs: number;
  private readonly timers: RefreshTimers;
  /** Why the pending fetch was asked for (tests, the panel's status line). */
  reason: 'settings' | 'notice' | 'incidents' | null = null;

  constructor(private readonly fetch: () => void, options: RefreshOptions = {}) {
    this.debounceMs = options.debounceMs ?? 800;
    this.fallbackMs = options.fallbackMs ?? 45_000;
    this.timers = options.timers ?? realTimers;
  }

  get pending(): boolean {
    return this.handle !== null;
  }

  /** The settings changed: fetch after a short quiet time (each further change restarts it). */
  settingsChanged(): void {
    this.schedule(this.debounceMs, 'settings', true);
  }

  /** The server recomputed (incidents changed): fetch soon; several notices in a row make one request. */
  notice(): void {
    this.schedule(this.debounceMs, 'notice', false);
  }

  /** Incidents changed on the live stream: fetch at the latest after the fallback delay (or `delayMs`). */
  incidentsChanged(delayMs = this.fallbackMs): void {
    this.schedule(delayMs, 'incidents', false);
  }

  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.dueAt = Infinity;
    this.reason = null;
  }

  /**
   * Fetch at now + delay. `restart`: a later due time replaces an earlier one (debounce of user input); otherwise an
   * earlier pending fetch is kept (a notice never postpones a fetch that is already due sooner).
   */
  private schedule(delay: number, reason: NonNullable<RefreshScheduler['reason']>, restart: boolean): void {
    const due = this.timers.now() + delay;
    if (this.handle !== null && !restart && this.dueAt <= due) return;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.dueAt = due;
    this.reason = reason;
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.dueAt = Infinity;
      this.reason = null;
      this.fetch();
    }, delay);
  }
}
