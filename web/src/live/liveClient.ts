// The SignalR connection to /hubs/live, following README "Live protocol": subscribe with since = the last applied
// seq, apply events in order and drop duplicates, reconnect by itself (forever, with backoff) after a network drop
// or a server restart, resubscribe on ResyncRequired(too_slow), reload over HTTP when a snapshot is required, and
// refetch a layer on LayerReloaded. The page never reloads.
import * as signalR from '@microsoft/signalr';
import type { LiveChange, LiveLayer, ResyncNotice, SubscriptionAccepted } from '../api/types';
import { liveLayers } from '../api/types';
import { changeEvents, resyncEvent } from './events';
import { SyncState, type SyncView } from './syncState';

/** What the dashboard does with the stream. */
export interface LiveSink {
  /** Reload everything over HTTP; resolves with the position (change_seq) the reload reflects. */
  snapshot(): Promise<number>;
  /** New changes, in seq order, duplicates removed, batched per burst. */
  apply(changes: LiveChange[]): void;
  /** A layer was bulk-replaced: reload it over HTTP. Changes of that layer are held back meanwhile. */
  reloadLayer(layer: LiveLayer): Promise<number>;
  /** The connection state changed (for the indicator). */
  status(view: SyncView): void;
}

/** The part of signalR.HubConnection the client uses (a test stands in for it). */
export interface HubLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke<T>(method: string, ...args: unknown[]): Promise<T>;
  on(name: string, handler: (arg: never) => void): void;
  onclose(handler: (error?: Error) => void): void;
  readonly state: string;
}

export interface LiveClientOptions {
  url?: string;
  /** Builds the hub connection; defaults to a SignalR WebSocket connection to url. */
  createConnection?: () => HubLike;
  layers?: readonly LiveLayer[];
  /** How long a replay may stay quiet before we consider it complete (ms). */
  replayQuietMs?: number;
  logger?: (level: 'info' | 'warn', message: string) => void;
}

