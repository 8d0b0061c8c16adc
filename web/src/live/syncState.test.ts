import { describe, expect, test } from 'vitest';
import { SyncState } from './syncState';

describe('SyncState', () => {
  test('applies increasing sequence numbers and drops duplicates', () => {
    const s = new SyncState();
    s.snapshotTaken(10);
    expect(s.accept({ seq: 11 })).toBe(true);
    expect(s.accept({ seq: 11 })).toBe(false);
    expect(s.accept({ seq: 9 })).toBe(false);
    expect(s.accept({ seq: 15 })).toBe(true);
    expect(s.lastSeq).toBe(15);
  });

  test('catches up after subscribing behind the head, then goes live', () => {
    const s = new SyncState();
    s.snapshotTaken(100);
    s.subscribed(103);
    expect(s.view()).toMatchObject({ phase: 'catching_up', pending: 3 });
    s.accept({ seq: 101 });
    s.accept({ seq: 102 });
    expect(s.view()).toMatchObject({ phase: 'catching_up', pending: 1 });
    s.accept({ seq: 103 });
    expect(s.view()).toMatchObject({ phase: 'live', pending: 0 });
  });

  test('is live at once when nothing was missed', () => {
    const s = new SyncState();
    s.snapshotTaken(7);
    s.subscribed(7);
    expect(s.phase).toBe('live');
  });

  test('a quiet replay ends catching up even when the head is not reached (changes of other layers)', () => {
    const s = new SyncState();
    s.snapshotTaken(1);
    s.subscribed(5);
    s.accept({ seq: 2 });
    expect(s.replayQuiet()).toBe(true);
    expect(s.phase).toBe('live');
    expect(s.replayQuiet()).toBe(false);
  });

  test('subscribes again from the last applied sequence number after any drop', () => {
    const s = new SyncState();
    s.snapshotTaken(40);
    s.subscribed(40);
    s.accept({ seq: 41 });
    s.accept({ seq: 42 });
    s.disconnected(1000);
    expect(s.phase).toBe('reconnecting');
    expect(s.since()).toBe(42);
  });

  test('says offline once the server has been gone longer than the limit, and keeps retrying with capped backoff', () => {
    const s = new SyncState(10_000, [100, 200, 400]);
    s.snapshotTaken(1);
    s.disconnected(0);
    expect(s.attemptFailed(1_000)).toBe(100);
    expect(s.attemptFailed(2_000)).toBe(200);
    expect(s.phase).toBe('reconnecting');
    expect(s.attemptFailed(9_000)).toBe(400);
    expect(s.attemptFailed(10_500)).toBe(400);
    expect(s.phase).toBe('offline');
    expect(s.attempts).toBe(4);
    s.subscribed(1);
    expect(s.view()).toMatchObject({ phase: 'live', attempts: 0 });
  });

  test('is offline at once when the browser is offline', () => {
    const s = new SyncState();
    s.disconnected(0, false);
    expect(s.phase).toBe('offline');
  });

  test('too_slow resubscribes from the last seq; a required snapshot reloads', () => {
    const s = new SyncState();
    s.snapshotTaken(5);
    s.accept({ seq: 6 });
    expect(s.resync({ reason: 'too_slow', last_delivered_seq: 6, snapshot_required: false })).toEqual({ action: 'resubscribe', since: 6 });
    expect(s.resync({ reason: 'gap_too_large', last_delivered_seq: 6, snapshot_required: true })).toEqual({ action: 'snapshot' });
  });

  test('a snapshot replaces the position, even with a lower one (a restored database)', () => {
    const s = new SyncState();
    s.snapshotTaken(500);
    s.accept({ seq: 501 });
    s.reset(20);
    expect(s.lastSeq).toBe(20);
    expect(s.accept({ seq: 21 })).toBe(true);
  });
});
