// The Patrol & Dispatch panel: a toggle in the map toolbar opens a floating panel over the map's left edge (one of the
// analysis panels at a time) with five tabs. "Dispatch": the units for one open incident ranked by road ETA (opened
// from the incident's details), their route lines on the map, one-click assignment for accounts that may write
// incidents and units, conflicts (the unit was taken meanwhile) shown with the server's explanation; refreshed when the
// incident or the units change live. "1-3-5": the response bands switch (strip at the top, drawn on the map under the
// live layers) and the shares of area, residential zones and incidents inside them per district; refreshed while units
// move, at most every 10 s. "Routes": patrol routes by level with shift state, units on/off route and validation
// problems, plus how many hot cells each level reaches. "Suggest": a patrol loop through hot cells for a shift, drawn
// with numbered stops, accepted as a new route (planning:write). "Dosage": time spent in hot cells per shift, visits
// by length (10–15 min effective) and street visibility per district.
import { ApiError } from '../api/client';
import {
  patrolApi, type DispatchCandidate, type DispatchOptions, type HotspotReach, type PatrolDosage, type PatrolLevel, type PatrolOverview,
  type ResponseCoverage, type RouteOverview, type RoutedPath, type RouteSuggestion,
} from '../api/patrol';
import type { Feature, LiveChange, LiveLayer, PatrolMode, PatrolRouteProperties } from '../api/types';
import { api } from '../api/client';
import { can } from '../auth/session';
import { formatDateTime, formatNumber, formatTime, locale, t, tk } from '../i18n';
import type { SituationMap } from '../map/situationMap';
import { levelColors, patrolModes, statusColors, unitStatusColors } from '../model/vocabulary';
import { clear, h, icon, swatch } from '../panels/dom';
import {
  bandColor, bandLabel, canAssign, conflictKind, defaultDosageRange, defaultSuggest, dosageSummary, durationParts, formatEta, formatKm,
  groupByLevel, isOpenIncident, isStale, nextQuarterHour, positionAge, rankedCandidates, responseBands, routeLines, shareMetrics, shareTable,
  lineRoute, routeRequest, shiftText, suggestionRoute, suggestProblems, suggestRequest, Throttle, topCells, unitsChanged, unitsOnRoute, unreachableKey, visibilityRows,
  type ShareMetric, type SuggestSettings,
} from './model';
import { PatrolLayers, patrolColors, patrolLayerGroups, type PatrolLayerGroup } from './patrolLayers';
import '../coverage/coverage.css';
import './patrol.css';

export interface PatrolPanelOptions {
  map: SituationMap;
  /** The element the panel floats in (the map area). */
  container: HTMLElement;
  /** Where the toggle button goes. */
  toolbar: HTMLElement;
  districtLabel: (code: string | null | undefined) => string;
  toast: (message: string, kind?: 'info' | 'success' | 'error', ms?: number) => void;
  /** Shows a feature just written before its live event arrives. */
  applyLocal: (layer: LiveLayer, feature: Feature<unknown> | null, id: number, seq?: number) => void;
  /** The panel opened (the dashboard closes the other floating panels). */
  onOpen?: () => void;
}

export type PatrolTab = 'dispatch' | 'response' | 'routes' | 'suggest' | 'dosage';
const tabs: readonly PatrolTab[] = ['dispatch', 'response', 'routes', 'suggest', 'dosage'];

/** A fetched section: its data, whether a request is out, its error, and whether the server has the endpoint at all. */
interface Section<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
  missing: boolean;
  abort: AbortController | null;
  fetches: number;
}

function section<T>(): Section<T> {
  return { data: null, loading: false, error: null, missing: false, abort: null, fetches: 0 };
}

/** Read-only state for tests and diagnostics (`window.__situationMap.dashboard.patrol.view()`). */
export interface PatrolView {
  open: boolean;
  tab: PatrolTab;
  incidentId: number | null;
  dispatch: {
    loading: boolean; error: string | null; fetches: number; status: string | null; computedAt: string | null;
    candidates: { unit_id: number; call_sign: string; eta_s: number | null }[]; unranked: number; assigned: number[];
    conflict: string | null; assigning: number | null; canAssign: boolean; routes: number; hovered: number | null;
  };
  bands: { on: boolean; loading: boolean; error: string | null; fetches: number; computedAt: string | null; drawn: number[]; rows: number; units: number | null };
  routes: { loading: boolean; missing: boolean; error: string | null; count: number };
  reach: { loading: boolean; missing: boolean; error: string | null; levels: number; unreached: number };
  suggestion: { loading: boolean; missing: boolean; error: string | null; stops: number; accepted: number | null };
  draw: { active: boolean; waypoints: number; loading: boolean; error: string | null; lengthM: number | null; seconds: number | null; saved: number | null };
  dosage: { loading: boolean; missing: boolean; error: string | null; cells: number };
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.details.length ? e.details.join('; ') : e.message;
  return String(e);
}

/** An endpoint that has not landed on this server yet (404 without a not-found problem, or 405). */
function isMissing(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 405 || (e.status === 404 && !e.problem?.type?.includes('not-found')));
}

