// The camera coverage panel: a toggle in the map toolbar opens a floating panel over the map's left edge with three tabs.
// "Compliance": the board — totals, kinds against their targets, districts, and the zone table (sortable, below-target
// first by shortfall, RAG chips, incident-weighted coverage); a zone click flies to it; CSV and GeoJSON exports (audited
// by the server, `export` permission). "Planner" (planning:write): recommended camera sites for a budget and a camera
// model, drawn on the map, accepted into the draft. "Scenario" (planning:write): the draft (accepted picks, cameras
// placed on the map, existing cameras moved/rotated/removed from their details) evaluated on every change, current vs
// scenario side by side, committed through the camera API or discarded. Map layers: blind spots and camera views below
// the live layers, picks and the draft above. Live: CoverageUpdated rows are merged into the board, the map layers and
// the scenario are refreshed shortly after.
import type { LngLat as MapLngLat, Point } from 'maplibre-gl';
import { ApiError, api } from '../api/client';
import {
  coverageApi, type BlindSpotProperties, type CameraViewProperties, type CoverageFeatureCollection, type CoverageFigures, type CoverageReport,
  type CoverageUpdated, type Rag, type RecommendationResponse, type RecommendedCamera, type ScenarioResponse, type ZoneCoverageRow,
} from '../api/coverage';
import type { CameraProperties, Feature, LiveLayer, ZoneProperties } from '../api/types';
import { can } from '../auth/session';
import { formatDateTime, formatNumber, locale, t, tk } from '../i18n';
import type { SituationMap } from '../map/situationMap';
import { cameraKinds, zoneKindColors } from '../model/vocabulary';
import { clear, h, icon, swatch } from '../panels/dom';
import { download } from '../hotspots/mapExport';
import { RefreshScheduler } from '../hotspots/refresh';
import { coverageColors, CoverageLayers, coverageLayerGroups, type CoverageLayerGroup } from './coverageLayers';
import {
  boardKinds, defaultFilter, defaultSort, deltaPoints, exportName, exportUrls, fileNameFromDisposition, filterZones, localName, mergeUpdate,
  paddedBbox, ragColors, rags, blindSpotFilter, sortZones, toggleSort, viewsFetchNeeded, type Bbox, type FetchedViews, type ZoneFilter,
  type ZoneSort, type ZoneSortKey,
} from './model';
import {
  candidateSources, compassPoint, defaultPlanner, plannerLens, plannerProblems, recommendationRequest, togglePoint, withKind, zoneGains,
  type PlannerSettings,
} from './planner';
import {
  changeKey, commitOrder, newCameraFeature, normalizeHeading, ScenarioDraft, updatedCameraFeature, type DraftChange, type LngLat,
} from './scenario';
import './coverage.css';

export interface CoveragePanelOptions {
  map: SituationMap;
  /** The element the panel floats in (the map area). */
  container: HTMLElement;
  /** Where the toggle button goes. */
  toolbar: HTMLElement;
  districtLabel: (code: string | null | undefined) => string;
  toast: (message: string, kind?: 'info' | 'success' | 'error', ms?: number) => void;
  /** Shows a camera just written before its live event arrives. */
  applyLocal: (layer: LiveLayer, feature: Feature<unknown> | null, id: number, seq?: number) => void;
  /** The panel opened (the dashboard closes the other floating panel). */
  onOpen?: () => void;
}

type Tab = 'board' | 'plan' | 'scenario';

/** Read-only state for tests and diagnostics (`window.__situationMap.dashboard.coverage.view()`). */
export interface CoverageView {
  open: boolean;
  tab: Tab;
  loading: boolean;
  error: string | null;
  version: number | null;
  computedAt: string | null;
  zones: number;
  rows: number;
  belowTarget: number;
  selectedZone: number | null;
  blindSpots: number;
  blindVersion: number | null;
  blindLoading: boolean;
  views: number;
  viewsVersion: number | null;
  picks: number;
  recommending: boolean;
  recommendationError: string | null;
  poles: [number, number][];
  pickingPoles: boolean;
  pickLocations: [number, number][];
  updates: number;
  fetches: number;
  lastExport: string | null;
  exports: { csv: boolean; geojson: boolean };
  planning: boolean;
  scenario: {
    changes: number;
    evaluating: boolean;
    error: string | null;
    baseVersion: number | null;
    totalBefore: number | null;
    totalAfter: number | null;
    zones: { id: number; before: number; after: number; rag_before: Rag; rag_after: Rag }[];
    views: number;
    committing: boolean;
  };
}

/** Camera scenario actions offered in a camera's details (planning:write). */
export interface CameraScenarioHost {
  change(id: number): DraftChange | undefined;
  rotate(camera: Feature<CameraProperties>, heading: number): void;
  move(camera: Feature<CameraProperties>): Promise<void>;
  remove(camera: Feature<CameraProperties>): void;
  undo(id: number): void;
  onChange(listener: () => void): () => void;
}

const storageKey = 'situationmap.coverage.draft';

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.details.length ? e.details.join('; ') : e.message;
  return String(e);
}

