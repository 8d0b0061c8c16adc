import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { LiveChange, LiveLayer, ResyncNotice } from '../api/types';
import { LiveClient, type HubLike, type LiveSink } from './liveClient';
import type { SyncView } from './syncState';

/** A stand-in for the SignalR connection: records invocations, lets the test push events and drop the connection. */
class FakeHub implements HubLike {
  state = 'Disconnected';
  readonly handlers = new Map<string, (arg: never) => void>();
  readonly invocations: { method: string; arg: Record<string, unknown> }[] = [];
  closeHandler: ((error?: Error) => void) | null = null;
  failStart = false;
  head = 0;

  constructor(private readonly world: FakeWorld) {}

  async start(): Promise<void> {
    if (this.failStart || this.world.down) throw new Error('connection refused');
    this.state = 'Connected';
  }

  async stop(): Promise<void> {
    this.state = 'Disconnected';
  }

  async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    this.invocations.push({ method, arg: args[0] as Record<string, unknown> });
    return { head_seq: this.world.head, layers: [], node: 'test' } as T;
  }

  on(name: string, handler: (arg: never) => void): void {
    this.handlers.set(name, handler);
  }

  onclose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
  }

  emit(name: string, arg: LiveChange | ResyncNotice): void {
    this.handlers.get(name)?.(arg as never);
  }

  drop(): void {
    this.state = 'Disconnected';
    this.closeHandler?.(new Error('gone'));
  }
}

class FakeWorld {
  down = false;
  head = 0;
  hubs: FakeHub[] = [];
  get hub(): FakeHub {
    return this.hubs[this.hubs.length - 1]!;
  }
}

function change(seq: number, id: number, layer: LiveLayer = 'incidents', kind: LiveChange['kind'] = 'updated'): LiveChange {
  return { seq, layer, kind, id, at: '2026-11-25T12:00:00Z', feature: kind === 'deleted' || kind === 'reloaded' ? null : { id, geometry: null, properties: { v: seq } } };
}

class RecordingSink implements LiveSink {
  applied: LiveChange[] = [];
  snapshots = 0;
  reloads: LiveLayer[] = [];
  views: SyncView[] = [];
  snapshotSeq = 100;
  reloadSeq = 0;
  async snapshot(): Promise<number> {
    this.snapshots++;
    return this.snapshotSeq;
  }
  apply(changes: LiveChange[]): void {
    this.applied.push(...changes);
  }
  async reloadLayer(layer: LiveLayer): Promise<number> {
    this.reloads.push(layer);
    return this.reloadSeq;
  }
  status(view: SyncView): void {
    this.views.push(view);
  }
  get seqs(): number[] {
    return this.applied.map((c) => c.seq);
  }
}

