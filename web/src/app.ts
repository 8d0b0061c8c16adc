// The dashboard: builds the panels and the map, keeps the incident store and the map layers current from the live
// stream, and answers the live client's snapshot and reload requests. Each panel and layer module does its own part.
import { api, background } from './api/client';
import { can, canWrite, type SessionInfo } from './auth/session';
import type { SituationSummary, UnitCounts } from './api/situation';
import type {
  DistrictProperties, Feature, IncidentProperties, LiveChange, LiveLayer, PatrolUnitProperties,
} from './api/types';
import { liveLayers } from './api/types';
import { locale, onLocaleChange, t, translateDom } from './i18n';
import { LiveClient } from './live/liveClient';
import type { SyncView } from './live/syncState';
import { IncidentStore, occurredMs } from './model/incidentStore';
import { bounds, contains, iso, shiftStart, tileBounds, type Bounds, type TimeWindow } from './model/timeWindow';
import { SituationMap } from './map/situationMap';
import { incidentTileParams } from './map/layers/incidents';
import { ConnectionIndicator } from './panels/connectionIndicator';
import { CountersPanel } from './panels/countersPanel';
import { DetailsPanel } from './panels/detailsPanel';
import { FeedPanel, type DistrictName } from './panels/feedPanel';
import { Header } from './panels/header';
import { LayersPanel } from './panels/layersPanel';
import { PlaybackPanel } from './panels/playbackPanel';
import { TimeWindowPanel } from './panels/timeWindowPanel';
import { Toasts } from './panels/toasts';
import { h, icon } from './panels/dom';
import type { HotspotsRecomputed } from './api/hotspots';
import { HotspotsPanel } from './hotspots/hotspotsPanel';
import type { CoverageUpdated } from './api/coverage';
import { CoveragePanel } from './coverage/coveragePanel';
import { PatrolPanel } from './patrol/patrolPanel';
import { ExportMenu } from './exports/exportMenu';
import { ImportPanel, writableImportLayers } from './imports/importPanel';

const incidentLimit = 10_000;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
}

export class Dashboard {
  map: SituationMap | null = null;
  readonly store = new IncidentStore();
  readonly live: LiveClient;
  window: TimeWindow = { preset: '24h' };
  private windowBounds: Bounds = bounds(this.window, Date.now());
  private districts: DistrictName[] = [];
  private summary: SituationSummary | null = null;
  private summaryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Until then (epoch ms) tile requests are marked as background requests (see tickMinute). */
  private backgroundTilesUntil = 0;
  private summaryMissing = false;
  private shift = shiftStart(Date.now());
  private syncView: SyncView | null = null;
  private firstSnapshot = true;
  /** Resolves when the first snapshot is on screen (the map went idle after it). */
  readonly ready: Promise<number>;
  private resolveReady!: (at: number) => void;
  readonly log: string[] = [];

  private readonly toasts = new Toasts(byId('toasts'));
  private readonly connection = new ConnectionIndicator(byId('connection'));
  private readonly header = new Header(byId('clock'), byId('language'));
  private readonly timeWindow = new TimeWindowPanel(byId('time-window'), this.window, (w) => void this.setWindow(w));
  private readonly counters = new CountersPanel(byId('counters'));
  private readonly feed = new FeedPanel(byId('feed'), this.store, (code) => this.districtLabel(code));
  private layers: LayersPanel | null = null;
  private details: DetailsPanel | null = null;
  private playback: PlaybackPanel | null = null;
  /** The hotspots panel (map toolbar); its view() is a read-only test hook. */
  hotspots: HotspotsPanel | null = null;
  /** The camera coverage panel (map toolbar); its view() is a read-only test hook. */
  coverage: CoveragePanel | null = null;
  /** The patrol & dispatch panel (map toolbar, and "Dispatch" in an incident's details); its view() is a read-only test hook. */
  patrol: PatrolPanel | null = null;
  /** The Export menu (map toolbar; accounts with permission export); lastExport is a read-only test hook. */
  exports: ExportMenu | null = null;
  /** The import panel (map toolbar, accounts that may write an importable layer); its view() is a read-only test hook. */
  imports: ImportPanel | null = null;