function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '—' : formatNumber(v, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function area(m2: number): string {
  return m2 >= 100_000 ? `${formatNumber(m2 / 1e6, { maximumFractionDigits: 2 })} km²` : `${formatNumber(Math.round(m2))} m²`;
}

/** A change in percentage points: one decimal, two for small changes (a city total moved by one camera). */
function points(delta: number): string {
  return `${formatNumber(delta, { signDisplay: 'exceptZero', maximumFractionDigits: Math.abs(delta) < 1 ? 2 : 1 })} ${t('coverage.pp')}`;
}

function ragChip(rag: Rag, text?: string): HTMLElement {
  const el = h('span', { class: `rag-chip rag-${rag}`, dataset: { rag }, title: tk(`coverage.rag.${rag}`) }, text ?? tk(`coverage.ragShort.${rag}`));
  el.style.setProperty('--c', ragColors[rag]);
  return el;
}

/** A coverage bar with the target as a tick. */
function bar(covered: number, target: number | null, rag: Rag | null): HTMLElement {
  const el = h('span', { class: 'cov-bar', 'aria-hidden': 'true' },
    h('span', { class: 'cov-fill', style: { width: `${Math.max(0, Math.min(1, covered)) * 100}%` } }),
    target !== null ? h('span', { class: 'cov-target', style: { left: `${Math.max(0, Math.min(1, target)) * 100}%` } }) : null);
  el.style.setProperty('--c', rag ? ragColors[rag] : '#3fa7ff');
  return el;
}

/** Zone kinds in the board's order (by target), unknown ones last. */
function kindOrder(kind: string): number {
  const i = boardKinds.indexOf(kind as never);
  return i < 0 ? 99 : i;
}

function bboxOf(geometry: GeoJSON.Geometry): Bbox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0] as number);
      e = Math.max(e, c[0] as number);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) {
      for (const x of c) visit(x);
    }
  };
  if ('coordinates' in geometry) visit(geometry.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

export class CoveragePanel {
  private readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  readonly layers: CoverageLayers;
  readonly draft = new ScenarioDraft();
  private isOpen = false;
  private tab: Tab = 'board';
  // board
  private report: CoverageReport | null = null;
  private loading = false;
  private error: string | null = null;
  private abort: AbortController | null = null;
  private fetches = 0;
  private updates = 0;
  /** Hub messages that arrived while the report was being fetched: merged into it when it arrives. */
  private pendingUpdates: CoverageUpdated[] = [];
  private sort: ZoneSort = { ...defaultSort };
  private filter: ZoneFilter = { ...defaultFilter };
  private selectedZone: number | null = null;
  private lastExport: string | null = null;
  private exporting: 'csv' | 'geojson' | null = null;
  // map data
  private blind: CoverageFeatureCollection<BlindSpotProperties> | null = null;
  private blindLoading = false;
  private blindAbort: AbortController | null = null;
  private views: CoverageFeatureCollection<CameraViewProperties> | null = null;
  private fetchedViews: FetchedViews | null = null;
  private viewsAbort: AbortController | null = null;
  private readonly blindRefresh = new RefreshScheduler(() => void this.loadBlindSpots(), { debounceMs: 1200 });
  private readonly reportRefresh = new RefreshScheduler(() => void this.loadReport(), { debounceMs: 1500, fallbackMs: 6000 });
  private viewsTimer: ReturnType<typeof setTimeout> | null = null;
  // planner
  private planner: PlannerSettings = { ...defaultPlanner, points: [], kindWeights: {} };
  private recommendation: { run: number; result: RecommendationResponse } | null = null;
  private recommending = false;
  private recommendationError: string | null = null;
  private recommendAbort: AbortController | null = null;
  private runs = 0;
  private pickingPoles = false;
  // scenario
  private scenario: ScenarioResponse | null = null;
  private evaluating = false;
  private scenarioError: string | null = null;
  private evaluateAbort: AbortController | null = null;
  private evaluateTimer: ReturnType<typeof setTimeout> | null = null;
  private committing = false;
  private newHeading = 0;
  private readonly body = h('div', { class: 'cov-body', role: 'tabpanel' });

  constructor(private readonly options: CoveragePanelOptions) {
    const map = options.map;
    this.root = h('section', { id: 'coverage', class: 'coverage', hidden: true, role: 'region' });
    options.container.append(this.root);
    this.button = h('button', {
      type: 'button', class: 'btn coverage-toggle', 'aria-pressed': 'false', 'aria-controls': 'coverage', onclick: () => this.toggle(),
    });
    options.toolbar.append(this.button);
    this.layers = new CoverageLayers(
      map.map,
      () => [...map.routes.layerIds(), ...map.cameras.layerIds(), ...map.incidents.layerIds(), ...map.units.layerIds(), ...map.playback.layerIds()],
    );
    map.map.on('moveend', () => this.viewportMoved());
    try {
      this.draft.restore(sessionStorage.getItem(storageKey));
    } catch {
      // no storage: the draft lives in memory only
    }
    this.draft.onChange(() => this.draftChanged());
    this.render();
  }

  get planning(): boolean {
    return can('planning:write');
  }

  // ---- events from the dashboard ----------------------------------------------------------------------------------

  /** CoverageUpdated from the live hub: merge the recomputed zones; refresh the map layers and the scenario shortly. */
  updated(notice: CoverageUpdated): void {
    if (notice.cause === 'rebuilt') {
      // the model was rebuilt (zones changed, bulk reload): the notice carries no rows, fetch everything
      this.updates++;
      if (!this.isOpen) return;
      this.reportRefresh.notice();
      this.blindRefresh.notice();
      this.scheduleViews(800);
      if (this.draft.size) this.scheduleEvaluate(800);
      return;
    }
    if (this.loading) this.pendingUpdates.push(notice);
    if (!this.report) return;
    const merged = mergeUpdate(this.report, notice);
    if (!merged.applied) return;
    this.report = merged.report;
    this.updates++;
    this.reportRefresh.cancel();
    if (merged.gap) this.reportRefresh.notice();
    if (!this.isOpen) return;
    this.renderBoard(merged.changed);
    this.blindRefresh.notice();
    this.scheduleViews(800);
    if (this.draft.size) this.scheduleEvaluate(800);
  }

  /** A map click the operational layers left: a pick, a draft camera or a blind spot. */
  clickAt(point: Point): boolean {
    if (!this.isOpen) return false;
    const hit = this.layers.hitAt(point);
    if (!hit) return false;
    const lngLat = this.options.map.map.unproject(point);
    if (hit.kind === 'pick') {
      this.setTab('plan');
      this.root.querySelector<HTMLElement>(`[data-pick='${hit.rank}']`)?.scrollIntoView({ block: 'nearest' });
      this.flashRow(`[data-pick='${hit.rank}']`);
    } else if (hit.kind === 'draft') {
      this.setTab('scenario');
      this.flashRow(`[data-change='${CSS.escape(hit.key)}']`);
    } else {
      this.showBlindSpot(hit.properties, lngLat);
    }
    return true;
  }

  // ---- open, close, tabs ------------------------------------------------------------------------------------------

  get open(): boolean {
    return this.isOpen;
  }

  toggle(open = !this.isOpen): void {
    if (open === this.isOpen) return;
    this.isOpen = open;
    this.root.hidden = !open;
    this.button.setAttribute('aria-pressed', String(open));
    if (open) {
      this.options.onOpen?.();
      this.layers.show();
      this.render();
      void this.loadReport();
      void this.loadBlindSpots();
      this.fetchedViews = null;
      this.scheduleViews(0);
      this.drawPlanning();
      if (this.draft.size) this.scheduleEvaluate(0);
    } else {
      if (this.pickingPoles) this.options.map.cancelPick();
      this.abort?.abort();
      this.blindAbort?.abort();
      this.viewsAbort?.abort();
      this.blindRefresh.cancel();
      this.reportRefresh.cancel();
      if (this.viewsTimer) clearTimeout(this.viewsTimer);
      this.loading = false;
      this.layers.hide();
    }
  }

  setTab(tab: Tab): void {
    if (tab !== 'board' && !this.planning) return;
    if (tab === this.tab) return;
    this.tab = tab;
    this.render();
  }

  // ---- fetching -----------------------------------------------------------------------------------------------------

  private async loadReport(): Promise<void> {
    if (!this.isOpen) return;
    this.reportRefresh.cancel();
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.loading = true;
    this.error = null;
    this.pendingUpdates = [];
    this.renderStatus();
    try {
      const report = await coverageApi.report(abort.signal);
      if (abort.signal.aborted) return;
      // a live update may have overtaken the request
      let next = !this.report || report.version >= this.report.version ? report : this.report;
      for (const notice of this.pendingUpdates) next = mergeUpdate(next, notice).report;
      this.report = next;
      this.fetches++;
    } catch (e) {
      if (abort.signal.aborted) return;
      this.error = e instanceof ApiError && e.status === 404 && e.problem?.type?.includes('no-coverage-zones') ? t('coverage.nothing') : errorText(e);
    }
    this.loading = false;
    this.renderBoard();
    if (this.tab === 'plan') this.renderPlan();
  }

  private async loadBlindSpots(): Promise<void> {
    if (!this.isOpen) return;
    this.blindRefresh.cancel();
    this.blindAbort?.abort();
    const abort = (this.blindAbort = new AbortController());
    this.blindLoading = true;
    try {
      const fc = await coverageApi.blindSpots(blindSpotFilter(this.filter), abort.signal);
      if (abort.signal.aborted) return;
      this.blind = fc;
      this.layers.setBlindSpots(fc);
    } catch (e) {
      if (abort.signal.aborted) return;
      this.options.toast(t('coverage.blindError', { message: errorText(e) }), 'error');
    }
    this.blindLoading = false;
    this.renderLayers();
  }

  private viewportMoved(): void {
    if (!this.isOpen || !this.layers.isOn('views')) return;
    this.scheduleViews(400);
  }

  private scheduleViews(delay: number): void {
    if (this.viewsTimer) clearTimeout(this.viewsTimer);
    this.viewsTimer = setTimeout(() => {
      this.viewsTimer = null;
      void this.loadViews();
    }, delay);
  }

  private currentBbox(): Bbox {
    const b = this.options.map.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  private async loadViews(): Promise<void> {
    if (!this.isOpen || !this.layers.isOn('views')) return;
    const map = this.options.map.map;
    const view = this.currentBbox();
    const version = this.report?.version ?? -1;
    if (!viewsFetchNeeded(map.getZoom(), view, this.fetchedViews, version)) {
      this.renderLayers();
      return;
    }
    this.viewsAbort?.abort();
    const abort = (this.viewsAbort = new AbortController());
    const bbox = paddedBbox(view);
    try {
      const fc = await coverageApi.views(bbox, abort.signal);
      if (abort.signal.aborted) return;
      this.views = fc;
      this.fetchedViews = { bbox, version: this.report && this.report.version > fc.version ? this.report.version : fc.version };
      this.layers.setViews(fc);
    } catch (e) {
      if (abort.signal.aborted) return;
      this.options.toast(t('coverage.viewsError', { message: errorText(e) }), 'error');
    }
    this.renderLayers();
  }

  // ---- zones --------------------------------------------------------------------------------------------------------

  private zoneName(row: { name: string; name_en: string | null }): string {
    return localName(row, locale());
  }

  private zoneById(id: number): ZoneCoverageRow | undefined {
    return this.report?.zones.find((z) => z.id === id);
  }

  async selectZone(id: number): Promise<void> {
    this.selectedZone = id;
    this.root.querySelectorAll('.zone-table tr.selected').forEach((tr) => tr.classList.remove('selected'));
    this.root.querySelector(`.zone-table tr[data-zone='${id}']`)?.classList.add('selected');
    try {
      const zone = await api.get<ZoneProperties>('zones', id);
      if (this.selectedZone !== id || !zone.geometry) return;
      const geometry = zone.geometry as GeoJSON.Geometry;
      this.layers.highlightZone(geometry);
      this.fitTo([bboxOf(geometry)]);
    } catch (e) {
      this.options.toast(t('error.generic', { message: errorText(e) }), 'error');
    }
  }

  /** Shows points and boxes on the map beside the panel. */
  private fitTo(items: readonly (readonly number[] | null)[]): void {
    let box: Bbox | null = null;
    for (const item of items) {
      if (!item) continue;
      const b: Bbox = item.length === 4 ? [item[0]!, item[1]!, item[2]!, item[3]!] : [item[0]!, item[1]!, item[0]!, item[1]!];
      box = box ? [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])] : b;
    }
    if (!box) return;
    const left = this.isOpen ? this.root.getBoundingClientRect().width + 40 : 40;
    this.options.map.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], {
      padding: { top: 70, bottom: 60, left, right: 60 }, maxZoom: 17, duration: 900, essential: true,
    });
  }

  private showBlindSpot(p: BlindSpotProperties, lngLat: MapLngLat): void {
    const row = this.zoneById(Number(p.zone_id));
    const rag = (row?.rag ?? p.rag) as Rag;
    const content = h('div', { class: 'cov-popup', dataset: { zone: String(p.zone_id) } },
      h('div', { class: 'cov-popup-title' }, ragChip(rag), h('span', {}, this.zoneName({ name: p.name, name_en: p.name_en ?? null }))),
      h('dl', { class: 'props' },
        h('dt', {}, t('coverage.col.kind')), h('dd', {}, tk(`zoneKind.${p.kind}`)),
        h('dt', {}, t('coverage.col.covered')), h('dd', {}, `${pct(row?.covered ?? p.covered)} / ${pct(p.target, 0)}`),
        h('dt', {}, t('coverage.blindArea')), h('dd', {}, area(Number(p.blind_m2))),
        h('dt', {}, t('field.district')), h('dd', {}, this.options.districtLabel(p.district ?? null))),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => void this.selectZone(Number(p.zone_id)) }, t('coverage.showZone')));
    this.layers.showPopup(lngLat, content);
  }

  // ---- exports ------------------------------------------------------------------------------------------------------

  private async exportFile(kind: 'csv' | 'geojson'): Promise<void> {
    if (this.exporting) return;
    const urls = exportUrls(this.filter);
    this.exporting = kind;
    this.renderStatus();
    try {
      const file = await coverageApi.download(kind === 'csv' ? urls.csv : urls.geojson);
      const name = fileNameFromDisposition(file.disposition) ?? exportName(kind, this.report?.computed_at ?? Date.now());
      download(file.blob, name);
      this.lastExport = name;
    } catch (e) {
      this.options.toast(t('coverage.exportError', { message: errorText(e) }), 'error');
    } finally {
      this.exporting = null;
      this.renderStatus();
    }
  }

  // ---- recommendations ----------------------------------------------------------------------------------------------

  private changePlanner(update: Partial<PlannerSettings>, rerender = true): void {
    this.planner = { ...this.planner, ...update };
    if (update.points) this.layers.setPoles(this.planner.points);
    if (rerender) this.renderPlan();
  }

  async recommend(): Promise<void> {
    if (plannerProblems(this.planner).length || !this.planning) {
      this.renderPlan();
      return;
    }
    this.recommendAbort?.abort();
    const abort = (this.recommendAbort = new AbortController());
    this.recommending = true;
    this.recommendationError = null;
    this.renderPlan();
    try {
      const result = await coverageApi.recommend(recommendationRequest(this.planner), abort.signal);
      if (abort.signal.aborted) return;
      this.recommendation = { run: ++this.runs, result };
      if (result.picks.length) {
        this.layers.setGroup('picks', true);
        this.fitTo(result.picks.flatMap((p) => [p.location, ...(p.view ? [bboxOf(p.view as GeoJSON.Geometry)] : [])]));
      }
    } catch (e) {
      if (abort.signal.aborted) return;
      this.recommendationError = errorText(e);
    }
    this.recommending = false;
    this.drawPlanning();
    this.renderPlan();
    this.renderLayers();
  }

  private togglePick(pick: RecommendedCamera, accept: boolean): void {
    const rec = this.recommendation;
    if (!rec) return;
    if (accept) this.draft.acceptPick(rec.run, pick, plannerLens(this.planner));
    else this.draft.discard(`add:pick-${rec.run}-${pick.rank}`);
  }

  private acceptAll(accept: boolean): void {
    const rec = this.recommendation;
    if (!rec) return;
    for (const pick of rec.result.picks) {
      if (accept !== this.draft.isAccepted(rec.run, pick.rank)) this.togglePick(pick, accept);
    }
  }

  private async pickPoles(): Promise<void> {
    if (this.pickingPoles) {
      this.options.map.cancelPick();
      return;
    }
    this.pickingPoles = true;
    this.layers.setGroup('picks', true);
    this.renderPlan();
    this.renderLayers();
    this.options.toast(t('coverage.polesPick'), 'info', 5000);
    try {
      for (;;) {
        const p = await this.options.map.pickLocation();
        if (!p || !this.isOpen) break;
        this.changePlanner({ points: togglePoint(this.planner.points, p) });
      }
    } finally {
      this.pickingPoles = false;
      this.renderPlan();
    }
  }

  // ---- scenario -----------------------------------------------------------------------------------------------------

  private draftChanged(): void {
    try {
      if (this.draft.size) sessionStorage.setItem(storageKey, this.draft.serialize());
      else sessionStorage.removeItem(storageKey);
    } catch {
      // in memory only
    }
    if (!this.draft.size) {
      this.evaluateAbort?.abort();
      this.scenario = null;
      this.evaluating = false;
      this.scenarioError = null;
    }
    this.drawPlanning();
    if (this.isOpen) {
      this.renderTabs();
      if (this.tab === 'plan') this.renderPlan();
      if (this.tab === 'scenario') this.renderScenario();
      this.renderLayers();
    }
    if (this.draft.size) this.scheduleEvaluate(250);
  }

  private scheduleEvaluate(delay: number): void {
    if (!this.planning) return;
    if (this.evaluateTimer) clearTimeout(this.evaluateTimer);
    this.evaluateTimer = setTimeout(() => {
      this.evaluateTimer = null;
      void this.evaluate();
    }, delay);
  }

  private async evaluate(): Promise<void> {
    if (!this.draft.size || !this.planning) return;
    this.evaluateAbort?.abort();
    const abort = (this.evaluateAbort = new AbortController());
    this.evaluating = true;
    this.scenarioError = null;
    if (this.tab === 'scenario') this.renderScenario();
    try {
      const result = await coverageApi.evaluate(this.draft.toRequest(), abort.signal);
      if (abort.signal.aborted) return;
      this.scenario = result;
    } catch (e) {
      if (abort.signal.aborted) return;
      this.scenarioError = errorText(e);
    }
    this.evaluating = false;
    this.drawPlanning();
    if (this.tab === 'scenario') this.renderScenario();
  }

  /** Where a draft change is drawn: the new place, else where the camera is now. */
  private changeLocation(c: DraftChange): [number, number] | null {
    if (c.op === 'add') return c.location;
    if (c.op === 'update' && c.location) return c.location;
    return c.at ?? null;
  }

  private drawPlanning(): void {
    const rec = this.recommendation;
    this.layers.setPicks(rec?.result.picks ?? [], (rank) => !!rec && this.draft.isAccepted(rec.run, rank));
    this.layers.setPoles(this.planner.source === 'list' ? this.planner.points : []);
    this.layers.setDraft(this.draft.changes, (c) => this.changeLocation(c), this.draft.size ? this.scenario?.views ?? [] : []);
  }

  async addCamera(): Promise<void> {
    if (!this.planning) return;
    this.options.toast(t('coverage.addPick'), 'info', 5000);
    const at = await this.options.map.pickLocation();
    if (!at) return;
    this.layers.setGroup('draft', true);
    this.draft.add(at, this.newHeading, plannerLens(this.planner));
    this.setTab('scenario');
  }

  /** The draft's writes through the camera API, one after the other; stops at the first failure (the rest stay in the draft). */
  async commit(): Promise<void> {
    if (this.committing || !this.draft.size || !this.planning) return;
    if (!window.confirm(t('coverage.confirmCommit', { n: this.draft.size }))) return;
    this.committing = true;
    this.renderScenario();
    const done: string[] = [];
    const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    let added = 0;
    try {
      for (const c of commitOrder(this.draft.changes)) {
        const seqOf = (r: Response): number | undefined => {
          const v = r.headers.get('X-Change-Seq');
          return v ? Number(v) : undefined;
        };
        if (c.op === 'add') {
          added++;
          const name = t('coverage.newCameraName', { date: stamp, n: added });
          const { data, response } = await api.create<CameraProperties>('cameras', newCameraFeature(c, name));
          this.options.applyLocal('cameras', data, data.id, seqOf(response));
        } else {
          const current = await api.get<CameraProperties>('cameras', c.id);
          const version = Number(current.properties?.version);
          if (c.op === 'update') {
            const { data, response } = await api.replace<CameraProperties>('cameras', c.id, updatedCameraFeature(current, c), version);
            this.options.applyLocal('cameras', data, data.id, seqOf(response));
          } else {
            const { response } = await api.remove('cameras', c.id, version);
            this.options.applyLocal('cameras', null, c.id, seqOf(response));
          }
        }
        done.push(changeKey(c));
      }
      this.options.toast(t('coverage.committed', { n: done.length }), 'success');
    } catch (e) {
      const conflict = e instanceof ApiError && (e.status === 412 || e.status === 409);
      this.options.toast(conflict ? t('coverage.commitConflict', { n: done.length }) : t('coverage.commitFailed', { n: done.length, message: errorText(e) }), 'error', 8000);
    } finally {
      this.committing = false;
      this.draft.discardAll(done);
      if (this.recommendation && !this.draft.size) this.recommendation = null;
      this.drawPlanning();
      this.renderScenario();
      // the server recomputes and says so (CoverageUpdated); fetch anyway if that does not come
      this.reportRefresh.incidentsChanged();
    }
  }

  discard(): void {
    if (!this.draft.size) return;
    if (!window.confirm(t('coverage.confirmDiscard', { n: this.draft.size }))) return;
    this.draft.clear();
  }

  /** For a camera's details: its scenario actions. */
  readonly cameraHost: CameraScenarioHost = {
    change: (id) => this.draft.forCamera(id),
    rotate: (camera, heading) => {
      const at = camera.geometry?.type === 'Point' ? (camera.geometry.coordinates as LngLat) : undefined;
      this.layers.setGroup('draft', true);
      this.draft.update(camera.id, camera.properties?.name ?? `#${camera.id}`, { heading_deg: heading }, at);
    },
    move: async (camera) => {
      this.options.toast(t('coverage.movePick'), 'info', 5000);
      const to = await this.options.map.pickLocation();
      if (!to) return;
      const at = camera.geometry?.type === 'Point' ? (camera.geometry.coordinates as LngLat) : undefined;
      this.layers.setGroup('draft', true);
      this.draft.update(camera.id, camera.properties?.name ?? `#${camera.id}`, { location: to }, at);
    },
    remove: (camera) => {
      const at = camera.geometry?.type === 'Point' ? (camera.geometry.coordinates as LngLat) : undefined;
      this.layers.setGroup('draft', true);
      this.draft.remove(camera.id, camera.properties?.name ?? `#${camera.id}`, at);
    },
    undo: (id) => this.draft.discard(`camera:${id}`),
    onChange: (listener) => this.draft.onChange(listener),
  };

  // ---- rendering ----------------------------------------------------------------------------------------------------

  render(): void {
    clear(this.button, icon('coverage'), h('span', {}, t('coverage.button')));
    this.button.title = t('coverage.buttonTitle');
    this.root.setAttribute('aria-label', t('coverage.title'));
    if (!this.planning && this.tab !== 'board') this.tab = 'board';
    clear(this.root,
      h('div', { class: 'cov-head' },
        h('h2', { class: 'cov-title' }, t('coverage.title')),
        h('div', { class: 'cov-tabs', role: 'tablist' }),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('coverage.close'), title: t('coverage.close'), onclick: () => this.toggle(false) }, '×')),
      h('div', { class: 'cov-layers' }),
      this.body);
    this.renderTabs();
    this.renderLayers();
    if (this.tab === 'board') this.renderBoard();
    else if (this.tab === 'plan') this.renderPlan();
    else this.renderScenario();
  }

  private renderTabs(): void {
    const tabs = this.root.querySelector<HTMLElement>('.cov-tabs');
    if (!tabs) return;
    const tab = (id: Tab, label: string, badge?: number): HTMLElement => h('button', {
      type: 'button', role: 'tab', class: 'hs-tab', 'aria-selected': String(this.tab === id), dataset: { tab: id }, onclick: () => this.setTab(id),
    }, label, badge ? h('span', { class: 'cov-badge' }, String(badge)) : null);
    clear(tabs,
      tab('board', t('coverage.tab.board')),
      this.planning ? tab('plan', t('coverage.tab.plan')) : null,
      this.planning ? tab('scenario', t('coverage.tab.scenario'), this.draft.size) : null);
  }

  private renderLayers(): void {
    const strip = this.root.querySelector<HTMLElement>('.cov-layers');
    if (!strip) return;
    const counts = this.layers.sourceCounts();
    const zoomedOut = this.options.map.map.getZoom() < 14;
    const entry = (group: CoverageLayerGroup, mark: HTMLElement, note: string | null): HTMLElement | null => {
      if ((group === 'picks' || group === 'draft') && !this.planning) return null;
      const input = h('input', { type: 'checkbox', class: 'switch', checked: this.layers.isOn(group), dataset: { layer: group } });
      input.addEventListener('change', () => {
        this.layers.setGroup(group, input.checked);
        if (group === 'views' && input.checked) this.scheduleViews(0);
        this.renderLayers();
      });
      return h('label', { class: 'cov-layer', dataset: { group }, title: tk(`coverage.layerHint.${group}`) }, input, mark,
        h('span', { class: 'cov-layer-name' }, tk(`coverage.layer.${group}`)), note ? h('span', { class: 'cov-layer-note' }, note) : null);
    };
    const hatch = h('span', { class: 'cov-hatch', 'aria-hidden': 'true' });
    clear(strip,
      entry('blind', hatch, this.blindLoading ? '…' : formatNumber(counts.blind)),
      entry('views', swatch(coverageColors.view, 'square'), zoomedOut ? t('coverage.fromZoom', { zoom: 14 }) : formatNumber(counts.views)),
      entry('picks', swatch(coverageColors.pick, 'dot'), counts.picks ? formatNumber(counts.picks) : null),
      entry('draft', swatch(coverageColors.add, 'dot'), counts.draft ? formatNumber(counts.draft) : null),
      h('div', { class: 'cov-legend', dataset: { legend: 'rag' } },
        h('span', { class: 'cov-legend-caption' }, t('coverage.legend.blind')),
        rags.map((r) => h('span', { class: 'legend-item', dataset: { legend: r } }, swatch(ragColors[r], 'square'), h('span', {}, tk(`coverage.rag.${r}`))))));
  }

  // ---- board ----------------------------------------------------------------------------------------------------------

  private renderStatus(): void {
    const status = this.root.querySelector<HTMLElement>('.cov-status');
    if (!status) return;
    const r = this.report;
    const exportButton = (kind: 'csv' | 'geojson'): HTMLElement | null => (can('export') ? h('button', {
      type: 'button', class: 'btn btn-small cov-export', disabled: this.exporting !== null, dataset: { action: `export-${kind}` },
      title: tk(`coverage.exportHint.${kind}`), onclick: () => void this.exportFile(kind),
    }, this.exporting === kind ? t('coverage.exporting') : tk(`coverage.export.${kind}`)) : null);
    clear(status,
      h('div', { class: 'hs-status-row' },
        h('div', { class: 'hs-state', 'aria-live': 'polite' },
          r ? h('span', { class: 'hs-computed cov-computed', dataset: { computedAt: r.computed_at, version: String(r.version) } },
            t('coverage.computedAt', { time: formatDateTime(r.computed_at) })) : null,
          this.loading ? h('span', { class: 'hs-loading' }, ` ${t('coverage.loading')}`) : null,
          this.error ? h('span', { class: 'hs-error' }, this.error) : null),
        exportButton('csv'), exportButton('geojson')),
      r ? h('div', { class: 'hs-period' }, t('coverage.meta', {
        operational: formatNumber(r.cameras_operational), total: formatNumber(r.cameras_total), days: r.incident_days, version: r.version,
      })) : null);
  }

  private renderBoard(changed: number[] = []): void {
    if (this.tab !== 'board') return;
    const scroll = this.body.scrollTop;
    const r = this.report;
    const status = h('div', { class: 'hs-status cov-status' });
    if (!r) {
      clear(this.body, status, h('div', { class: 'panel-note' }, this.loading ? t('coverage.loading') : this.error ? '' : t('coverage.noData')));
      this.renderStatus();
      return;
    }
    clear(this.body, status, this.kpis(r), this.kinds(r), this.districts(r), this.zoneControls(r), this.zoneTable(r, new Set(changed)));
    this.renderStatus();
    this.body.scrollTop = scroll;
  }

  private kpis(r: CoverageReport): HTMLElement {
    const total = r.total;
    const kpi = (key: string, value: string, sub: string, extra = ''): HTMLElement => h('div', { class: `cov-kpi ${extra}`.trim(), dataset: { kpi: key } },
      h('div', { class: 'cov-kpi-label' }, tk(`coverage.kpi.${key}`)), h('div', { class: 'cov-kpi-value' }, value), h('div', { class: 'cov-kpi-sub' }, sub));
    return h('div', { class: 'cov-kpis' },
      kpi('covered', pct(total.covered), t('coverage.kpi.coveredSub', { covered: area(total.covered_m2), area: area(total.area_m2) })),
      kpi('below', `${formatNumber(total.zones_below_target)} / ${formatNumber(total.zones)}`, t('coverage.kpi.belowSub'), total.zones_below_target ? 'bad' : 'good'),
      kpi('incidents', pct(total.incident_covered), t('coverage.kpi.incidentsSub', { covered: formatNumber(total.incidents_covered), total: formatNumber(total.incidents), days: r.incident_days })));
  }

  private kinds(r: CoverageReport): HTMLElement {
    const rows = [...r.by_kind].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
    return h('details', { class: 'cov-section', open: true, dataset: { section: 'kinds' } },
      h('summary', {}, t('coverage.byKind')),
      h('table', { class: 'cov-table kinds' },
        h('thead', {}, h('tr', {},
          h('th', {}, t('coverage.col.kind')), h('th', { class: 'num' }, t('coverage.col.target')), h('th', {}, t('coverage.col.covered')),
          h('th', { class: 'num' }, t('coverage.col.incidents')), h('th', { class: 'num' }, t('coverage.col.below')))),
        h('tbody', {}, rows.map((k) => {
          const f = k.figures;
          const rag = k.target === null ? null : f.zones_below_target === 0 ? 'green' : f.covered + 1e-9 >= k.target - 0.1 ? 'amber' : 'red';
          return h('tr', { dataset: { kind: k.kind } },
            h('td', {}, h('span', { class: 'cov-kind' }, swatch(zoneKindColors[k.kind] ?? '#607080', 'square'), tk(`zoneKind.${k.kind}`))),
            h('td', { class: 'num' }, k.target === null ? '—' : pct(k.target, 0)),
            h('td', {}, h('span', { class: 'cov-bar-cell' }, bar(f.covered, k.target, rag), h('span', { class: 'cov-bar-value' }, pct(f.covered)))),
            h('td', { class: 'num' }, pct(f.incident_covered, 0)),
            h('td', { class: `num ${f.zones_below_target ? 'bad' : ''}` }, `${formatNumber(f.zones_below_target)}/${formatNumber(f.zones)}`));
        }))));
  }

  private districts(r: CoverageReport): HTMLElement {
    const rows = [...r.by_district].sort((a, b) => a.figures.covered - b.figures.covered);
    return h('details', { class: 'cov-section', open: true, dataset: { section: 'districts' } },
      h('summary', {}, t('coverage.byDistrict')),
      h('table', { class: 'cov-table districts' },
        h('thead', {}, h('tr', {},
          h('th', {}, t('field.district')), h('th', {}, t('coverage.col.covered')), h('th', { class: 'num' }, t('coverage.col.incidents')),
          h('th', { class: 'num' }, t('coverage.col.below')))),
        h('tbody', {}, rows.map((d) => h('tr', {
          dataset: { district: d.district }, class: this.filter.district === d.district ? 'selected' : '',
          title: t('coverage.filterDistrict'), onclick: () => this.setFilter({ district: this.filter.district === d.district ? '*' : d.district }),
        },
        h('td', {}, this.options.districtLabel(d.district) !== d.district ? this.options.districtLabel(d.district) : d.district_name ?? d.district),
        h('td', {}, h('span', { class: 'cov-bar-cell' }, bar(d.figures.covered, null, null), h('span', { class: 'cov-bar-value' }, pct(d.figures.covered)))),
        h('td', { class: 'num' }, pct(d.figures.incident_covered, 0)),
        h('td', { class: `num ${d.figures.zones_below_target ? 'bad' : ''}` }, `${formatNumber(d.figures.zones_below_target)}/${formatNumber(d.figures.zones)}`))))));
  }

  private setFilter(update: Partial<ZoneFilter>): void {
    const before = blindSpotFilter(this.filter);
    this.filter = { ...this.filter, ...update };
    this.renderBoard();
    const after = blindSpotFilter(this.filter);
    if (JSON.stringify(before) !== JSON.stringify(after)) this.blindRefresh.settingsChanged();
  }

  private zoneControls(r: CoverageReport): HTMLElement {
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.field;
    const kind = h('select', { class: 'hs-select', dataset: { field: 'zoneKind' }, 'aria-label': t('coverage.col.kind') },
      h('option', { value: '*', selected: this.filter.kind === '*' }, t('coverage.allKinds')),
      boardKinds.filter((k) => r.zones.some((z) => z.kind === k)).map((k) => h('option', { value: k, selected: this.filter.kind === k }, tk(`zoneKind.${k}`))));
    kind.addEventListener('change', () => this.setFilter({ kind: kind.value as ZoneFilter['kind'] }));
    const district = h('select', { class: 'hs-select', dataset: { field: 'zoneDistrict' }, 'aria-label': t('field.district') },
      h('option', { value: '*', selected: this.filter.district === '*' }, t('coverage.allDistricts')),
      r.by_district.map((d) => h('option', { value: d.district, selected: this.filter.district === d.district }, this.options.districtLabel(d.district))));
    district.addEventListener('change', () => this.setFilter({ district: district.value }));
    const below = h('input', { type: 'checkbox', class: 'switch', checked: this.filter.belowOnly, dataset: { field: 'belowOnly' } });
    below.addEventListener('change', () => this.setFilter({ belowOnly: below.checked }));
    const search = h('input', { type: 'search', class: 'hs-number cov-search', value: this.filter.search, placeholder: t('coverage.search'), dataset: { field: 'zoneSearch' } });
    search.addEventListener('input', () => {
      this.filter = { ...this.filter, search: search.value };
      this.renderZoneRows();
    });
    const el = h('div', { class: 'cov-zone-controls' },
      h('div', { class: 'cov-section-title' }, t('coverage.zones'),
        this.sort.key !== 'priority' ? h('button', { type: 'button', class: 'link-btn', onclick: () => { this.sort = { ...defaultSort }; this.renderBoard(); } }, t('coverage.sortPriority')) : null),
      h('div', { class: 'cov-filters' }, search, kind, district, h('label', { class: 'cov-check' }, below, h('span', {}, t('coverage.belowOnly')))));
    if (focused) queueMicrotask(() => this.root.querySelector<HTMLElement>(`[data-field="${focused}"]`)?.focus());
    return el;
  }

  private sortedRows(r: CoverageReport): ZoneCoverageRow[] {
    return sortZones(filterZones(r.zones, this.filter), this.sort, (z) => this.zoneName(z), (z) => this.options.districtLabel(z.district));
  }

  private zoneTable(r: CoverageReport, changed: ReadonlySet<number>): HTMLElement {
    const header = (key: ZoneSortKey, label: string, cls = ''): HTMLElement => {
      const active = this.sort.key === key;
      return h('th', { class: `${cls} sortable${active ? ` sorted ${this.sort.dir}` : ''}`.trim(), 'aria-sort': active ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', dataset: { sort: key }, onclick: () => { this.sort = toggleSort(this.sort, key); this.renderBoard(); } }, label));
    };
    return h('div', { class: 'cov-zone-wrap' },
      h('table', { class: 'cov-table zone-table' },
        h('thead', {}, h('tr', {},
          header('name', t('coverage.col.zone')), header('covered', t('coverage.col.covered')), header('target', t('coverage.col.target'), 'num'),
          header('shortfall', t('coverage.col.shortfall'), 'num'), header('incident_covered', t('coverage.col.incidents'), 'num'), header('cameras', t('coverage.col.cameras'), 'num'))),
        h('tbody', {}, this.zoneRows(r, changed))));
  }

  private renderZoneRows(): void {
    const tbody = this.root.querySelector<HTMLElement>('.zone-table tbody');
    if (tbody && this.report) clear(tbody, this.zoneRows(this.report, new Set()));
  }

  private zoneRows(r: CoverageReport, changed: ReadonlySet<number>): HTMLElement[] {
    const rows = this.sortedRows(r);
    if (!rows.length) return [h('tr', {}, h('td', { colSpan: 6, class: 'feed-empty' }, t('coverage.noZones')))];
    return rows.map((z) => h('tr', {
      class: `${z.id === this.selectedZone ? 'selected' : ''}${changed.has(z.id) ? ' flash' : ''}`.trim(),
      dataset: { zone: String(z.id), rag: z.rag }, tabIndex: 0,
      onclick: () => void this.selectZone(z.id),
      onkeydown: (e: KeyboardEvent) => { if (e.key === 'Enter') void this.selectZone(z.id); },
    },
    h('td', {}, h('span', { class: 'cov-zone' },
      ragChip(z.rag),
      h('span', { class: 'cov-zone-name' },
        h('span', { class: 'cov-zone-title', title: this.zoneName(z) }, this.zoneName(z)),
        h('span', { class: 'cov-zone-sub' }, tk(`zoneKind.${z.kind}`), ' · ', this.options.districtLabel(z.district))))),
    h('td', { dataset: { covered: String(z.covered) } }, h('span', { class: 'cov-bar-cell' }, bar(z.covered, z.target, z.rag), h('span', { class: 'cov-bar-value' }, pct(z.covered, 0)))),
    h('td', { class: 'num' }, pct(z.target, 0)),
    h('td', { class: `num ${z.below_target ? 'bad' : 'muted'}` }, z.shortfall > 0 ? pct(z.shortfall, 0) : '—'),
    h('td', { class: 'num', title: t('coverage.incidentsTitle', { covered: z.incidents_covered, total: z.incidents }) }, pct(z.incident_covered, 0)),
    h('td', { class: 'num' }, formatNumber(z.cameras))));
  }

  private flashRow(selector: string): void {
    const el = this.root.querySelector<HTMLElement>(selector);
    if (!el) return;
    el.scrollIntoView({ block: 'nearest' });
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
  }

  // ---- planner --------------------------------------------------------------------------------------------------------

  private field(label: string, control: HTMLElement, hint?: string): HTMLElement {
    return h('label', { class: 'hs-field' }, h('span', { class: 'hs-label' }, label), control, hint ? h('span', { class: 'hs-hint' }, hint) : null);
  }

  private number(field: string, value: number | null, placeholder: string, onChange: (v: number | null) => void, step = 'any'): HTMLInputElement {
    const invalid = plannerProblems(this.planner).some((p) => p.field === field);
    const input = h('input', {
      type: 'number', class: `hs-number${invalid ? ' invalid' : ''}`, step, value: value === null ? '' : String(value), placeholder,
      dataset: { field }, 'aria-invalid': String(invalid),
    });
    input.addEventListener('change', () => {
      const text = input.value.trim();
      onChange(text === '' ? null : Number(text));
    });
    return input;
  }

  private renderPlan(): void {
    if (this.tab !== 'plan') return;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.field;
    const scroll = this.body.scrollTop;
    const s = this.planner;
    const problems = plannerProblems(s);
    const kind = h('select', { class: 'hs-select', dataset: { field: 'kind' } },
      cameraKinds.map((k) => h('option', { value: k, selected: s.kind === k }, tk(`cameraKind.${k}`))));
    kind.addEventListener('change', () => this.changePlanner(withKind(this.planner, kind.value as PlannerSettings['kind'])));
    const sources = h('div', { class: 'segmented cov-sources', role: 'group', 'aria-label': t('coverage.plan.sites') },
      candidateSources.map((src) => h('button', {
        type: 'button', class: 'seg', 'aria-pressed': String(s.source === src), dataset: { source: src }, title: tk(`coverage.plan.sourceHint.${src}`),
        onclick: () => this.changePlanner({ source: src }),
      }, tk(`coverage.plan.source.${src}`))));
    const district = h('select', { class: 'hs-select', dataset: { field: 'district' } },
      h('option', { value: '', selected: s.district === '' }, t('coverage.allDistricts')),
      (this.report?.by_district ?? []).map((d) => h('option', { value: d.district, selected: s.district === d.district }, this.options.districtLabel(d.district))));
    district.addEventListener('change', () => this.changePlanner({ district: district.value }));
    const weights = h('div', { class: 'cov-weights' }, boardKinds.map((k) => h('label', { class: 'cov-weight' },
      h('span', { class: 'cov-kind' }, swatch(zoneKindColors[k], 'square'), tk(`zoneKind.${k}`)),
      this.number(`weight-${k}`, s.kindWeights[k] ?? 1, '1', (v) => {
        const next = { ...this.planner.kindWeights };
        if (v === null || v === 1) delete next[k];
        else next[k] = v;
        this.changePlanner({ kindWeights: next });
      }))));
    const list = s.source === 'list' ? h('div', { class: 'cov-poles' },
      h('button', {
        type: 'button', class: `btn btn-small${this.pickingPoles ? ' btn-primary' : ''}`, dataset: { action: 'pick-poles' }, 'aria-pressed': String(this.pickingPoles),
        onclick: () => void this.pickPoles(),
      }, this.pickingPoles ? t('coverage.plan.polesDone') : t('coverage.plan.polesPick')),
      h('span', { class: 'hs-hint' }, t('coverage.plan.poles', { n: s.points.length })),
      s.points.length ? h('button', { type: 'button', class: 'link-btn', onclick: () => this.changePlanner({ points: [] }) }, t('coverage.plan.polesClear')) : null) : null;
    const run = h('button', {
      type: 'button', class: 'btn btn-primary', dataset: { action: 'recommend' }, disabled: this.recommending || problems.length > 0,
      onclick: () => void this.recommend(),
    }, this.recommending ? t('coverage.plan.running') : t('coverage.plan.run'));
    clear(this.body,
      h('div', { class: 'hs-controls cov-plan' },
        h('div', { class: 'hs-method-hint' }, t('coverage.plan.hint')),
        h('div', { class: 'hs-grid cov-grid-4' },
          this.field(t('coverage.plan.budget'), this.number('budget', s.budget, '10', (v) => this.changePlanner({ budget: v ?? defaultPlanner.budget }), '1')),
          this.field(t('field.kind'), kind),
          this.field(t('coverage.plan.fov'), this.number('fov', s.fov, '90', (v) => this.changePlanner({ fov: v ?? this.planner.fov }))),
          this.field(t('coverage.plan.range'), this.number('range', s.range, '60', (v) => this.changePlanner({ range: v ?? this.planner.range })))),
        h('div', { class: 'hs-grid' },
          this.field(t('coverage.plan.headings'), this.number('headings', s.headings, s.kind === 'fixed' ? '8' : '1', (v) => this.changePlanner({ headings: v }), '1')),
          this.field(t('coverage.plan.spacing'), this.number('spacing', s.source === 'list' ? null : s.spacing, s.source === 'list' ? '—' : t('coverage.plan.auto'), (v) => this.changePlanner({ spacing: v })))),
        this.field(t('coverage.plan.sites'), sources, tk(`coverage.plan.sourceHint.${s.source}`)),
        list,
        h('div', { class: 'hs-grid' },
          this.field(t('coverage.plan.incidentWeight'), this.number('incidentWeight', s.incidentWeight, '1', (v) => this.changePlanner({ incidentWeight: v ?? 0 })), t('coverage.plan.incidentWeightHint')),
          this.field(t('field.district'), district)),
        h('details', { class: 'cov-section' }, h('summary', {}, t('coverage.plan.kindWeights')), h('div', { class: 'hs-hint' }, t('coverage.plan.kindWeightsHint')), weights),
        h('div', { class: 'hs-problems', role: 'alert' }, problems.map((p) => h('div', {}, tk(p.message)))),
        h('div', { class: 'btn-row' }, run)),
      this.results());
    this.body.scrollTop = scroll;
    if (focused) this.root.querySelector<HTMLElement>(`[data-field="${focused}"]`)?.focus();
  }

  private zoneLabel(id: number): string {
    const z = this.zoneById(id);
    return z ? this.zoneName(z) : `#${id}`;
  }

  private zoneChange(id: number, before: number, after: number): HTMLElement {
    const z = this.zoneById(id);
    const target = z?.target ?? null;
    const ragOf = (v: number): Rag => (target === null ? 'green' : v + 1e-9 >= target ? 'green' : v + 1e-9 >= target - 0.1 ? 'amber' : 'red');
    return h('li', { class: 'cov-change', dataset: { zone: String(id) }, onclick: () => void this.selectZone(id) },
      h('span', { class: 'cov-change-name' }, this.zoneLabel(id)),
      ragChip(ragOf(before), pct(before, 0)), h('span', { class: 'cov-arrow' }, '→'), ragChip(ragOf(after), pct(after, 0)),
      h('span', { class: 'cov-delta up' }, points(deltaPoints(before, after))));
  }

  private results(): HTMLElement | null {
    const state = this.recommending ? h('div', { class: 'hs-loading' }, t('coverage.plan.running'))
      : this.recommendationError ? h('div', { class: 'hs-error' }, this.recommendationError) : null;
    const rec = this.recommendation;
    if (!rec) return h('div', { class: 'cov-results' }, state);
    const r = rec.result;
    const accepted = r.picks.filter((p) => this.draft.isAccepted(rec.run, p.rank)).length;
    const summary = h('div', { class: 'hs-period' }, t('coverage.plan.summary', {
      picks: r.picks.length, sites: formatNumber(r.sites), options: formatNumber(r.options), ms: formatNumber(Math.round(r.compute_ms)),
      evaluations: formatNumber(r.gain_evaluations),
    }), r.site_spacing_m !== null && r.site_spacing_m !== undefined ? ` · ${t('coverage.plan.spacingUsed', { spacing: formatNumber(r.site_spacing_m) })}` : '',
    r.optimality !== null ? ` · ${t('coverage.plan.optimality', { value: pct(r.optimality, 1) })}` : '');
    const gains = zoneGains(r);
    return h('div', { class: 'cov-results' },
      state,
      h('div', { class: 'cov-section-title' }, t('coverage.plan.picks'),
        r.picks.length ? h('button', { type: 'button', class: 'link-btn', dataset: { action: 'accept-all' }, onclick: () => this.acceptAll(accepted < r.picks.length) },
          accepted < r.picks.length ? t('coverage.plan.acceptAll') : t('coverage.plan.acceptNone')) : null),
      summary,
      r.picks.length === 0 ? h('div', { class: 'panel-note' }, t('coverage.plan.noPicks')) : null,
      h('ol', { class: 'cov-picks' }, r.picks.map((p) => {
        const on = this.draft.isAccepted(rec.run, p.rank);
        const box = h('input', { type: 'checkbox', checked: on, 'aria-label': t('coverage.plan.accept', { n: p.rank }), dataset: { accept: String(p.rank) } });
        box.addEventListener('change', () => this.togglePick(p, box.checked));
        return h('li', { class: `cov-pick${on ? ' accepted' : ''}`, dataset: { pick: String(p.rank) } },
          h('div', { class: 'cov-pick-head' },
            box,
            h('span', { class: 'cov-rank', style: { background: on ? coverageColors.pickAccepted : coverageColors.pick } }, String(p.rank)),
            h('button', { type: 'button', class: 'link-btn cov-pick-where', title: t('coverage.flyTo'), onclick: () => this.options.map.flyTo([p.location[0]!, p.location[1]!], 17) },
              `${p.location[1]!.toFixed(5)}, ${p.location[0]!.toFixed(5)}`),
            h('span', { class: 'cov-pick-heading' }, `${formatNumber(Math.round(p.heading_deg))}° ${tk(`compass.${compassPoint(p.heading_deg)}`)}`),
            h('span', { class: 'cov-pick-gain', title: t('coverage.plan.gainTitle', { weighted: formatNumber(Math.round(p.gain_weighted)) }) }, `+${formatNumber(Math.round(p.newly_covered_m2))} m²`)),
          p.zones.length ? h('ul', { class: 'cov-changes' }, p.zones.slice(0, 4).map((z) => this.zoneChange(z.zone_id, z.before, z.after)),
            p.zones.length > 4 ? h('li', { class: 'hs-hint' }, t('coverage.plan.moreZones', { n: p.zones.length - 4 })) : null) : null);
      })),
      gains.length ? h('details', { class: 'cov-section', dataset: { section: 'zones-after' } },
        h('summary', {}, t('coverage.plan.zonesAfter', { n: gains.length })),
        h('ul', { class: 'cov-changes' }, gains.map((z) => this.zoneChange(z.zone_id, z.before, z.after)))) : null,
      h('div', { class: 'hs-hint' }, t('coverage.plan.sampleNote', { spacing: formatNumber(r.sample_spacing_m) })));
  }

  // ---- scenario -------------------------------------------------------------------------------------------------------

  private renderScenario(): void {
    if (this.tab !== 'scenario') return;
    const scroll = this.body.scrollTop;
    const size = this.draft.size;
    const heading = h('input', { type: 'number', class: 'hs-number', min: '0', max: '359', step: '1', value: String(this.newHeading), dataset: { field: 'newHeading' } });
    heading.addEventListener('change', () => { this.newHeading = normalizeHeading(Number(heading.value) || 0); });
    const lens = plannerLens(this.planner);
    clear(this.body,
      h('div', { class: 'cov-scenario-bar' },
        h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'add-camera' }, onclick: () => void this.addCamera() }, icon('plus'), t('coverage.scenario.add')),
        h('label', { class: 'cov-inline' }, h('span', {}, t('field.heading_deg')), heading),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'commit' }, disabled: !size || this.committing, onclick: () => void this.commit() },
          this.committing ? t('coverage.scenario.committing') : t('coverage.scenario.commit', { n: size })),
        h('button', { type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'discard' }, disabled: !size || this.committing, onclick: () => this.discard() }, t('coverage.scenario.discard'))),
      h('div', { class: 'hs-hint' }, t('coverage.scenario.lens', { kind: tk(`cameraKind.${lens.kind}`), fov: formatNumber(lens.field_of_view_deg), range: formatNumber(lens.range_m) })),
      size ? h('ol', { class: 'cov-draft' }, this.draft.changes.map((c) => this.draftItem(c))) : h('div', { class: 'panel-note cov-empty' }, t('coverage.scenario.empty')),
      size ? this.comparison() : null);
    this.body.scrollTop = scroll;
  }

  private draftItem(c: DraftChange): HTMLElement {
    const key = changeKey(c);
    const where = this.changeLocation(c);
    const label = c.op === 'add'
      ? (c.pick ? t('coverage.scenario.pickLabel', { n: c.pick.rank }) : t('coverage.scenario.newLabel', { ref: c.ref.replace(/^new-/, '') }))
      : `${c.name} (#${c.id})`;
    const details: string[] = [];
    if (c.op === 'add') details.push(`${tk(`cameraKind.${c.kind}`)} ${formatNumber(c.field_of_view_deg)}° · ${formatNumber(c.range_m)} m`);
    if (c.op === 'update' && c.location) details.push(t('coverage.scenario.moved'));
    if (c.op === 'update' && c.field_of_view_deg !== undefined) details.push(`${formatNumber(c.field_of_view_deg)}°`);
    let headingInput: HTMLInputElement | null = null;
    if (c.op !== 'remove') {
      const value = c.op === 'add' ? c.heading_deg : c.heading_deg;
      headingInput = h('input', {
        type: 'number', class: 'hs-number cov-heading', min: '0', max: '359', step: '1', value: value === undefined ? '' : String(value),
        placeholder: '—', 'aria-label': t('field.heading_deg'), dataset: { field: `heading-${key}` },
      });
      headingInput.addEventListener('change', () => {
        const v = Number(headingInput!.value);
        if (!Number.isFinite(v) || headingInput!.value === '') return;
        if (c.op === 'add') this.draft.editAdd(c.ref, { heading_deg: v });
        else this.draft.update(c.id, c.name, { heading_deg: v });
      });
    }
    const view = this.scenario?.views.find((v) => (c.op === 'add' ? v.properties.ref === c.ref : v.properties.camera_id === c.id));
    const op = h('span', { class: `cov-op op-${c.op}` }, tk(`coverage.op.${c.op}`));
    op.style.setProperty('--c', c.op === 'add' ? coverageColors.add : c.op === 'update' ? coverageColors.update : coverageColors.remove);
    return h('li', { class: 'cov-draft-item', dataset: { change: key, op: c.op } },
      op,
      h('button', { type: 'button', class: 'link-btn cov-draft-label', title: t('coverage.flyTo'), onclick: () => { if (where) this.options.map.flyTo(where, 17); } }, label),
      h('span', { class: 'cov-draft-details' }, details.join(' · '), view ? ` · ${area(view.properties.area_m2)}` : ''),
      headingInput ? h('label', { class: 'cov-inline' }, headingInput, '°') : h('span'),
      h('button', { type: 'button', class: 'icon-btn small', 'aria-label': t('coverage.scenario.drop'), title: t('coverage.scenario.drop'), onclick: () => this.draft.discard(key) }, '×'));
  }

  private comparison(): HTMLElement {
    const s = this.scenario;
    const state = this.evaluating ? h('span', { class: 'hs-loading' }, t('coverage.scenario.evaluating'))
      : this.scenarioError ? h('span', { class: 'hs-error' }, this.scenarioError) : null;
    if (!s) return h('div', { class: 'cov-compare' }, state);
    const stale = this.report && this.report.version > s.base_version;
    const pct2 = (v: number | null): string => pct(v, 2);
    const row = (label: string, before: string, after: string, delta: string, cls: string, key: string): HTMLElement =>
      h('tr', { dataset: { metric: key } }, h('th', {}, label), h('td', { class: 'num' }, before), h('td', { class: 'num' }, after), h('td', { class: `num cov-delta ${cls}` }, delta));
    const fig = (f: CoverageFigures): CoverageFigures => f;
    const b = fig(s.total_before);
    const a = fig(s.total_after);
    const dir = (d: number, better: 'up' | 'down'): string => (d === 0 ? '' : (d > 0) === (better === 'up') ? 'up' : 'down');
    const covered = deltaPoints(b.covered, a.covered);
    const incidentDelta = b.incident_covered !== null && a.incident_covered !== null ? deltaPoints(b.incident_covered, a.incident_covered) : null;
    const belowDelta = a.zones_below_target - b.zones_below_target;
    return h('div', { class: 'cov-compare' },
      h('div', { class: 'hs-status-row' }, h('div', { class: 'cov-section-title' }, t('coverage.scenario.compare')), state,
        stale ? h('span', { class: 'hs-hint' }, t('coverage.scenario.stale')) : null),
      h('table', { class: 'cov-table compare totals' },
        h('thead', {}, h('tr', {}, h('th', {}), h('th', { class: 'num' }, t('coverage.scenario.current')), h('th', { class: 'num' }, t('coverage.scenario.scenario')), h('th', { class: 'num' }, 'Δ'))),
        h('tbody', {},
          row(t('coverage.kpi.covered'), pct2(b.covered), pct2(a.covered), points(covered), dir(covered, 'up'), 'covered'),
          row(t('coverage.kpi.incidents'), pct2(b.incident_covered), pct2(a.incident_covered), incidentDelta === null ? '—' : points(incidentDelta), dir(incidentDelta ?? 0, 'up'), 'incidents'),
          row(t('coverage.kpi.below'), formatNumber(b.zones_below_target), formatNumber(a.zones_below_target), formatNumber(belowDelta, { signDisplay: 'exceptZero' }), dir(belowDelta, 'down'), 'below'))),
      h('details', { class: 'cov-section', open: true, dataset: { section: 'scenario-kinds' } },
        h('summary', {}, t('coverage.byKind')),
        h('table', { class: 'cov-table compare' },
          h('thead', {}, h('tr', {}, h('th', {}, t('coverage.col.kind')), h('th', { class: 'num' }, t('coverage.col.target')),
            h('th', { class: 'num' }, t('coverage.scenario.current')), h('th', { class: 'num' }, t('coverage.scenario.scenario')), h('th', { class: 'num' }, 'Δ'))),
          h('tbody', {}, s.by_kind.filter((k) => k.before.zones > 0).sort((x, y) => kindOrder(x.kind) - kindOrder(y.kind)).map((k) => {
            const d = deltaPoints(k.before.covered, k.after.covered);
            return h('tr', { dataset: { kind: k.kind }, class: d === 0 ? 'muted' : '' },
              h('td', {}, h('span', { class: 'cov-kind' }, swatch(zoneKindColors[k.kind] ?? '#607080', 'square'), tk(`zoneKind.${k.kind}`))),
              h('td', { class: 'num' }, k.target === null ? '—' : pct(k.target, 0)),
              h('td', { class: 'num' }, pct(k.before.covered, 2)), h('td', { class: 'num' }, pct(k.after.covered, 2)),
              h('td', { class: `num cov-delta ${dir(d, 'up')}` }, points(d)));
          })))),
      h('div', { class: 'cov-section-title' }, t('coverage.scenario.zones', { n: s.zones.length })),
      s.zones.length === 0 ? h('div', { class: 'panel-note' }, t('coverage.scenario.noZones')) : h('table', { class: 'cov-table compare zones' },
        h('thead', {}, h('tr', {}, h('th', {}, t('coverage.col.zone')), h('th', { class: 'num' }, t('coverage.col.target')),
          h('th', {}, t('coverage.scenario.current')), h('th', {}, t('coverage.scenario.scenario')), h('th', { class: 'num' }, 'Δ'))),
        h('tbody', {}, [...s.zones].sort((x, y) => Math.abs(y.after - y.before) - Math.abs(x.after - x.before)).map((z) => {
          const d = deltaPoints(z.before, z.after);
          return h('tr', { dataset: { zone: String(z.id), ragBefore: z.rag_before, ragAfter: z.rag_after }, onclick: () => void this.selectZone(z.id) },
            h('td', {}, h('span', { class: 'cov-zone-name' },
              h('span', { class: 'cov-zone-title' }, this.zoneName(z)), h('span', { class: 'cov-zone-sub' }, tk(`zoneKind.${z.kind}`)))),
            h('td', { class: 'num' }, pct(z.target, 0)),
            h('td', {}, ragChip(z.rag_before, pct(z.before, 0))),
            h('td', {}, ragChip(z.rag_after, pct(z.after, 0))),
            h('td', { class: `num cov-delta ${dir(d, 'up')}` }, points(d)));
        }))));
  }

  // ---- test hooks -------------------------------------------------------------------------------------------------------

  view(): CoverageView {
    const r = this.report;
    const s = this.scenario;
    const counts = this.layers.sourceCounts();
    return {
      open: this.isOpen,
      tab: this.tab,
      loading: this.loading,
      error: this.error,
      version: r?.version ?? null,
      computedAt: r?.computed_at ?? null,
      zones: r?.zones.length ?? 0,
      rows: this.root.querySelectorAll('.zone-table tbody tr[data-zone]').length,
      belowTarget: r?.below_target.length ?? 0,
      selectedZone: this.selectedZone,
      blindSpots: counts.blind,
      blindVersion: this.blind?.version ?? null,
      blindLoading: this.blindLoading,
      views: counts.views,
      viewsVersion: this.views?.version ?? null,
      picks: counts.picks,
      recommending: this.recommending,
      recommendationError: this.recommendationError,
      poles: this.planner.points.map((p) => [p[0], p[1]]),
      pickingPoles: this.pickingPoles,
      pickLocations: this.recommendation?.result.picks.map((p) => [p.location[0]!, p.location[1]!]) ?? [],
      updates: this.updates,
      fetches: this.fetches,
      lastExport: this.lastExport,
      exports: {
        csv: this.root.querySelector("[data-action='export-csv']") !== null,
        geojson: this.root.querySelector("[data-action='export-geojson']") !== null,
      },
      planning: this.planning,
      scenario: {
        changes: this.draft.size,
        evaluating: this.evaluating,
        error: this.scenarioError,
        baseVersion: s?.base_version ?? null,
        totalBefore: s?.total_before.covered ?? null,
        totalAfter: s?.total_after.covered ?? null,
        zones: s?.zones.map((z) => ({ id: z.id, before: z.before, after: z.after, rag_before: z.rag_before, rag_after: z.rag_after })) ?? [],
        views: s?.views.length ?? 0,
        committing: this.committing,
      },
    };
  }

  /** A zone's row as the board holds it now (tests). */
  zone(id: number): ZoneCoverageRow | null {
    return this.zoneById(id) ?? null;
  }

  /** The features drawn on screen per group (tests). */
  rendered(): Record<CoverageLayerGroup, number> {
    return Object.fromEntries(coverageLayerGroups.map((g) => [g, this.layers.rendered(g)])) as Record<CoverageLayerGroup, number>;
  }
}