describe('LiveClient', () => {
  let world: FakeWorld;
  let sink: RecordingSink;
  let client: LiveClient;

  beforeEach(() => {
    vi.useFakeTimers();
    world = new FakeWorld();
    sink = new RecordingSink();
    client = new LiveClient(sink, {
      createConnection: () => {
        const hub = new FakeHub(world);
        world.hubs.push(hub);
        return hub;
      },
      replayQuietMs: 500,
    });
  });

  afterEach(() => {
    client.stop();
    vi.useRealTimers();
  });

  async function settle(ms = 200): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
  }

  test('takes a snapshot, then subscribes to every layer from its position', async () => {
    world.head = 100;
    client.start();
    await settle();
    expect(sink.snapshots).toBe(1);
    expect(world.hub.invocations).toEqual([{ method: 'Subscribe', arg: expect.objectContaining({ since: 100, bbox: null }) }]);
    expect(world.hub.invocations[0]!.arg.layers).toEqual(['incidents', 'cameras', 'patrol_routes', 'patrol_units', 'zones', 'districts']);
    expect(sink.views.at(-1)?.phase).toBe('live');
  });

  test('applies events in order, in one batch per frame, without duplicates', async () => {
    world.head = 100;
    client.start();
    await settle();
    world.hub.emit('IncidentCreated', change(101, 1, 'incidents', 'created'));
    world.hub.emit('UnitMoved', change(102, 7, 'patrol_units', 'moved'));
    world.hub.emit('UnitMoved', change(102, 7, 'patrol_units', 'moved'));
    world.hub.emit('IncidentUpdated', change(99, 1));
    await settle();
    expect(sink.seqs).toEqual([101, 102]);
    expect(client.stats.duplicates).toBe(2);
  });

  test('after the server restarts it reconnects by itself and subscribes from the last applied seq', async () => {
    world.head = 100;
    client.start();
    await settle();
    world.hub.emit('IncidentCreated', change(101, 1, 'incidents', 'created'));
    await settle();
    world.down = true;
    world.hub.drop();
    await settle(0);
    expect(sink.views.at(-1)?.phase).toBe('reconnecting');
    await settle(3000);
    expect(world.hubs.length).toBeGreaterThan(2);
    world.down = false;
    world.head = 104;
    const before = world.hubs.length;
    for (let i = 0; i < 200 && !world.hubs.slice(before - 1).some((h) => h.invocations.length); i++) await settle(25);
    const last = world.hub.invocations.at(-1)!;
    expect(last.arg.since).toBe(101);
    expect(sink.views.at(-1)).toMatchObject({ phase: 'catching_up', pending: 3 });
    for (const seq of [102, 103, 104]) world.hub.emit('IncidentUpdated', change(seq, 1));
    await settle();
    expect(sink.seqs).toEqual([101, 102, 103, 104]);
    expect(sink.views.at(-1)?.phase).toBe('live');
    expect(sink.snapshots).toBe(1);
  });

  test('reports offline when the server stays away, and recovers without a reload', async () => {
    world.head = 100;
    client.start();
    await settle();
    world.down = true;
    world.hub.drop();
    await settle(20_000);
    expect(sink.views.at(-1)?.phase).toBe('offline');
    world.down = false;
    await settle(6000);
    expect(sink.views.at(-1)?.phase).toBe('live');
    expect(sink.snapshots).toBe(1);
  });

  test('ResyncRequired too_slow subscribes again with since; snapshot_required reloads first', async () => {
    world.head = 100;
    client.start();
    await settle();
    world.hub.emit('IncidentCreated', change(101, 1, 'incidents', 'created'));
    await settle();
    world.hub.emit('ResyncRequired', { reason: 'too_slow', last_delivered_seq: 101, snapshot_required: false });
    await settle();
    expect(world.hub.invocations.at(-1)!.arg.since).toBe(101);
    expect(sink.snapshots).toBe(1);

    sink.snapshotSeq = 5000;
    world.hub.emit('ResyncRequired', { reason: 'gap_too_large', last_delivered_seq: 101, snapshot_required: true });
    await settle();
    expect(sink.snapshots).toBe(2);
    expect(world.hub.invocations.at(-1)!.arg.since).toBe(5000);
  });

  test('LayerReloaded reloads that layer and applies only its changes newer than the reload', async () => {
    world.head = 100;
    let finishReload: (seq: number) => void = () => undefined;
    sink.reloadLayer = (layer) => {
      sink.reloads.push(layer);
      return new Promise((resolve) => { finishReload = resolve; });
    };
    client.start();
    await settle();
    world.hub.emit('LayerReloaded', change(101, 0, 'zones', 'reloaded'));
    world.hub.emit('ZoneUpdated', change(102, 3, 'zones'));
    world.hub.emit('IncidentUpdated', change(103, 1));
    world.hub.emit('ZoneUpdated', change(104, 4, 'zones'));
    await settle();
    expect(sink.reloads).toEqual(['zones']);
    expect(sink.seqs).toEqual([103]);
    finishReload(102);
    await settle();
    expect(sink.seqs).toEqual([103, 104]);
  });

  test('events that arrive while a snapshot is taken are kept when newer than the snapshot', async () => {
    world.head = 100;
    client.start();
    await settle();
    let finish: (seq: number) => void = () => undefined;
    sink.snapshot = () => {
      sink.snapshots++;
      return new Promise((resolve) => { finish = resolve; });
    };
    world.hub.emit('ResyncRequired', { reason: 'log_expired', last_delivered_seq: 100, snapshot_required: true });
    await settle();
    world.hub.emit('IncidentUpdated', change(201, 1));
    world.hub.emit('IncidentUpdated', change(203, 2));
    finish(202);
    await settle();
    expect(sink.seqs).toEqual([203]);
    expect(world.hub.invocations.at(-1)!.arg.since).toBe(203);
  });

  test('keeps trying to take its first snapshot while the server is unreachable', async () => {
    let fail = 2;
    sink.snapshot = async () => {
      sink.snapshots++;
      if (fail-- > 0) throw new Error('503');
      return 10;
    };
    client.start();
    await settle(5000);
    expect(sink.snapshots).toBe(3);
    expect(world.hub.invocations.at(-1)!.arg.since).toBe(10);
  });

  test('hands notices outside the change stream to their handler, also after a reconnect', async () => {
    const notices: unknown[] = [];
    client.onNotice('HotspotsRecomputed', (n) => notices.push(n));
    world.head = 100;
    client.start();
    await settle();
    const notice = { view: 'gistar', computed_at: '2026-11-25T22:57:05Z', incidents_version: 7 };
    world.hub.handlers.get('HotspotsRecomputed')?.(notice as never);
    world.hub.drop();
    await settle(1000);
    expect(world.hubs.length).toBe(2);
    world.hub.handlers.get('HotspotsRecomputed')?.({ ...notice, incidents_version: 8 } as never);
    expect(notices).toEqual([notice, { ...notice, incidents_version: 8 }]);
    expect(sink.seqs).toEqual([]); // not a change: nothing applied, no seq consumed
  });
});