function online(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

export class LiveClient {
  readonly sync = new SyncState();
  private connection: HubLike | null = null;
  private queue: LiveChange[] = [];
  private flushScheduled = false;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private quietTimer: ReturnType<typeof setTimeout> | null = null;
  private reloading = new Map<LiveLayer, LiveChange[]>();
  private heldDuringSnapshot: LiveChange[] = [];
  private snapshotting: Promise<void> | null = null;
  /** Set at start and whenever the server says our position is unusable: the next connect reloads first. */
  private needsSnapshot = true;
  private generation = 0;
  /** Counts for diagnostics and tests. */
  readonly stats = { received: 0, duplicates: 0, applied: 0, connects: 0, snapshots: 0, resyncs: 0 };
  /** Hub messages outside the change stream (e.g. HotspotsRecomputed), registered on every connection. */
  private readonly notices = new Map<string, (notice: never) => void>();

  constructor(private readonly sink: LiveSink, private readonly options: LiveClientOptions = {}) {}

  /** Takes the first snapshot and connects; keeps trying while the server is unreachable. */
  start(): void {
    void this.connect();
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => this.kick());
      window.addEventListener('offline', () => {
        this.sync.disconnected(Date.now(), false);
        this.report();
      });
    }
  }

  /** Handles a hub message that is not a LiveChange (no seq, not replayed), on this and every later connection. */
  onNotice<T>(name: string, handler: (notice: T) => void): void {
    this.notices.set(name, handler as (notice: never) => void);
    this.connection?.on(name, handler as (notice: never) => void);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    void this.connection?.stop();
  }

  /** Retry now (the browser came back online). */
  private kick(): void {
    if (this.stopped || this.connection?.state === 'Connected') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    void this.connect();
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.options.logger?.(level, message);
  }

  private report(): void {
    this.sink.status(this.sync.view());
  }

  private createSignalR(): HubLike {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(this.options.url ?? '/hubs/live', { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      // our own reconnect loop (below) resubscribes with since; SignalR's own would not
      .configureLogging({ log: (level: signalR.LogLevel, message: string) => {
        if (level >= signalR.LogLevel.Warning) this.log('warn', message);
      } })
      .build();
    connection.serverTimeoutInMilliseconds = 20_000;
    connection.keepAliveIntervalInMilliseconds = 5_000;
    return connection;
  }

  private build(): HubLike {
    const connection = this.options.createConnection?.() ?? this.createSignalR();
    for (const name of changeEvents) connection.on(name, (change: LiveChange) => this.receive(change));
    connection.on(resyncEvent, (notice: ResyncNotice) => void this.onResync(notice));
    for (const [name, handler] of this.notices) connection.on(name, handler);
    connection.onclose(() => {
      if (this.connection !== connection || this.stopped) return;
      this.connection = null;
      this.sync.disconnected(Date.now(), online());
      this.report();
      this.scheduleRetry(0);
    });
    return connection;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    const connection = this.build();
    this.connection = connection;
    try {
      if (this.needsSnapshot) await this.resnapshotNow();
      await connection.start();
      if (generation !== this.generation) return;
      this.stats.connects++;
      await this.subscribe();
    } catch (e) {
      if (generation !== this.generation || this.stopped) return;
      this.log('warn', `live: connection attempt failed: ${String(e)}`);
      this.connection = null;
      void connection.stop().catch(() => undefined);
      const delay = this.sync.attemptFailed(Date.now(), online());
      this.report();
      this.scheduleRetry(delay);
    }
  }

  private scheduleRetry(delay: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private async subscribe(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    const accepted = await connection.invoke<SubscriptionAccepted>('Subscribe', {
      bbox: null,
      layers: this.options.layers ?? liveLayers,
      since: this.sync.since(),
      margin_ratio: 0.25,
    });
    this.sync.subscribed(accepted.head_seq);
    this.report();
    this.armQuietTimer();
  }

  /** While catching up: if the replay goes quiet, the rest of the log is not ours. */
  private armQuietTimer(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.sync.phase !== 'catching_up') return;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      if (this.sync.replayQuiet()) this.report();
    }, this.options.replayQuietMs ?? 1500);
  }

  private receive(change: LiveChange): void {
    this.stats.received++;
    if (this.snapshotting) {
      // the server counts it as delivered: keep it and apply it after the snapshot if the snapshot is older
      this.heldDuringSnapshot.push(change);
      return;
    }
    this.take(change);
  }

  private take(change: LiveChange): void {
    if (!this.sync.accept(change)) {
      this.stats.duplicates++;
      return;
    }
    const held = this.reloading.get(change.layer);
    if (held) {
      held.push(change);
    } else if (change.kind === 'reloaded') {
      this.flushNow(); // older changes of other layers first
      void this.reload(change.layer);
    } else {
      this.queue.push(change);
      this.scheduleFlush();
    }
    if (this.sync.phase === 'catching_up') this.armQuietTimer();
  }

  private flushNow(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.stats.applied += batch.length;
    this.sink.apply(batch);
    this.report();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // a microtask batches every event of one WebSocket read (a replay arrives in bursts) into one update, without
    // waiting for the next animation frame: with software WebGL a frame in progress can take hundreds of ms
    queueMicrotask(() => {
      if (this.flushScheduled) this.flushNow();
    });
  }

  /** LayerReloaded: hold that layer's later changes, reload it, then apply those newer than the reload. */
  private async reload(layer: LiveLayer): Promise<void> {
    this.reloading.set(layer, []);
    try {
      const seq = await this.sink.reloadLayer(layer);
      const held = this.reloading.get(layer) ?? [];
      this.reloading.delete(layer);
      const newer = held.filter((c) => c.seq > seq);
      if (newer.length) {
        this.queue.push(...newer);
        this.scheduleFlush();
      }
    } catch (e) {
      this.reloading.delete(layer);
      this.log('warn', `live: reloading ${layer} failed (${String(e)}); taking a full snapshot`);
      await this.resnapshot();
    }
  }

  private async onResync(notice: ResyncNotice): Promise<void> {
    this.stats.resyncs++;
    const action = this.sync.resync(notice);
    this.log('info', `live: resync (${notice.reason}) → ${action.action}`);
    if (action.action === 'resubscribe') {
      await this.subscribe().catch((e) => this.log('warn', `live: resubscribe failed: ${String(e)}`));
    } else {
      await this.resnapshot();
    }
  }

  /** Snapshot required while connected: reload, then subscribe from the snapshot's position. */
  private async resnapshot(): Promise<void> {
    this.needsSnapshot = true;
    try {
      await this.resnapshotNow();
      await this.subscribe();
    } catch (e) {
      // the connection (or the server) went away meanwhile: the reconnect loop snapshots again before subscribing
      this.log('warn', `live: snapshot failed: ${String(e)}`);
    }
  }

  private async resnapshotNow(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    this.snapshotting = (async () => {
      this.queue = [];
      this.reloading.clear();
      this.heldDuringSnapshot = [];
      this.stats.snapshots++;
      const seq = await this.sink.snapshot();
      this.sync.reset(seq);
      this.needsSnapshot = false;
      const held = this.heldDuringSnapshot.sort((a, b) => a.seq - b.seq);
      this.heldDuringSnapshot = [];
      for (const change of held) this.take(change);
    })();
    try {
      await this.snapshotting;
    } finally {
      this.snapshotting = null;
    }
  }
}
