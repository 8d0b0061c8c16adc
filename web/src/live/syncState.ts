// The client side of the live protocol as a pure state machine (no SignalR, no timers, no DOM), so that every
// transition can be unit-tested. The LiveClient drives it; the connection indicator shows what it says.
//
//   connecting ──subscribed──▶ catching_up ──caught up──▶ live
//        ▲                          │                      │
//        └──── retry ◀── reconnecting ◀──── disconnected ──┘
//                             │ (no server for offlineAfterMs, or the browser is offline)
//                             ▼
//                          offline ──(retries continue)──▶ catching_up …
//
// Invariants: lastSeq only grows; a change at or below lastSeq is a duplicate and is dropped; after any
// reconnect the client subscribes with since = lastSeq, so it receives exactly what it missed.
import type { LiveChange, ResyncNotice } from '../api/types';

export type ConnectionPhase = 'connecting' | 'catching_up' | 'live' | 'reconnecting' | 'offline';

export interface SyncView {
  phase: ConnectionPhase;
  /** Highest sequence number applied (null before the first snapshot). */
  lastSeq: number | null;
  /** The server's head when we last subscribed (or the highest seq seen since). */
  headSeq: number;
  /** Missed events still to be replayed: headSeq - lastSeq while catching up. */
  pending: number;
  /** Failed connection attempts since the connection was lost. */
  attempts: number;
}

export type ResyncAction = { action: 'resubscribe'; since: number } | { action: 'snapshot' };

export class SyncState {
  phase: ConnectionPhase = 'connecting';
  lastSeq: number | null = null;
  headSeq = 0;
  attempts = 0;
  private lostAt: number | null = null;

  constructor(
    /** After this long without a server the indicator says offline (retries go on). */
    readonly offlineAfterMs = 15_000,
    /** Retry delays in ms, the last one repeated. */
    readonly retryDelays: readonly number[] = [250, 500, 1000, 2000, 3000, 5000],
  ) {}

  get pending(): number {
    return this.lastSeq === null ? 0 : Math.max(0, this.headSeq - this.lastSeq);
  }

  view(): SyncView {
    return { phase: this.phase, lastSeq: this.lastSeq, headSeq: this.headSeq, pending: this.pending, attempts: this.attempts };
  }

  /** A full HTTP snapshot was taken at this position: everything after it must come from the hub. */
  snapshotTaken(seq: number): void {
    this.lastSeq = seq;
    this.headSeq = Math.max(this.headSeq, seq);
  }

  /** A full reload replaced everything: its position becomes ours even if lower (a restored database). */
  reset(seq: number): void {
    this.lastSeq = seq;
    this.headSeq = seq;
  }

  /** What to send as Subscribe's since. */
  since(): number | null {
    return this.lastSeq;
  }

  /** Subscribe returned the server's head: catching up until lastSeq reaches it. */
  subscribed(headSeq: number): void {
    this.headSeq = Math.max(this.headSeq, headSeq);
    this.attempts = 0;
    this.lostAt = null;
    this.phase = this.pending > 0 ? 'catching_up' : 'live';
  }

  /** true when the change is new and must be applied; false for a duplicate (seq already applied). */
  accept(change: Pick<LiveChange, 'seq'>): boolean {
    if (this.lastSeq !== null && change.seq <= this.lastSeq) return false;
    this.lastSeq = change.seq;
    if (change.seq > this.headSeq) this.headSeq = change.seq;
    if (this.phase === 'catching_up' && this.pending === 0) this.phase = 'live';
    return true;
  }

  /**
   * The replay went quiet before lastSeq reached the head: the rest of the log is not ours (layers we do not show).
   * Returns whether the phase changed.
   */
  replayQuiet(): boolean {
    if (this.phase !== 'catching_up') return false;
    this.phase = 'live';
    return true;
  }

  resync(notice: ResyncNotice): ResyncAction {
    if (notice.snapshot_required || this.lastSeq === null) return { action: 'snapshot' };
    return { action: 'resubscribe', since: this.lastSeq };
  }

  /** The connection dropped (or never came up). */
  disconnected(now: number, browserOnline = true): void {
    this.lostAt ??= now;
    this.phase = browserOnline ? (this.phase === 'offline' ? 'offline' : 'reconnecting') : 'offline';
  }

  /** A connection attempt failed; returns the delay before the next one. */
  attemptFailed(now: number, browserOnline = true): number {
    this.attempts++;
    this.lostAt ??= now;
    this.phase = !browserOnline || now - this.lostAt >= this.offlineAfterMs ? 'offline' : 'reconnecting';
    return this.retryDelay();
  }

  retryDelay(): number {
    const i = Math.min(Math.max(this.attempts - 1, 0), this.retryDelays.length - 1);
    return this.retryDelays[i] ?? 5000;
  }
}