  constructor() {
    this.ready = new Promise((resolve) => { this.resolveReady = resolve; });
    this.live = new LiveClient({
      snapshot: () => this.snapshot(),
      apply: (changes) => this.apply(changes),
      reloadLayer: (layer) => this.reloadLayer(layer),
      status: (view) => {
        this.syncView = view;
        this.connection.update(view);
      },
    }, { logger: (level, message) => this.note(level, message) });
    this.live.onNotice<HotspotsRecomputed>('HotspotsRecomputed', (notice) => this.hotspots?.recomputed(notice));
    this.live.onNotice<CoverageUpdated>('CoverageUpdated', (notice) => this.coverage?.updated(notice));
    this.feed.onSelect = (f) => this.selectIncident(f);
    onLocaleChange((l) => this.localeChanged(l));
    translateDom(document);
  }

  start(): void {
    this.live.start();
    setInterval(() => this.tickMinute(), 60_000);
    setInterval(() => this.refreshSummary(1000, true), 60_000);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.map?.cancelPick();
    });
  }

  private note(level: 'info' | 'warn', message: string): void {
    this.log.push(`${new Date().toISOString()} ${level} ${message}`);
    if (this.log.length > 200) this.log.shift();
  }

  districtLabel(code: string | null | undefined): string {
    if (!code) return '—';
    const d = this.districts.find((x) => x.code === code);
    if (!d) return code;
    return locale() === 'en' ? (d.name_en ?? d.name) : d.name;
  }

  // ---- snapshots -----------------------------------------------------------------------------------------------

  /** The live log's position now: every snapshot taken after this call reflects at least it. */
  private async head(): Promise<number> {
    const early = (window as { __situationMapHead?: Promise<number | null> }).__situationMapHead;
    if (early) {
      // index.html asked before the bundle loaded; use it once (only for the first snapshot)
      delete (window as { __situationMapHead?: unknown }).__situationMapHead;
      const seq = await early;
      if (typeof seq === 'number') return seq;
    }
    return (await api.list<PatrolUnitProperties>('patrol-units', { limit: 1 })).change_seq;
  }

  private async snapshot(): Promise<number> {
    const seq = await this.head();
    if (!this.map) {
      this.createMap();
    } else {
      for (const layer of liveLayers) this.map.reloadTiles(layer, null);
    }
    await this.map!.ready;
    this.windowBounds = bounds(this.window, Date.now());
    this.map!.incidents.setWindow(this.windowBounds, tileBounds(this.window, Date.now()), null);
    await Promise.all([this.loadUnits(), this.loadIncidents(), this.loadDistricts()]);
    this.refreshSummary(0);
    if (this.firstSnapshot) {
      this.firstSnapshot = false;
      const map = this.map!.map;
      map.once('idle', () => {
        const at = performance.now();
        performance.mark('situationmap:ready');
        this.resolveReady(at);
      });
      map.triggerRepaint();
    }
    return seq;
  }

  private createMap(): void {
    const map = new SituationMap(byId('map'), locale(), incidentTileParams(tileBounds(this.window, Date.now())));
    this.map = map;
    map.map.setTransformRequest((url, kind) => (kind === 'Tile' && Date.now() < this.backgroundTilesUntil ? { url, headers: { ...background } } : { url }));
    map.onError = (message) => this.note('warn', `map: ${message}`);
    map.onSelect = (selection) => {
      if (!selection) {
        this.details?.close();
        return;
      }
      void this.details?.open(selection.layer, selection.id);
    };
    this.layers = new LayersPanel(byId('layers'), map);
    this.details = new DetailsPanel(byId('details'), {
      districtLabel: (code) => this.districtLabel(code),
      applyLocal: (layer, feature, id, seq) => this.applyLocal(layer, feature, id, seq),
      highlight: (feature) => map.select(feature),
      toast: (message, kind) => this.toasts.show(message, kind),
      evidence: {
        showCamera: (camera) => {
          map.flyTo(camera.location, 18);
          map.select({ id: camera.camera_id, geometry: { type: 'Point', coordinates: camera.location }, properties: null });
        },
      },
      dispatch: (incidentId) => {
        this.patrol?.openDispatch(incidentId);
        // on a laptop screen the details drawer would cover the panel and the routes: the panel shows the incident
        if (this.patrol?.overlaps(byId('details'))) this.details?.close();
      },
    });
    this.details.onCreated = (f) => {
      this.feed.flash([f.id]);
      map.incidents.flash([f]);
    };
    this.playback = new PlaybackPanel(byId('playback'), map, () => this.windowBounds);
    const toolbar = byId('map-toolbar');
    this.hotspots = new HotspotsPanel({
      map, container: byId('map').parentElement!, toolbar, dashboardWindow: () => this.window,
      districtLabel: (code) => this.districtLabel(code), toast: (message, kind) => this.toasts.show(message, kind),
    });
    this.coverage = new CoveragePanel({
      map, container: byId('map').parentElement!, toolbar,
      districtLabel: (code) => this.districtLabel(code),
      toast: (message, kind, ms) => this.toasts.show(message, kind, ms),
      applyLocal: (layer, feature, id, seq) => this.applyLocal(layer, feature, id, seq),
      // the analysis panels float over the same edge of the map: one at a time
      onOpen: () => {
        if (this.hotspots?.open) this.hotspots.toggle(false);
        this.patrol?.toggle(false);
        this.imports?.toggle(false);
      },
    });
    this.patrol = new PatrolPanel({
      map, container: byId('map').parentElement!, toolbar,
      districtLabel: (code) => this.districtLabel(code),
      toast: (message, kind, ms) => this.toasts.show(message, kind, ms),
      applyLocal: (layer, feature, id, seq) => this.applyLocal(layer, feature, id, seq),
      onOpen: () => {
        if (this.hotspots?.open) this.hotspots.toggle(false);
        this.coverage?.toggle(false);
        this.imports?.toggle(false);
      },
    });
    if (writableImportLayers().length) {
      this.imports = new ImportPanel({
        container: byId('map').parentElement!, toolbar,
        toast: (message, kind, ms) => this.toasts.show(message, kind, ms),
        onOpen: () => {
          if (this.hotspots?.open) this.hotspots.toggle(false);
          this.coverage?.toggle(false);
          this.patrol?.toggle(false);
        },
      });
    }
    toolbar.querySelector('.hotspots-toggle')?.addEventListener('click', () => {
      if (this.hotspots?.open) {
        this.coverage?.toggle(false);
        this.patrol?.toggle(false);
        this.imports?.toggle(false);
      }
    });
    // a click the operational layers leave: the coverage overlays first, then the hotspot cells
    const hotspotClick = map.clickOverlay;
    map.clickOverlay = (point) => (this.coverage?.clickAt(point) ?? false) || (hotspotClick?.(point) ?? false);
    this.details.setCameraScenario(this.coverage.cameraHost);
    // only for accounts that may export (the server refuses the others anyway)
    if (can('export')) {
      this.exports = new ExportMenu({
        map, toolbar, window: () => this.windowBounds, toast: (message, kind) => this.toasts.show(message, kind),
      });
    }
    // only for accounts that may create incidents (the server refuses the others anyway)
    if (canWrite('incidents')) {
      toolbar.append(h('button', {
        type: 'button', class: 'btn btn-primary new-incident', onclick: () => void this.createIncident(),
      }, icon('plus'), h('span', { 'data-i18n': 'create.button' }, t('create.button'))));
    }
  }

  /** The signed-in account in the top bar, with its sign-out button. */
  showAccount(account: SessionInfo | null, onSignOut: () => void): void {
    this.header.showAccount(byId('account'), account, onSignOut);
  }

  private async createIncident(): Promise<void> {
    if (!this.map) return;
    this.toasts.show(t('create.pick'), 'info', 6000);
    const lngLat = await this.map.pickLocation();
    if (lngLat) this.details?.openCreate(lngLat);
  }

  private async loadUnits(): Promise<void> {
    const fc = await api.listAll<PatrolUnitProperties>('patrol-units', { limit: 10_000 });
    this.map!.units.onChange = () => this.unitsChanged();
    this.map!.units.replaceAll(fc.features);
  }

  /**
   * The incidents of the time window for the feed, newest first, at most `incidentLimit`. The API pages by id, so a
   * long window is read in time slices from the newest backwards (last 24 h, the 6 days before, the 23 days before,
   * the rest): the newest incidents are always complete, only the oldest tail of a very long window is cut.
   */
  private async loadIncidents(): Promise<void> {
    const b = this.windowBounds;
    const end = b.to ?? Date.now() + 60_000;
    const slices = [86_400_000, 7 * 86_400_000, 30 * 86_400_000, Infinity];
    const features: Feature<IncidentProperties>[] = [];
    let truncated = false;
    let sliceEnd = end;
    for (const age of slices) {
      const sliceStart = Math.max(b.from, end - age);
      if (sliceStart >= sliceEnd) continue;
      const params: Record<string, string> = { from: iso(sliceStart) };
      if (b.to !== null || sliceEnd !== end) params.to = iso(sliceEnd);
      const fc = await api.listAll<IncidentProperties>('incidents', params, incidentLimit - features.length);
      features.push(...fc.features);
      sliceEnd = sliceStart;
      if (fc.truncated || features.length >= incidentLimit) {
        truncated = fc.truncated || sliceStart > b.from;
        break;
      }
      if (sliceStart <= b.from) break;
    }
    this.store.replaceAll(features, truncated);
    this.feed.invalidate();
  }

  private async loadDistricts(): Promise<void> {
    const fc = await api.list<DistrictProperties>('districts', { limit: 100 });
    this.districts = fc.features.filter((f) => f.properties).map((f) => ({ code: f.properties!.code, name: f.properties!.name, name_en: f.properties!.name_en }))
      .sort((a, b) => a.code.localeCompare(b.code));
    this.feed.districts = this.districts;
    this.feed.render();
  }

  private async reloadLayer(layer: LiveLayer): Promise<number> {
    const seq = await this.head();
    if (layer === 'patrol_units') await this.loadUnits();
    else this.map?.reloadTiles(layer, null);
    if (layer === 'incidents') await this.loadIncidents();
    if (layer === 'districts') await this.loadDistricts();
    this.refreshSummary();
    return seq;
  }

  // ---- live changes --------------------------------------------------------------------------------------------

  private apply(changes: LiveChange[]): void {
    this.map?.apply(changes);
    const incidentChanges = changes.filter((c) => c.layer === 'incidents');
    if (incidentChanges.length) {
      this.hotspots?.incidentsChanged();
      const result = this.store.apply(incidentChanges, this.windowBounds);
      if (result.changed) this.feed.schedule();
      if (result.created.length) {
        this.feed.flash(result.created);
        const created = result.created.map((id) => this.store.get(id)).filter((f): f is Feature<IncidentProperties> => !!f);
        this.map?.incidents.flash(created);
      }
    }
    for (const c of changes) this.details?.changed(c.layer, c.id, c.feature, c.kind);
    this.patrol?.changed(changes);
    if (changes.some((c) => c.kind !== 'moved' && (c.layer === 'incidents' || c.layer === 'cameras' || c.layer === 'patrol_units'))) this.refreshSummary(1000, true);
  }

  private applyLocal(layer: LiveLayer, feature: Feature<unknown> | null, id: number, seq?: number): void {
    const map = this.map;
    if (!map) return;
    if (layer === 'patrol_units') return; // units arrive through the stream within milliseconds
    const tiled = map.tiled(layer);
    if (feature) tiled?.applyLocal(feature, seq);
    else tiled?.deleteLocal(id, seq);
    if (layer === 'incidents') {
      if (seq !== undefined) {
        this.store.apply([{ seq, kind: feature ? 'updated' : 'deleted', id, feature }], this.windowBounds);
      } else if (feature && contains(this.windowBounds, occurredMs(feature as Feature<IncidentProperties>))) {
        this.store.apply([{ seq: 0, kind: 'updated', id, feature }], this.windowBounds);
      }
      this.feed.schedule();
      this.refreshSummary();
    }
  }

  private unitsChanged(): void {
    if (!this.summary) this.renderCounters();
  }

  // ---- time window, counters, language ------------------------------------------------------------------------

  private async setWindow(window: TimeWindow): Promise<void> {
    this.window = window;
    const now = Date.now();
    this.windowBounds = bounds(window, now);
    this.map?.incidents.setWindow(this.windowBounds, tileBounds(window, now), this.live.sync.lastSeq);
    this.hotspots?.windowChanged();
    await this.loadIncidents().catch((e) => this.toasts.show(t('error.generic', { message: String(e) }), 'error'));
  }

  /** Every minute: move a rolling window (trim the feed; refresh the tiles when their rounded bounds moved). */
  private tickMinute(): void {
    const now = Date.now();
    if (this.window.preset !== 'custom') {
      this.windowBounds = bounds(this.window, now);
      if (this.store.trim(this.windowBounds)) this.feed.invalidate();
      // the rolling window's tile refresh is not a person at the page: those tile requests do not extend the session
      this.backgroundTilesUntil = now + 15_000;
      this.map?.incidents.setWindow(this.windowBounds, tileBounds(this.window, now), this.live.sync.lastSeq);
    }
    const shift = shiftStart(now);
    if (shift !== this.shift) {
      this.shift = shift;
      this.refreshSummary(0, true);
    }
  }

  /** `poll`: the timer's refresh, sent as a background request (an unattended page must still time out). */
  private refreshSummary(delay = 1000, poll = false): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      if (this.summaryMissing) {
        this.renderCounters();
        return;
      }
      api.summary(iso(this.shift), undefined, poll).then((summary) => {
        this.summary = summary;
        if (summary === null) this.summaryMissing = true;
        this.renderCounters();
      }).catch((e) => this.note('warn', `summary: ${String(e)}`));
    }, delay);
  }

  private unitCounts(): UnitCounts | null {
    const units = this.map?.units.units;
    if (!units) return null;
    const counts: UnitCounts = { available: 0, busy: 0, off_duty: 0 };
    for (const u of units.values()) {
      const s = u.properties?.status;
      if (s) counts[s]++;
    }
    return counts;
  }

  private renderCounters(): void {
    this.counters.update({ summary: this.summary, units: this.unitCounts(), shiftStart: this.shift });
  }

  private localeChanged(l: string): void {
    translateDom(document);
    this.map?.setLanguage(l);
    this.header.render();
    this.timeWindow.render();
    this.layers?.render();
    this.feed.render();
    this.details?.render();
    this.playback?.render();
    this.hotspots?.render();
    this.coverage?.render();
    this.patrol?.render();
    this.exports?.render();
    this.imports?.render();
    this.renderCounters();
    if (this.syncView) this.connection.update(this.syncView);
  }

  private selectIncident(f: Feature<IncidentProperties>): void {
    if (f.geometry?.type === 'Point') this.map?.flyTo(f.geometry.coordinates as [number, number], 16);
    void this.details?.open('incidents', f.id, f);
    this.map?.select(f);
  }

  // ---- test and benchmark hooks -------------------------------------------------------------------------------

  connectionView(): SyncView | null {
    return this.syncView;
  }

  feedIds(): number[] {
    return [...document.querySelectorAll<HTMLElement>('#feed .feed-item')].map((el) => Number(el.dataset.id));
  }
}