function pct(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined ? '—' : formatNumber(v, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function km(m: number | null | undefined): string {
  return formatKm(m, (v, o) => formatNumber(v, o));
}

function chip(text: string, color: string, cls = ''): HTMLElement {
  const el = h('span', { class: `status-chip pt-chip ${cls}`.trim() }, text);
  el.style.setProperty('--c', color);
  return el;
}

function bandName(seconds: number): string {
  const l = bandLabel(seconds);
  return l.unit === 'min' ? t('patrol.band.min', { n: l.value }) : t('patrol.band.s', { n: l.value });
}

function ageText(seconds: number | null): string {
  const a = positionAge(seconds);
  if (!a) return t('patrol.age.never');
  return tk(`patrol.age.${a.unit}`, { n: a.value });
}

function duration(seconds: number): string {
  const d = durationParts(seconds);
  return d.h ? t('patrol.duration.hmin', { h: d.h, min: String(d.min).padStart(2, '0') }) : t('patrol.duration.min', { min: d.min });
}

export class PatrolPanel {
  private readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  readonly layers: PatrolLayers;
  private isOpen = false;
  private tab: PatrolTab = 'dispatch';
  private readonly body = h('div', { class: 'cov-body pt-body', role: 'tabpanel' });
  // dispatch
  private incidentId: number | null = null;
  private readonly dispatch = section<DispatchOptions>();
  private conflict: string | null = null;
  private assigning: number | null = null;
  private fitFor: number | null = null;
  private readonly dispatchRefresh = new Throttle(() => void this.loadDispatch(), 4_000, 400);
  // bands
  private bandsOn = false;
  private readonly bands = section<ResponseCoverage>();
  private bandsStarted = 0;
  private bandsTicker: ReturnType<typeof setInterval> | null = null;
  private metric: ShareMetric = 'area';
  private readonly bandsRefresh = new Throttle(() => void this.loadBands(), 10_000, 500);
  // routes by level, hot-spot reach
  private readonly overview = section<PatrolOverview>();
  private readonly reach = section<HotspotReach>();
  private reachMinutes = 5;
  private selectedRoute: number | null = null;
  private readonly overviewRefresh = new Throttle(() => void this.loadOverview(), 30_000, 1_000);
  // suggestion
  private suggest: SuggestSettings = { ...defaultSuggest };
  private readonly suggestion = section<RouteSuggestion>();
  private picking = false;
  private accepting = false;
  private accepted: number | null = null;
  private readonly drawn = section<RoutedPath>();
  private drawing = false;
  private drawSaved: number | null = null;
  private acceptName = '';
  private acceptLevel: PatrolLevel = 2;
  // dosage
  private dosageHours = 8;
  private readonly dosage = section<PatrolDosage>();

  constructor(private readonly options: PatrolPanelOptions) {
    const map = options.map;
    this.root = h('section', { id: 'patrol', class: 'coverage patrol', hidden: true, role: 'region' });
    options.container.append(this.root);
    this.button = h('button', {
      type: 'button', class: 'btn patrol-toggle', 'aria-pressed': 'false', 'aria-controls': 'patrol', onclick: () => this.toggle(),
    });
    options.toolbar.append(this.button);
    this.layers = new PatrolLayers(
      map.map,
      () => [...map.routes.layerIds(), ...map.cameras.layerIds(), ...map.incidents.layerIds(), ...map.units.layerIds(), ...map.playback.layerIds()],
    );
    this.render();
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** Does the open panel overlap this element (the details drawer on a narrow screen)? */
  overlaps(el: HTMLElement): boolean {
    if (!this.isOpen || el.hidden) return false;
    const a = this.root.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  get mayAssign(): boolean {
    return canAssign(can);
  }

  get planning(): boolean {
    return can('planning:write');
  }

  // ---- open, close, tabs ------------------------------------------------------------------------------------------

  toggle(open = !this.isOpen): void {
    if (open === this.isOpen) return;
    this.isOpen = open;
    this.root.hidden = !open;
    this.button.setAttribute('aria-pressed', String(open));
    if (open) {
      this.options.onOpen?.();
      this.layers.show();
      this.render();
      if (this.incidentId !== null) void this.loadDispatch();
      if (this.bandsOn) void this.loadBands();
      this.loadTab();
    } else {
      if (this.picking) this.options.map.cancelPick();
      for (const s of [this.dispatch, this.bands, this.overview, this.reach, this.dosage]) {
        s.abort?.abort();
        s.loading = false;
      }
      this.dispatchRefresh.cancel();
      this.bandsRefresh.cancel();
      this.overviewRefresh.cancel();
      this.stopTicker();
      this.layers.hide();
    }
  }

  setTab(tab: PatrolTab): void {
    if (tab === this.tab) return;
    this.tab = tab;
    this.render();
    this.loadTab();
  }

  /** Fetches what the shown tab needs and has not fetched yet. */
  private loadTab(): void {
    if (!this.isOpen) return;
    if (this.tab === 'routes') {
      if (!this.overview.data && !this.overview.loading) void this.loadOverview();
      if (!this.reach.data && !this.reach.loading) void this.loadReach();
    } else if (this.tab === 'dosage' && !this.dosage.data && !this.dosage.loading) {
      void this.loadDosage();
    }
  }

  /** From an incident's details: the panel on the dispatch view of that incident. */
  openDispatch(incidentId: number): void {
    const changed = incidentId !== this.incidentId;
    this.incidentId = incidentId;
    if (changed) {
      this.dispatch.data = null;
      this.dispatch.error = null;
      this.conflict = null;
      this.layers.setDispatch(null, []);
    }
    this.tab = 'dispatch';
    if (!this.isOpen) {
      this.toggle(true);
    } else {
      this.render();
      void this.loadDispatch();
    }
  }

  // ---- live changes -----------------------------------------------------------------------------------------------

  /** Live changes from the stream: the dispatch list, the bands and the routes follow them (throttled). */
  changed(changes: readonly LiveChange[]): void {
    if (!this.isOpen) return;
    const id = this.incidentId;
    if (id !== null && changes.some((c) => c.layer === 'patrol_units' || (c.layer === 'incidents' && c.id === id))) this.dispatchRefresh.trigger();
    if (this.bandsOn && unitsChanged(changes)) this.bandsRefresh.trigger();
    if (this.tab === 'routes' && this.overview.data && changes.some((c) => c.layer === 'patrol_units' || c.layer === 'patrol_routes')) {
      this.overviewRefresh.trigger();
    }
  }

  // ---- dispatch ---------------------------------------------------------------------------------------------------

  private async loadDispatch(): Promise<void> {
    const id = this.incidentId;
    if (!this.isOpen || id === null) return;
    this.dispatchRefresh.cancel();
    this.dispatchRefresh.ran();
    const s = this.dispatch;
    s.abort?.abort();
    const abort = (s.abort = new AbortController());
    s.loading = true;
    this.renderDispatch();
    try {
      const data = await patrolApi.dispatchOptions(id, routeLines, abort.signal);
      if (abort.signal.aborted || this.incidentId !== id) return;
      s.data = data;
      s.error = null;
      s.fetches++;
      const ranked = rankedCandidates(data);
      const location = data.location.coordinates as [number, number];
      this.layers.setDispatch(location, ranked);
      if (this.fitFor !== id) {
        this.fitFor = id;
        this.fitTo([location, ...ranked.slice(0, 3).flatMap((c) => (c.route ? c.route.coordinates : []))]);
      }
    } catch (e) {
      if (abort.signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) {
        // deleted (or out of the account's districts): nothing left to dispatch or draw
        s.data = null;
        s.error = t('patrol.dispatch.notFound');
        this.layers.setDispatch(null, []);
      } else {
        s.error = errorText(e);
      }
    }
    s.loading = false;
    this.renderDispatch();
  }

  async assign(unitId: number): Promise<void> {
    const id = this.incidentId;
    if (id === null || this.assigning !== null || !this.mayAssign) return;
    const unit = this.dispatch.data?.candidates.find((c) => c.unit_id === unitId) ?? this.dispatch.data?.unranked.find((c) => c.unit_id === unitId);
    this.assigning = unitId;
    this.conflict = null;
    this.renderDispatch();
    try {
      const result = await patrolApi.dispatch(id, unitId);
      this.options.toast(t('patrol.dispatch.assigned', {
        unit: result.call_sign, id: String(result.incident_id), eta: formatEta(result.eta_s),
      }), 'success', 5000);
    } catch (e) {
      const kind = e instanceof ApiError && e.status === 409 ? conflictKind(e.problem?.type) : null;
      if (kind) {
        const detail = (e as ApiError).problem?.detail ?? (e as ApiError).problem?.title ?? '';
        this.conflict = `${tk(`patrol.conflict.${kind}`, { unit: unit?.call_sign ?? `#${unitId}` })} ${detail}`.trim();
        this.options.toast(this.conflict, 'error', 8000);
      } else {
        this.options.toast(t('error.generic', { message: errorText(e) }), 'error');
      }
    } finally {
      this.assigning = null;
    }
    await this.loadDispatch();
  }

  /** Shows points on the map beside the panel. */
  private fitTo(points: readonly (readonly number[])[]): void {
    if (!points.length) return;
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const p of points) {
      w = Math.min(w, p[0]!);
      e = Math.max(e, p[0]!);
      s = Math.min(s, p[1]!);
      n = Math.max(n, p[1]!);
    }
    const left = this.isOpen ? this.root.getBoundingClientRect().width + 40 : 40;
    this.options.map.map.fitBounds([[w, s], [e, n]], { padding: { top: 70, bottom: 60, left, right: 60 }, maxZoom: 16, duration: 800, essential: true });
  }

  // ---- bands ------------------------------------------------------------------------------------------------------

  setBands(on: boolean): void {
    if (on === this.bandsOn) return;
    this.bandsOn = on;
    this.layers.setGroup('bands', on);
    if (on) {
      void this.loadBands();
    } else {
      this.bands.abort?.abort();
      this.bands.loading = false;
      this.bandsRefresh.cancel();
      this.stopTicker();
    }
    this.renderStrip();
    if (this.tab === 'response') this.renderResponse();
  }

  private async loadBands(): Promise<void> {
    if (!this.isOpen || !this.bandsOn) return;
    this.bandsRefresh.cancel();
    this.bandsRefresh.ran();
    const s = this.bands;
    s.abort?.abort();
    const abort = (s.abort = new AbortController());
    s.loading = true;
    this.bandsStarted = Date.now();
    this.startTicker();
    this.renderStrip();
    if (this.tab === 'response') this.renderResponse();
    try {
      const data = await patrolApi.responseCoverage(responseBands, abort.signal);
      if (abort.signal.aborted) return;
      s.data = data;
      s.error = null;
      s.fetches++;
      this.layers.setBands(data.bands);
    } catch (e) {
      if (abort.signal.aborted) return;
      s.error = errorText(e);
    }
    s.loading = false;
    this.stopTicker();
    // a refresh asked for while this one computed runs after the interval
    this.renderStrip();
    if (this.tab === 'response') this.renderResponse();
  }

  private startTicker(): void {
    this.stopTicker();
    this.bandsTicker = setInterval(() => this.renderStrip(), 1000);
  }

  private stopTicker(): void {
    if (this.bandsTicker) clearInterval(this.bandsTicker);
    this.bandsTicker = null;
  }

  // ---- routes by level, hot-spot reach, suggestion, dosage ----------------------------------------------------------

  private async fetchInto<T>(s: Section<T>, fetch: (signal: AbortSignal) => Promise<T>, after: () => void): Promise<boolean> {
    s.abort?.abort();
    const abort = (s.abort = new AbortController());
    s.loading = true;
    s.error = null;
    after();
    let ok = false;
    try {
      const data = await fetch(abort.signal);
      if (abort.signal.aborted) return false;
      s.data = data;
      s.missing = false;
      s.fetches++;
      ok = true;
    } catch (e) {
      if (abort.signal.aborted) return false;
      if (isMissing(e)) s.missing = true;
      else s.error = errorText(e);
    }
    s.loading = false;
    after();
    return ok;
  }

  private async loadOverview(): Promise<void> {
    if (!this.isOpen) return;
    this.overviewRefresh.ran();
    await this.fetchInto(this.overview, (signal) => patrolApi.overview(signal), () => { if (this.tab === 'routes') this.renderRoutes(); });
  }

  private async loadReach(): Promise<void> {
    if (!this.isOpen) return;
    const ok = await this.fetchInto(this.reach, (signal) => patrolApi.hotspotCoverage(this.reachMinutes, signal), () => { if (this.tab === 'routes') this.renderRoutes(); });
    if (ok) this.layers.setUnreached(this.reach.data?.unreached ?? null);
  }

  private async loadDosage(): Promise<void> {
    if (!this.isOpen) return;
    const range = defaultDosageRange(Date.now(), this.dosageHours);
    await this.fetchInto(this.dosage, (signal) => patrolApi.dosage(range.from, range.to, signal), () => { if (this.tab === 'dosage') this.renderDosage(); });
  }

  async runSuggestion(): Promise<void> {
    if (suggestProblems(this.suggest).length) {
      this.renderSuggest();
      return;
    }
    this.accepted = null;
    const ok = await this.fetchInto(this.suggestion, (signal) => patrolApi.suggest(suggestRequest(this.suggest) as never, signal), () => { if (this.tab === 'suggest') this.renderSuggest(); });
    if (!ok) return;
    const r = this.suggestion.data!;
    this.layers.setSuggestion(r);
    this.acceptName = t('patrol.suggest.defaultName', { time: formatTime(Date.now()) });
    const points = [...(r.geometry?.coordinates ?? []), ...r.stops.map((s) => s.location)];
    if (points.length) this.fitTo(points);
    this.renderSuggest();
  }

  private async pickStart(): Promise<void> {
    if (this.picking) {
      this.options.map.cancelPick();
      return;
    }
    this.picking = true;
    this.renderSuggest();
    this.options.toast(t('patrol.suggest.pickHint'), 'info', 5000);
    try {
      const p = await this.options.map.pickLocation();
      if (p) this.suggest = { ...this.suggest, start: p };
    } finally {
      this.picking = false;
      this.renderSuggest();
    }
  }

  /** Adds waypoints by clicking the map until the button is pressed again (or Esc); the route follows the roads. */
  private async drawWaypoints(): Promise<void> {
    if (this.drawing) {
      this.drawing = false;
      this.options.map.cancelPick();
      return;
    }
    this.drawing = true;
    this.drawSaved = null;
    this.renderSuggest();
    this.options.toast(t('patrol.draw.hint'), 'info', 5000);
    try {
      while (this.drawing) {
        const p = await this.options.map.pickLocation();
        if (!p) break;
        this.suggest = { ...this.suggest, waypoints: [...this.suggest.waypoints, p] };
        await this.routeDrawn(true);
      }
    } finally {
      this.drawing = false;
      this.renderSuggest();
    }
  }

  /** Routes the drawn waypoints; a waypoint the roads cannot take (off the network, unreachable) is dropped again. */
  private async routeDrawn(justAdded = false): Promise<void> {
    const st = this.suggest;
    this.drawSaved = null;
    if (st.waypoints.length < 2) {
      this.drawn.abort?.abort();
      this.drawn.data = null;
      this.drawn.error = null;
      this.layers.setDrawn(null, st.waypoints);
      this.renderSuggest();
      return;
    }
    const ok = await this.fetchInto(this.drawn, (signal) => patrolApi.route(routeRequest(st), signal), () => { if (this.tab === 'suggest') this.renderSuggest(); });
    if (ok && this.drawn.data) {
      this.layers.setDrawn(this.drawn.data.geometry, this.drawn.data.snapped);
    } else if (!ok && this.drawn.error !== null && justAdded) {
      this.suggest = { ...this.suggest, waypoints: st.waypoints.slice(0, -1) };
      this.layers.setDrawn(this.drawn.data?.geometry ?? null, this.suggest.waypoints);
    }
    this.renderSuggest();
  }

  /** Saves the drawn route as a new active route (the server checks the route rules). */
  async saveDrawn(): Promise<void> {
    const r = this.drawn.data;
    if (!r) return;
    const id = await this.createRoute(lineRoute(r.geometry, this.suggest.mode, this.acceptName.trim() || t('patrol.draw.defaultName', { time: formatTime(Date.now()) }),
      this.acceptLevel, nextQuarterHour(Date.now()), this.suggest.minutes));
    if (id !== null) this.drawSaved = id;
    this.renderSuggest();
  }

  async acceptSuggestion(): Promise<void> {
    const r = this.suggestion.data;
    if (!r) return;
    const id = await this.createRoute(suggestionRoute(r, this.acceptName.trim() || t('patrol.suggest.defaultName', { time: formatTime(Date.now()) }), this.acceptLevel,
      nextQuarterHour(Date.now()), this.suggest.minutes));
    if (id !== null) this.accepted = id;
    this.renderSuggest();
  }

  /** Creates the route (planning:write), shows it at once, and says so; the new id, or null when it was refused. */
  private async createRoute(feature: ReturnType<typeof lineRoute>): Promise<number | null> {
    if (!feature || this.accepting || !this.planning) return null;
    this.accepting = true;
    this.renderSuggest();
    try {
      const { data, response } = await patrolApi.createRoute(feature);
      const seq = response.headers.get('X-Change-Seq');
      this.options.applyLocal('patrol_routes', data, data.id, seq ? Number(seq) : undefined);
      this.options.toast(t('patrol.suggest.accepted', { name: data.properties?.name ?? '', id: String(data.id) }), 'success');
      this.overview.data = null;
      return data.id;
    } catch (e) {
      this.options.toast(t('patrol.suggest.acceptFailed', { message: errorText(e) }), 'error', 8000);
      return null;
    } finally {
      this.accepting = false;
    }
  }

  async selectRoute(id: number): Promise<void> {
    this.selectedRoute = id;
    this.root.querySelectorAll('.pt-route.selected').forEach((el) => el.classList.remove('selected'));
    this.root.querySelector(`.pt-route[data-route='${id}']`)?.classList.add('selected');
    try {
      const route = await api.get<PatrolRouteProperties>('patrol-routes', id);
      if (this.selectedRoute !== id || !route.geometry) return;
      const geometry = route.geometry as GeoJSON.Geometry;
      this.layers.highlightRoute(geometry);
      const points: number[][] = [];
      const visit = (c: unknown): void => {
        if (Array.isArray(c) && typeof c[0] === 'number') points.push(c as number[]);
        else if (Array.isArray(c)) for (const x of c) visit(x);
      };
      if ('coordinates' in geometry) visit(geometry.coordinates);
      this.fitTo(points);
    } catch (e) {
      this.options.toast(t('error.generic', { message: errorText(e) }), 'error');
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  render(): void {
    clear(this.button, icon('patrol'), h('span', {}, t('patrol.button')));
    this.button.title = t('patrol.buttonTitle');
    this.root.setAttribute('aria-label', t('patrol.title'));
    clear(this.root,
      h('div', { class: 'cov-head' },
        h('h2', { class: 'cov-title' }, t('patrol.title')),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('patrol.close'), title: t('patrol.close'), onclick: () => this.toggle(false) }, '×')),
      h('div', { class: 'pt-tabs', role: 'tablist' }, tabs.map((id) => h('button', {
        type: 'button', role: 'tab', class: 'hs-tab', 'aria-selected': String(this.tab === id), dataset: { tab: id }, onclick: () => this.setTab(id),
      }, tk(`patrol.tab.${id}`)))),
      h('div', { class: 'pt-strip' }),
      this.body);
    this.renderStrip();
    this.renderBody();
  }

  private renderBody(): void {
    switch (this.tab) {
      case 'dispatch': this.renderDispatch(); break;
      case 'response': this.renderResponse(); break;
      case 'routes': this.renderRoutes(); break;
      case 'suggest': this.renderSuggest(); break;
      case 'dosage': this.renderDosage(); break;
    }
  }

  /** The bands switch with its legend and progress, shown on every tab. */
  private renderStrip(): void {
    const strip = this.root.querySelector<HTMLElement>('.pt-strip');
    if (!strip) return;
    const input = h('input', { type: 'checkbox', class: 'switch', checked: this.bandsOn, dataset: { layer: 'bands' } });
    input.addEventListener('change', () => this.setBands(input.checked));
    const b = this.bands;
    const elapsed = Math.max(0, Math.round((Date.now() - this.bandsStarted) / 1000));
    const state = !this.bandsOn ? null
      : b.loading ? h('span', { class: 'hs-loading pt-progress', role: 'progressbar', 'aria-busy': 'true' }, h('span', { class: 'pt-spinner', 'aria-hidden': 'true' }), t('patrol.bands.computing', { s: elapsed }))
        : b.error ? h('span', { class: 'hs-error' }, b.error)
          : b.data ? h('span', { class: 'pt-bands-meta', dataset: { computedAt: b.data.computed_at } }, t('patrol.bands.meta', { units: b.data.units, time: formatTime(b.data.computed_at, locale(), true) })) : null;
    clear(strip,
      h('label', { class: 'cov-layer pt-bands-switch', title: t('patrol.bands.hint') }, input, h('span', { class: 'cov-layer-name' }, t('patrol.bands.toggle'))),
      h('div', { class: 'pt-legend', dataset: { legend: 'bands' } }, responseBands.map((s) => h('span', { class: 'legend-item', dataset: { band: String(s) } },
        swatch(bandColor(s), 'square'), h('span', {}, bandName(s))))),
      state ? h('div', { class: 'pt-strip-state', 'aria-live': 'polite' }, state) : null);
  }

  private status(s: Section<unknown>, computedAt: string | null | undefined, reload: () => void): HTMLElement {
    return h('div', { class: 'hs-status-row pt-status' },
      computedAt ? h('span', { class: 'hs-computed pt-computed' }, t('patrol.computedAt', { time: formatDateTime(computedAt) })) : null,
      s.loading ? h('span', { class: 'hs-loading' }, t('patrol.loading')) : null,
      s.error ? h('span', { class: 'hs-error' }, s.error) : null,
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'reload' }, disabled: s.loading, onclick: reload }, t('patrol.reload')));
  }

  private missingNote(what: string): HTMLElement {
    return h('div', { class: 'panel-note pt-missing', dataset: { missing: what } }, t('patrol.missing'));
  }

  // ---- dispatch view --------------------------------------------------------------------------------------------------

  private renderDispatch(): void {
    if (this.tab !== 'dispatch') return;
    const scroll = this.body.scrollTop;
    const id = this.incidentId;
    if (id === null) {
      clear(this.body, h('div', { class: 'panel-note pt-empty' }, t('patrol.dispatch.choose')));
      return;
    }
    const s = this.dispatch;
    const d = s.data;
    const statusChip = d ? chip(tk(`status.${d.incident_status}`), statusColors[d.incident_status] ?? '#888') : null;
    const head = h('div', { class: 'pt-incident' },
      h('span', { class: 'pt-incident-title' }, t('patrol.dispatch.incident', { id: String(id) })), statusChip,
      d && !isOpenIncident(d.incident_status) ? h('span', { class: 'hs-error' }, t('patrol.dispatch.closed')) : null);
    const conflict = this.conflict ? h('div', { class: 'pt-conflict', role: 'alert' }, this.conflict,
      h('button', { type: 'button', class: 'icon-btn small', 'aria-label': t('details.close'), onclick: () => { this.conflict = null; this.renderDispatch(); } }, '×')) : null;
    if (!d) {
      clear(this.body, head, conflict, this.status(s, null, () => void this.loadDispatch()),
        s.loading ? h('div', { class: 'panel-note' }, t('patrol.dispatch.ranking')) : null);
      return;
    }
    const ranked = rankedCandidates(d);
    clear(this.body,
      head,
      this.status(s, d.computed_at, () => void this.loadDispatch()),
      conflict,
      h('div', { class: 'cov-section-title' }, t('patrol.dispatch.ranked', { n: ranked.length })),
      ranked.length ? this.candidateTable(ranked) : h('div', { class: 'panel-note' }, t('patrol.dispatch.none')),
      d.unranked.length ? h('details', { class: 'cov-section pt-unranked', dataset: { section: 'unranked' } },
        h('summary', {}, t('patrol.dispatch.unranked', { n: d.unranked.length })),
        h('ul', { class: 'pt-list' }, d.unranked.map((c) => this.unrankedItem(c)))) : null,
      h('div', { class: 'cov-section-title' }, t('patrol.dispatch.assignedTitle', { n: d.assigned.length })),
      d.assigned.length ? h('ul', { class: 'pt-list pt-assigned' }, d.assigned.map((a) => h('li', { dataset: { unit: String(a.unit_id) } },
        h('span', { class: 'pt-call' }, a.call_sign),
        h('span', { class: 'pt-sub' }, t('patrol.dispatch.assignedAt', { time: formatTime(a.assigned_at, locale(), true), actor: a.actor })),
        h('span', { class: 'pt-eta' }, formatEta(a.eta_s)),
        a.arrived_at ? chip(t('patrol.dispatch.arrived', { time: formatTime(a.arrived_at) }), '#3ddc97') : chip(t('patrol.dispatch.enRoute'), '#ff9f1a'))))
        : h('div', { class: 'panel-note' }, t('patrol.dispatch.noneAssigned')),
      this.mayAssign ? null : h('div', { class: 'hs-hint' }, t('patrol.dispatch.readOnly')));
    this.body.scrollTop = scroll;
  }

  private candidateTable(ranked: DispatchCandidate[]): HTMLElement {
    const assign = this.mayAssign && isOpenIncident(this.dispatch.data?.incident_status);
    return h('table', { class: 'cov-table pt-candidates' },
      h('thead', {}, h('tr', {},
        h('th', { class: 'num' }, '#'), h('th', {}, t('patrol.col.unit')), h('th', { class: 'num' }, t('patrol.col.eta')),
        h('th', { class: 'num' }, t('patrol.col.distance')), h('th', {}, t('patrol.col.age')), assign ? h('th', {}) : null)),
      h('tbody', {}, ranked.map((c, i) => {
        const stale = isStale(c);
        const row = h('tr', {
          dataset: { unit: String(c.unit_id), eta: String(c.eta_s) }, class: `${i === 0 ? 'best' : ''}${c.route ? ' has-route' : ''}`,
          onmouseenter: () => this.layers.hoverUnit(c.unit_id), onmouseleave: () => this.layers.hoverUnit(null),
          onclick: (e: Event) => { if (!(e.target as HTMLElement).closest('button') && c.route) this.fitTo(c.route.coordinates); },
        },
        h('td', { class: 'num pt-rank' }, c.route ? h('span', { class: 'pt-route-mark', style: { background: i === 0 ? patrolColors.best : patrolColors.route } }, String(i + 1)) : String(i + 1)),
        h('td', {}, h('div', { class: 'pt-unit' },
          h('span', { class: 'pt-call' }, c.call_sign),
          h('span', { class: 'pt-sub' }, swatch(levelColors[c.level], 'dot'), `${tk(`mode.${c.mode}`)} · ${t('patrol.levelShort', { n: c.level })}`, c.district ? ` · ${this.options.districtLabel(c.district)}` : ''))),
        h('td', { class: 'num pt-eta' }, formatEta(c.eta_s)),
        h('td', { class: 'num' }, km(c.distance_m)),
        h('td', { class: stale ? 'pt-age stale' : 'pt-age' }, ageText(c.position_age_s), stale ? h('span', { class: 'pt-stale', title: t('patrol.staleHint') }, t('patrol.stale')) : null),
        assign ? h('td', {}, h('button', {
          type: 'button', class: 'btn btn-small btn-primary pt-assign', dataset: { action: 'assign', unit: String(c.unit_id) },
          disabled: this.assigning !== null, onclick: () => void this.assign(c.unit_id),
        }, this.assigning === c.unit_id ? t('patrol.dispatch.assigning') : t('patrol.dispatch.assign'))) : null);
        return row;
      })));
  }

  private unrankedItem(c: DispatchCandidate): HTMLElement {
    const key = unreachableKey(c.unreachable);
    return h('li', { dataset: { unit: String(c.unit_id) } },
      h('span', { class: 'pt-call' }, c.call_sign),
      h('span', { class: 'pt-sub' }, `${tk(`mode.${c.mode}`)} · ${t('patrol.levelShort', { n: c.level })}`),
      h('span', { class: 'pt-reason' }, key ? tk(key) : c.unreachable ?? '—'));
  }

  // ---- 1-3-5 -------------------------------------------------------------------------------------------------------

  private renderResponse(): void {
    if (this.tab !== 'response') return;
    const scroll = this.body.scrollTop;
    const s = this.bands;
    const r = s.data;
    if (!this.bandsOn && !r) {
      clear(this.body, h('div', { class: 'panel-note pt-empty' }, t('patrol.bands.off')),
        h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'bands-on' }, onclick: () => this.setBands(true) }, t('patrol.bands.show')));
      return;
    }
    if (!r) {
      clear(this.body, h('div', { class: 'panel-note' }, s.error ?? t('patrol.bands.first')));
      return;
    }
    const table = shareTable(r, this.metric);
    const kpis = h('div', { class: 'cov-kpis' }, table.seconds.map((sec, i) => {
      const kpi = h('div', { class: 'cov-kpi pt-band-kpi', dataset: { band: String(sec) } },
        h('div', { class: 'cov-kpi-label' }, swatch(bandColor(sec), 'square'), ' ', bandName(sec)),
        h('div', { class: 'cov-kpi-value' }, pct(table.rows[table.rows.length - 1]!.shares[i], 0)),
        h('div', { class: 'cov-kpi-sub' }, `${formatNumber(r.bands.find((b) => b.seconds === sec)?.area_km2 ?? 0, { maximumFractionDigits: 1 })} km²`));
      return kpi;
    }));
    const seg = h('div', { class: 'segmented pt-metrics', role: 'group' }, shareMetrics.map((m) => h('button', {
      type: 'button', class: 'seg', 'aria-pressed': String(this.metric === m), dataset: { metric: m },
      onclick: () => { this.metric = m; this.renderResponse(); },
    }, tk(`patrol.metric.${m}`))));
    const baseText = (base: number): string => (this.metric === 'incidents' ? formatNumber(base) : `${formatNumber(base, { maximumFractionDigits: 1 })}`);
    clear(this.body,
      h('div', { class: 'hs-period' }, t('patrol.bands.summary', { units: r.units, days: r.incident_days })),
      kpis,
      h('div', { class: 'pt-metric-row' }, seg, h('span', { class: 'hs-hint' }, tk(`patrol.metricHint.${this.metric}`, { days: r.incident_days }))),
      h('table', { class: 'cov-table pt-shares', dataset: { metric: this.metric } },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.district')), table.seconds.map((sec) => h('th', { class: 'num' }, swatch(bandColor(sec), 'square'), ' ', bandName(sec))),
          h('th', { class: 'num' }, tk(`patrol.base.${this.metric}`)))),
        h('tbody', {}, table.rows.map((row) => h('tr', { dataset: { district: row.district }, class: row.total ? 'pt-total' : '' },
          h('td', {}, row.total ? t('patrol.total') : this.districtName(row)),
          row.shares.map((v, i) => h('td', { class: 'num', dataset: { share: v === null ? '' : String(v) } }, h('span', { class: 'pt-share' },
            h('span', { class: 'pt-share-bar', style: { width: `${Math.round((v ?? 0) * 100)}%`, background: bandColor(table.seconds[i]!) } }), h('span', { class: 'pt-share-value' }, pct(v))))),
          h('td', { class: 'num pt-base' }, baseText(row.base)))))),
      h('div', { class: 'hs-hint' }, t('patrol.bands.method')));
    this.body.scrollTop = scroll;
  }

  private districtName(row: { district: string; name: string | null; name_en: string | null }): string {
    const label = this.options.districtLabel(row.district);
    if (label !== row.district) return label;
    return (locale() === 'en' ? row.name_en ?? row.name : row.name) ?? row.district;
  }

  // ---- routes by level and hot-spot reach ------------------------------------------------------------------------------

  private renderRoutes(): void {
    if (this.tab !== 'routes') return;
    const scroll = this.body.scrollTop;
    const o = this.overview;
    const reach = this.reachSection();
    let routes: (HTMLElement | null)[];
    if (o.missing) routes = [this.missingNote('overview')];
    else if (!o.data) routes = [o.loading ? h('div', { class: 'panel-note' }, t('patrol.loading')) : o.error ? h('div', { class: 'hs-error' }, o.error) : null];
    else {
      routes = groupByLevel(o.data.routes).map((g) => h('details', { class: 'cov-section pt-level', open: true, dataset: { level: String(g.level) } },
        h('summary', {}, swatch(levelColors[g.level], g.level === 1 ? 'line' : g.level === 2 ? 'dash' : 'dots'), ' ', tk(`level.${g.level}`),
          h('span', { class: 'pt-level-meta' }, t('patrol.routes.levelMeta', { n: g.routes.length, on: g.onShift, problems: g.problems }))),
        g.routes.length ? h('ul', { class: 'pt-routes' }, g.routes.map((r) => this.routeItem(r))) : h('div', { class: 'panel-note' }, t('patrol.routes.none'))));
    }
    // the reach per level first (three rows), then the routes of each level
    clear(this.body,
      reach,
      o.data || o.loading || o.error ? this.status(o, o.data?.computed_at, () => void this.loadOverview()) : null,
      ...routes);
    this.body.scrollTop = scroll;
  }

  private routeItem(r: RouteOverview): HTMLElement {
    const units = unitsOnRoute(r);
    const day = (d: number): string => tk(`patrol.day.${d}`);
    return h('li', { class: `pt-route${this.selectedRoute === r.id ? ' selected' : ''}`, dataset: { route: String(r.id) } },
      h('div', { class: 'pt-route-head' },
        h('button', { type: 'button', class: 'link-btn pt-route-name', title: `${r.name} — ${t('patrol.routes.flyTo')}`, onclick: () => void this.selectRoute(r.id) }, r.name),
        h('span', { class: 'pt-sub' }, `${tk(`mode.${r.mode}`)} · ${km(r.length_m)} · ${t('patrol.routes.loop', { min: formatNumber(Math.round(r.loop_minutes)) })}`),
        r.status !== 'active' ? chip(tk(`routeStatus.${r.status}`), '#7b8794') : r.on_shift_now ? chip(t('patrol.routes.onShift'), '#3ddc97') : chip(t('patrol.routes.offShift'), '#7b8794')),
      r.shift_windows.length ? h('div', { class: 'pt-sub pt-shifts' }, shiftText(r.shift_windows, day, t('patrol.day.every'))) : null,
      r.units.length ? h('div', { class: 'pt-route-units' },
        r.units.map((u) => h('span', {
          class: `pt-unit-chip ${u.on_route === true ? 'on' : u.on_route === false ? 'off' : ''}`, dataset: { unit: String(u.unit_id) },
          title: u.on_route === false && u.distance_m !== null ? t('patrol.routes.offBy', { m: formatNumber(Math.round(u.distance_m)) }) : tk(`unitStatus.${u.status}`),
        }, swatch(unitStatusColors[u.status] ?? '#7b8794', 'dot'), u.call_sign, ' ', u.on_route === true ? '✓' : u.on_route === false ? '✗' : '?')),
        h('span', { class: 'hs-hint' }, t('patrol.routes.unitsMeta', { on: units.on, off: units.off }))) : h('div', { class: 'hs-hint' }, t('patrol.routes.noUnits')),
      r.problems.length ? h('ul', { class: 'pt-problems' }, r.problems.map((p) => h('li', { dataset: { code: p.code } }, '⚠ ', p.message))) : null);
  }

  private reachSection(): HTMLElement {
    const s = this.reach;
    const minutes = h('select', { class: 'hs-select', dataset: { field: 'reachMinutes' }, 'aria-label': t('patrol.reach.minutes') },
      [3, 5, 10].map((m) => h('option', { value: String(m), selected: m === this.reachMinutes }, t('patrol.band.min', { n: m }))));
    minutes.addEventListener('change', () => { this.reachMinutes = Number(minutes.value); void this.loadReach(); });
    const toggle = h('input', { type: 'checkbox', class: 'switch', checked: this.layers.isOn('unreached'), dataset: { layer: 'unreached' } });
    toggle.addEventListener('change', () => this.layers.setGroup('unreached', toggle.checked));
    const r = s.data;
    return h('div', { class: 'pt-reach', dataset: { section: 'reach' } },
      h('div', { class: 'cov-section-title' }, t('patrol.reach.title'), h('span', { class: 'spacer' }), minutes),
      s.missing ? this.missingNote('hotspot-coverage') : s.loading && !r ? h('div', { class: 'panel-note' }, t('patrol.loading')) : s.error ? h('div', { class: 'hs-error' }, s.error) : null,
      r ? h('div', { class: 'hs-period' }, t('patrol.reach.meta', { cells: r.hot_cells, minutes: r.minutes })) : null,
      r ? h('table', { class: 'cov-table pt-reach-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.level')), h('th', { class: 'num' }, t('patrol.reach.routes')), h('th', { class: 'num' }, t('patrol.reach.cells')),
          h('th', { class: 'num' }, t('patrol.reach.share')), h('th', { class: 'num' }, t('patrol.reach.priority')))),
        h('tbody', {}, [...r.levels].sort((a, b) => a.level - b.level).map((l) => h('tr', { dataset: { level: String(l.level) } },
          h('td', {}, swatch(levelColors[l.level], 'dot'), ' ', tk(`level.${l.level}`)),
          h('td', { class: 'num' }, formatNumber(l.routes)),
          h('td', { class: 'num' }, `${formatNumber(l.cells_reached)}/${formatNumber(l.total_cells)}`),
          h('td', { class: 'num' }, pct(l.share)),
          h('td', { class: 'num' }, pct(l.priority_share)))))) : null,
      r ? h('label', { class: 'cov-layer pt-unreached-switch' }, toggle, swatch(patrolColors.unreached, 'square'),
        h('span', { class: 'cov-layer-name' }, t('patrol.reach.unreached', { n: r.unreached.features.length }))) : null);
  }

  // ---- suggestion -----------------------------------------------------------------------------------------------------

  private renderSuggest(): void {
    if (this.tab !== 'suggest') return;
    const scroll = this.body.scrollTop;
    const st = this.suggest;
    const s = this.suggestion;
    const from = h('div', { class: 'segmented', role: 'group' }, (['unit', 'point', 'draw'] as const).map((f) => h('button', {
      type: 'button', class: 'seg', 'aria-pressed': String(st.from === f), dataset: { from: f }, onclick: () => this.setSuggestFrom(f),
    }, tk(`patrol.suggest.from.${f}`))));
    const units = [...this.options.map.units.units.values()].filter((u) => u.properties && u.geometry)
      .sort((a, b) => String(a.properties!.call_sign).localeCompare(String(b.properties!.call_sign)));
    const unit = h('select', { class: 'hs-select', dataset: { field: 'unit' }, 'aria-label': t('patrol.col.unit') },
      h('option', { value: '', selected: st.unitId === null }, t('patrol.suggest.chooseUnit')),
      units.map((u) => h('option', { value: String(u.id), selected: u.id === st.unitId }, `${u.properties!.call_sign} · ${tk(`mode.${u.properties!.mode}`)} · ${tk(`unitStatus.${u.properties!.status}`)}`)));
    unit.addEventListener('change', () => { this.suggest = { ...this.suggest, unitId: unit.value ? Number(unit.value) : null }; this.renderSuggest(); });
    const mode = h('select', { class: 'hs-select', dataset: { field: 'mode' }, 'aria-label': t('field.mode') },
      patrolModes.map((m) => h('option', { value: m, selected: m === st.mode }, tk(`mode.${m}`))));
    mode.addEventListener('change', () => {
      this.suggest = { ...this.suggest, mode: mode.value as PatrolMode };
      if (this.suggest.from === 'draw') void this.routeDrawn();
    });
    const number = (field: 'minutes' | 'dwellMinutes', min: number, max: number): HTMLInputElement => {
      const input = h('input', { type: 'number', class: 'hs-number', min: String(min), max: String(max), step: '1', value: String(st[field]), dataset: { field } });
      input.addEventListener('change', () => { this.suggest = { ...this.suggest, [field]: Number(input.value) }; this.renderSuggest(); });
      return input;
    };
    const problems = suggestProblems(st);
    const field = (label: string, control: HTMLElement): HTMLElement => h('label', { class: 'hs-field' }, h('span', {}, label), control);
    if (st.from === 'draw') {
      clear(this.body,
        h('div', { class: 'hs-hint' }, t('patrol.draw.intro')),
        h('div', { class: 'pt-form' },
          field(t('patrol.suggest.fromLabel'), from),
          h('div', { class: 'pt-start' }, field(t('field.mode'), mode),
            h('label', { class: 'hs-check' }, h('input', {
              type: 'checkbox', checked: st.loop, dataset: { field: 'loop' },
              onchange: (e: Event) => { this.suggest = { ...this.suggest, loop: (e.target as HTMLInputElement).checked }; void this.routeDrawn(); },
            }), h('span', {}, t('patrol.draw.loop')))),
          field(t('patrol.suggest.minutes'), number('minutes', 10, 720)),
          h('div', { class: 'btn-row' },
            h('button', { type: 'button', class: `btn btn-small${this.drawing ? ' btn-primary' : ''}`, dataset: { action: 'draw-waypoints' }, onclick: () => void this.drawWaypoints() },
              this.drawing ? t('patrol.draw.finish') : t('patrol.draw.add')),
            h('button', {
              type: 'button', class: 'btn btn-small', dataset: { action: 'undo-waypoint' }, disabled: st.waypoints.length === 0,
              onclick: () => { this.suggest = { ...this.suggest, waypoints: st.waypoints.slice(0, -1) }; void this.routeDrawn(); },
            }, t('patrol.draw.undo')),
            h('button', {
              type: 'button', class: 'btn btn-small', dataset: { action: 'clear-waypoints' }, disabled: st.waypoints.length === 0,
              onclick: () => { this.suggest = { ...this.suggest, waypoints: [] }; void this.routeDrawn(); },
            }, t('patrol.draw.clear')),
            h('span', { class: 'hs-hint' }, t('patrol.draw.count', { n: st.waypoints.length })))),
        this.drawn.loading ? h('div', { class: 'panel-note' }, t('patrol.suggest.running')) : null,
        this.drawn.error ? h('div', { class: 'hs-error', role: 'alert' }, this.drawn.error) : null,
        this.drawn.data && st.waypoints.length >= 2 ? this.drawnResult(this.drawn.data) : null);
      this.body.scrollTop = scroll;
      return;
    }
    clear(this.body,
      h('div', { class: 'hs-hint' }, t('patrol.suggest.intro')),
      h('div', { class: 'pt-form' },
        field(t('patrol.suggest.fromLabel'), from),
        st.from === 'unit' ? field(t('patrol.col.unit'), unit)
          : h('div', { class: 'pt-start' }, field(t('field.mode'), mode),
            h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'pick-start' }, onclick: () => void this.pickStart() },
              this.picking ? t('patrol.suggest.picking') : t('patrol.suggest.pick')),
            h('span', { class: 'hs-hint' }, st.start ? `${st.start[1].toFixed(5)}, ${st.start[0].toFixed(5)}` : '')),
        h('div', { class: 'pt-grid-2' }, field(t('patrol.suggest.minutes'), number('minutes', 10, 720)), field(t('patrol.suggest.dwell'), number('dwellMinutes', 0, 60)))),
      problems.length ? h('div', { class: 'hs-problems' }, problems.map((p) => tk(p)).join(' ')) : null,
      h('div', { class: 'btn-row' }, h('button', {
        type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'suggest' }, disabled: problems.length > 0 || s.loading, onclick: () => void this.runSuggestion(),
      }, s.loading ? t('patrol.suggest.running') : t('patrol.suggest.run'))),
      s.missing ? this.missingNote('suggest') : s.error ? h('div', { class: 'hs-error' }, s.error) : null,
      s.data ? this.suggestionResult(s.data) : null);
    this.body.scrollTop = scroll;
  }

  private setSuggestFrom(f: SuggestSettings['from']): void {
    if (f !== 'draw' && this.drawing) {
      this.drawing = false;
      this.options.map.cancelPick();
    }
    this.suggest = { ...this.suggest, from: f };
    // the map shows what the chosen way has made: the drawn route or the suggested loop
    if (f === 'draw') this.layers.setDrawn(this.drawn.data && this.suggest.waypoints.length >= 2 ? this.drawn.data.geometry : null, this.suggest.waypoints);
    else this.layers.setSuggestion(this.suggestion.data);
    this.renderSuggest();
  }

  /** Name and level of the route to create, and the button that creates it (planning:write only). */
  private acceptControls(action: string, saved: number | null, label: string, create: () => void): HTMLElement | null {
    if (!this.planning) return null;
    const name = h('input', { class: 'hs-number pt-name', value: this.acceptName, maxLength: 200, dataset: { field: 'routeName' }, 'aria-label': t('field.name') });
    name.addEventListener('input', () => { this.acceptName = name.value; });
    const level = h('select', { class: 'hs-select', dataset: { field: 'level' }, 'aria-label': t('field.level') },
      ([1, 2, 3] as const).map((l) => h('option', { value: String(l), selected: l === this.acceptLevel }, tk(`level.${l}`))));
    level.addEventListener('change', () => { this.acceptLevel = Number(level.value) as PatrolLevel; });
    return h('div', { class: 'pt-accept' },
      h('div', { class: 'pt-grid-2' }, h('label', { class: 'hs-field' }, h('span', {}, t('field.name')), name), h('label', { class: 'hs-field' }, h('span', {}, t('field.level')), level)),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { action }, disabled: this.accepting || saved !== null, onclick: create },
          this.accepting ? t('patrol.suggest.accepting') : saved !== null ? t('patrol.suggest.acceptedShort', { id: String(saved) }) : label),
        h('span', { class: 'hs-hint' }, t('patrol.suggest.acceptHint', { start: nextQuarterHour(Date.now()), min: this.suggest.minutes }))));
  }

  private drawnResult(r: RoutedPath): HTMLElement {
    return h('div', { class: 'cov-results pt-suggestion' },
      h('div', { class: 'cov-kpis' },
        h('div', { class: 'cov-kpi' }, h('div', { class: 'cov-kpi-label' }, t('patrol.draw.length')), h('div', { class: 'cov-kpi-value', dataset: { kpi: 'length' } }, km(r.length_m))),
        h('div', { class: 'cov-kpi' }, h('div', { class: 'cov-kpi-label' }, t('patrol.suggest.travel')), h('div', { class: 'cov-kpi-value' }, duration(r.seconds))),
        h('div', { class: 'cov-kpi' }, h('div', { class: 'cov-kpi-label' }, t('patrol.draw.legs')), h('div', { class: 'cov-kpi-value' }, formatNumber(r.legs.length)))),
      this.acceptControls('save-drawn', this.drawSaved, t('patrol.draw.save'), () => void this.saveDrawn()));
  }

  private suggestionResult(r: RouteSuggestion): HTMLElement {
    const over = r.total_s > r.budget_s + 1;
    return h('div', { class: 'cov-results pt-suggestion' },
      h('div', { class: 'cov-kpis' },
        h('div', { class: 'cov-kpi' }, h('div', { class: 'cov-kpi-label' }, t('patrol.suggest.stops')), h('div', { class: 'cov-kpi-value' }, formatNumber(r.stops.length)),
          h('div', { class: 'cov-kpi-sub' }, t('patrol.suggest.priority', { p: formatNumber(r.collected_priority, { maximumFractionDigits: 1 }) }))),
        h('div', { class: 'cov-kpi' }, h('div', { class: 'cov-kpi-label' }, t('patrol.suggest.travel')), h('div', { class: 'cov-kpi-value' }, duration(r.travel_s)),
          h('div', { class: 'cov-kpi-sub' }, t('patrol.suggest.dwellTotal', { d: duration(r.dwell_s) }))),
        h('div', { class: `cov-kpi ${over ? 'bad' : 'good'}` }, h('div', { class: 'cov-kpi-label' }, t('patrol.suggest.total')), h('div', { class: 'cov-kpi-value' }, duration(r.total_s)),
          h('div', { class: 'cov-kpi-sub' }, t('patrol.suggest.budget', { b: duration(r.budget_s) })))),
      r.stops.length ? h('ol', { class: 'pt-stops' }, r.stops.map((stop, i) => h('li', { dataset: { stop: String(i + 1) } },
        h('span', { class: 'cov-rank', style: { background: patrolColors.suggestion } }, String(i + 1)),
        h('button', { type: 'button', class: 'link-btn', onclick: () => this.options.map.flyTo(stop.location, 17) }, stop.cell),
        h('span', { class: 'pt-sub' }, t('patrol.suggest.arrival', { t: formatEta(stop.arrival_s), p: formatNumber(stop.priority, { maximumFractionDigits: 1 }) })))))
        : h('div', { class: 'panel-note' }, t('patrol.suggest.noStops')),
      r.geometry ? this.acceptControls('accept-route', this.accepted, t('patrol.suggest.accept'), () => void this.acceptSuggestion()) : null);
  }

  // ---- dosage ---------------------------------------------------------------------------------------------------------

  private renderDosage(): void {
    if (this.tab !== 'dosage') return;
    const scroll = this.body.scrollTop;
    const s = this.dosage;
    const hours = h('div', { class: 'segmented', role: 'group' }, [8, 12, 24].map((n) => h('button', {
      type: 'button', class: 'seg', 'aria-pressed': String(this.dosageHours === n), dataset: { hours: String(n) },
      onclick: () => { this.dosageHours = n; void this.loadDosage(); },
    }, t('patrol.dosage.hours', { n }))));
    const d = s.data;
    const top = h('div', { class: 'pt-metric-row' }, hours, s.loading ? h('span', { class: 'hs-loading' }, t('patrol.loading')) : null);
    if (s.missing) {
      clear(this.body, top, this.missingNote('dosage'));
      return;
    }
    if (!d) {
      clear(this.body, top, s.error ? h('div', { class: 'hs-error' }, s.error) : null);
      return;
    }
    const sum = dosageSummary(d);
    clear(this.body,
      top,
      h('div', { class: 'hs-period' }, t('patrol.dosage.period', { from: formatDateTime(d.from), to: formatDateTime(d.to), units: d.units })),
      h('div', { class: 'cov-kpis' },
        h('div', { class: 'cov-kpi', dataset: { kpi: 'hot' } }, h('div', { class: 'cov-kpi-label' }, t('patrol.dosage.hot')), h('div', { class: 'cov-kpi-value' }, pct(d.share_of_shift)),
          h('div', { class: 'cov-kpi-sub' }, duration(d.hot_seconds))),
        h('div', { class: 'cov-kpi', dataset: { kpi: 'effective' } }, h('div', { class: 'cov-kpi-label' }, t('patrol.dosage.effective')), h('div', { class: 'cov-kpi-value' }, pct(sum.effectiveShare)),
          h('div', { class: 'cov-kpi-sub' }, t('patrol.dosage.visits', { e: sum.effective, v: sum.visits }))),
        h('div', { class: 'cov-kpi', dataset: { kpi: 'visibility' } }, h('div', { class: 'cov-kpi-label' }, t('patrol.dosage.visibility')), h('div', { class: 'cov-kpi-value' }, pct(d.visibility.rate)),
          h('div', { class: 'cov-kpi-sub' }, `${km(d.visibility.patrolled_length_m)} / ${km(d.visibility.road_length_m)}`))),
      h('div', { class: 'hs-hint' }, t('patrol.dosage.koper')),
      h('table', { class: 'cov-table pt-dosage' },
        h('thead', {}, h('tr', {}, h('th', {}, t('patrol.dosage.cell')), h('th', { class: 'num' }, t('patrol.dosage.time')), h('th', { class: 'num' }, t('patrol.dosage.visitsCol')),
          h('th', { class: 'num', title: t('patrol.dosage.shortHint') }, t('patrol.dosage.short')), h('th', { class: 'num', title: t('patrol.dosage.effectiveHint') }, t('patrol.dosage.effectiveCol')),
          h('th', { class: 'num', title: t('patrol.dosage.longHint') }, t('patrol.dosage.long')))),
        h('tbody', {}, topCells(d).map((c) => h('tr', { dataset: { cell: c.cell } },
          h('td', {}, c.cell), h('td', { class: 'num' }, duration(c.seconds)), h('td', { class: 'num' }, formatNumber(c.visits)),
          h('td', { class: 'num' }, formatNumber(c.short_visits)), h('td', { class: 'num pt-good' }, formatNumber(c.effective_visits)), h('td', { class: 'num' }, formatNumber(c.long_visits)))))),
      d.unit_rows.length ? h('details', { class: 'cov-section', dataset: { section: 'dosage-units' } },
        h('summary', {}, t('patrol.dosage.units', { n: d.unit_rows.length })),
        h('table', { class: 'cov-table' }, h('tbody', {}, [...d.unit_rows].sort((a, b) => b.share - a.share).map((u) => h('tr', { dataset: { unit: String(u.unit_id) } },
          h('td', {}, u.call_sign), h('td', { class: 'num' }, duration(u.tracked_seconds)), h('td', { class: 'num' }, duration(u.hot_seconds)), h('td', { class: 'num' }, pct(u.share))))))) : null,
      h('div', { class: 'cov-section-title' }, t('patrol.dosage.visibilityTitle')),
      h('table', { class: 'cov-table pt-visibility' }, h('tbody', {}, visibilityRows(d).map((v) => h('tr', { dataset: { district: v.district } },
        h('td', {}, this.options.districtLabel(v.district) !== v.district ? this.options.districtLabel(v.district) : v.name ?? v.district),
        h('td', { class: 'num' }, h('span', { class: 'pt-share' }, h('span', { class: 'pt-share-bar', style: { width: `${Math.round(v.rate * 100)}%` } }), h('span', { class: 'pt-share-value' }, pct(v.rate)))),
        h('td', { class: 'num' }, `${km(v.patrolled_length_m)} / ${km(v.road_length_m)}`))))));
    this.body.scrollTop = scroll;
  }

  // ---- test hooks -------------------------------------------------------------------------------------------------------

  view(): PatrolView {
    const d = this.dispatch.data;
    const counts = this.layers.sourceCounts();
    return {
      open: this.isOpen,
      tab: this.tab,
      incidentId: this.incidentId,
      dispatch: {
        loading: this.dispatch.loading, error: this.dispatch.error, fetches: this.dispatch.fetches, status: d?.incident_status ?? null, computedAt: d?.computed_at ?? null,
        candidates: d ? rankedCandidates(d).map((c) => ({ unit_id: c.unit_id, call_sign: c.call_sign, eta_s: c.eta_s })) : [],
        unranked: d?.unranked.length ?? 0, assigned: d?.assigned.map((a) => a.unit_id) ?? [],
        conflict: this.conflict, assigning: this.assigning, canAssign: this.mayAssign, routes: counts.dispatch, hovered: this.layers.hoveredUnit,
      },
      bands: {
        on: this.bandsOn, loading: this.bands.loading, error: this.bands.error, fetches: this.bands.fetches, computedAt: this.bands.data?.computed_at ?? null,
        drawn: (this.bands.data?.bands ?? []).filter((b) => b.area).map((b) => b.seconds), rows: this.root.querySelectorAll('.pt-shares tbody tr').length,
        units: this.bands.data?.units ?? null,
      },
      routes: { loading: this.overview.loading, missing: this.overview.missing, error: this.overview.error, count: this.overview.data?.routes.length ?? 0 },
      reach: { loading: this.reach.loading, missing: this.reach.missing, error: this.reach.error, levels: this.reach.data?.levels.length ?? 0, unreached: counts.unreached },
      suggestion: { loading: this.suggestion.loading, missing: this.suggestion.missing, error: this.suggestion.error, stops: counts.suggestion, accepted: this.accepted },
      draw: {
        active: this.drawing, waypoints: this.suggest.waypoints.length, loading: this.drawn.loading, error: this.drawn.error,
        lengthM: this.drawn.data?.length_m ?? null, seconds: this.drawn.data?.seconds ?? null, saved: this.drawSaved,
      },
      dosage: { loading: this.dosage.loading, missing: this.dosage.missing, error: this.dosage.error, cells: this.dosage.data?.cells.length ?? 0 },
    };
  }

  /** The features drawn on screen per group (tests). */
  rendered(): Record<PatrolLayerGroup, number> {
    return Object.fromEntries(patrolLayerGroups.map((g) => [g, this.layers.rendered(g)])) as Record<PatrolLayerGroup, number>;
  }
}
