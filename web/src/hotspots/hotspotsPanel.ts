// The hotspots panel: a toggle in the map toolbar opens a floating panel over the map's left edge with two tabs.
// "Map": the method (kernel density, Getis-Ord Gi*, local Moran's I, emerging hot spots), the period (the dashboard's
// time window by default), categories and the method's parameters; the result on the map with its legend, when it was
// computed, a popup for a clicked cell, and a PNG export. "CompStat": the period comparison per district and category
// as a chart and a table, with the CSV export of the same query. Results are fetched again when the server says it
// recomputed (HotspotsRecomputed) or incidents changed, and when the settings or the dashboard's window change.
import type { LngLat } from 'maplibre-gl';
import { ApiError } from '../api/client';
import type { CompStatRow, CompStatTable, DensityResult, HotspotCellProperties, HotspotMap, HotspotsRecomputed } from '../api/hotspots';
import type { IncidentCategory } from '../api/types';
import { can, session } from '../auth/session';
import { formatDateTime, formatNumber, formatShortDateTime, locale, t, tk, cityTimeZone } from '../i18n';
import type { SituationMap } from '../map/situationMap';
import type { TimeWindow } from '../model/timeWindow';
import { categories, categoryColors } from '../model/vocabulary';
import { clear, h, icon, swatch } from '../panels/dom';
import {
  binClass, classColor, classLabelKey, classLegend, densityGradient, densityLegend, isBackgroundClass, trendDirection, type CellMethod,
} from './classes';
import {
  chartSeries, defaultCompStatView, districtsOf, periods, visibleRows, vsLastYear, vsPrevious, type ChangeReading, type CompStatView,
} from './compstat';
import type { CompStatChart } from './compstatChart';
import { HotspotLayers } from './hotspotLayers';
import { hotspotsApi } from './hotspotsApi';
import { captureMap, download, type MapCaption } from './mapExport';
import {
  analysisBounds, compstatPeriods, compstatUrls, defaultCompStat, defaultSettings, effectiveWeights, grids, hotspotUrl, kernels,
  mapExportName, methods, parseOptionalNumber, serverDefaults, settingProblems, severityLevels, transforms, weightKinds, windowChoices,
  type CompStatSettings, type HotspotMethod, type HotspotSettings,
} from './model';
import { RefreshScheduler } from './refresh';
import './hotspots.css';

export interface HotspotsPanelOptions {
  map: SituationMap;
  /** The element the panel floats in (the map area). */
  container: HTMLElement;
  /** Where the toggle button goes. */
  toolbar: HTMLElement;
  /** The dashboard's time window (the default period). */
  dashboardWindow: () => TimeWindow;
  districtLabel: (code: string | null | undefined) => string;
  toast: (message: string, kind?: 'info' | 'success' | 'error') => void;
}

type Shown =
  | { kind: 'density'; url: string; data: DensityResult }
  | { kind: 'cells'; method: CellMethod; url: string; data: HotspotMap };

/** Read-only state for tests and diagnostics (`window.__situationMap.dashboard.hotspots.view()`). */
export interface HotspotsView {
  open: boolean;
  tab: 'map' | 'compstat';
  method: HotspotMethod;
  loading: boolean;
  error: string | null;
  /** The request of the shown result. */
  url: string | null;
  computedAt: string | null;
  points: number | null;
  /** Cells in the result (drawn or not), classes with their counts. */
  cells: number;
  classes: Record<string, number>;
  /** The classes (or density colours) the legend shows. */
  legend: string[];
  renderedCells: number;
  densityLoaded: boolean;
  /** How many results were fetched since the page loaded. */
  fetches: number;
  lastExport: string | null;
  /** csv: the export link's href (null without the export permission). */
  compstat: { url: string | null; csv: string | null; rows: number; computedAt: string | null; chart: boolean; loading: boolean; error: string | null };
}

/** District-scoped accounts get no HotspotsRecomputed: how soon after their incident events they refetch (ms). */
const scopedRefreshMs = 5_000;

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 404 && e.problem?.type?.includes('no-analysis-area')) return t('hotspots.noArea');
    return e.details.length ? e.details.join('; ') : e.message;
  }
  return String(e);
}

/** p-values as analysts read them: three decimals, "< 0.001" below. */
function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 0.001 ? `< ${formatNumber(0.001)}` : formatNumber(p, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
}

function formatStat(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatNumber(v, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
}

/** A change in percent; from nothing there is no percentage, only "from 0". */
function percentText(r: ChangeReading): string {
  if (r.percent === null) return r.direction === 'up' ? t('compstat.fromZero') : '—';
  return `${formatNumber(r.percent, { signDisplay: 'exceptZero', maximumFractionDigits: 1 })}%`;
}

function formatDay(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: cityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

export class HotspotsPanel {
  private readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly layers: HotspotLayers;
  private readonly refresh = new RefreshScheduler(() => void this.load());
  private readonly compstatRefresh = new RefreshScheduler(() => void this.loadCompStat());
  private isOpen = false;
  private tab: 'map' | 'compstat' = 'map';
  private settings: HotspotSettings = { ...defaultSettings, categories: [] };
  private shown: Shown | null = null;
  private loading = false;
  private error: string | null = null;
  private abort: AbortController | null = null;
  private generation = 0;
  private fetches = 0;
  private lastExport: string | null = null;
  private compstatSettings: CompStatSettings = { ...defaultCompStat };
  private compstatView: CompStatView = { ...defaultCompStatView };
  private compstat: CompStatTable | null = null;
  private compstatUrl: string | null = null;
  private compstatLoading = false;
  private compstatError: string | null = null;
  private compstatAbort: AbortController | null = null;
  private chart: CompStatChart | null = null;
  /** Incidents changed while the other tab was shown: fetch when it is shown again. */
  private mapStale = false;
  private compstatStale = false;
  private chartLoading: Promise<void> | null = null;
  private readonly chartElement = h('div', { class: 'compstat-chart', role: 'img' });
  private readonly tableWrap = h('div', { class: 'compstat-table-wrap' });

  constructor(private readonly options: HotspotsPanelOptions) {
    const map = options.map;
    this.root = h('section', { id: 'hotspots', class: 'hotspots', hidden: true, role: 'region' });
    options.container.append(this.root);
    this.button = h('button', {
      type: 'button', class: 'btn hotspots-toggle', 'aria-pressed': 'false', 'aria-controls': 'hotspots', onclick: () => this.toggle(),
    });
    options.toolbar.append(this.button);
    this.layers = new HotspotLayers(
      map.map,
      () => [...map.routes.layerIds(), ...map.cameras.layerIds(), ...map.incidents.layerIds(), ...map.units.layerIds(), ...map.playback.layerIds()],
    );
    this.layers.onCellClick = (cell, lngLat) => this.showCell(cell, lngLat);
    map.clickOverlay = (point) => this.isOpen && this.layers.clickAt(point);
    this.render();
  }

  // ---- events from the dashboard ----------------------------------------------------------------------------------

  /** HotspotsRecomputed from the live hub: incidents changed and the server recomputed its default views. */
  recomputed(_notice: HotspotsRecomputed): void {
    // every notice means incidents changed, so any shown result may be outdated (not only the view it names)
    if (!this.isOpen) return;
    if (this.tab === 'map') {
      this.refresh.notice();
      this.compstatStale = true;
    } else {
      this.compstatRefresh.notice();
      this.mapStale = true;
    }
  }

  /**
   * Incidents changed on the live stream: a fallback when no notice follows — except for district-scoped accounts,
   * which the server never notifies (a notice would reveal changes outside their districts): they refetch soon.
   */
  incidentsChanged(): void {
    if (!this.isOpen) return;
    const scoped = (session()?.districts.length ?? 0) > 0;
    if (this.tab === 'map') this.refresh.incidentsChanged(scoped ? scopedRefreshMs : undefined);
    else this.mapStale = true;
  }

  /** The dashboard's time window changed. */
  windowChanged(): void {
    this.renderControls();
    if (this.isOpen && this.settings.window === 'dashboard') this.refresh.settingsChanged();
  }

  // ---- open, close, tabs ------------------------------------------------------------------------------------------

  get open(): boolean {
    return this.isOpen;
  }

  toggle(open = !this.isOpen): void {
    this.isOpen = open;
    this.root.hidden = !open;
    this.button.setAttribute('aria-pressed', String(open));
    if (open) {
      // nothing was followed while closed
      this.mapStale = true;
      this.compstatStale = true;
      this.render();
      if (this.tab === 'map') void this.load();
      else void this.loadCompStat();
    } else {
      this.refresh.cancel();
      this.compstatRefresh.cancel();
      this.abort?.abort();
      this.compstatAbort?.abort();
      this.loading = false;
      this.compstatLoading = false;
      this.layers.hide();
    }
  }

  private setTab(tab: 'map' | 'compstat'): void {
    if (tab === this.tab) return;
    this.tab = tab;
    this.render();
    if (tab === 'compstat' && (!this.compstat || this.compstatError || this.compstatStale)) void this.loadCompStat();
    if (tab === 'map' && (!this.shown || this.error || this.mapStale)) void this.load();
  }

  // ---- fetching -----------------------------------------------------------------------------------------------------

  private currentUrl(): string {
    return hotspotUrl(this.settings, analysisBounds(this.settings.window, this.options.dashboardWindow(), Date.now()));
  }

  private async load(): Promise<void> {
    if (!this.isOpen) return;
    this.refresh.cancel();
    if (settingProblems(this.settings).length) {
      this.renderStatus();
      return;
    }
    const generation = ++this.generation;
    this.mapStale = false;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const settings = this.settings;
    const url = this.currentUrl();
    this.loading = true;
    this.error = null;
    this.renderStatus();
    try {
      if (settings.method === 'density') {
        const data = await hotspotsApi.density(url, abort.signal);
        if (generation !== this.generation || !this.isOpen) return;
        await this.layers.showDensity(data);
        this.shown = { kind: 'density', url, data };
      } else {
        const data = await hotspotsApi.cells(url, abort.signal);
        if (generation !== this.generation || !this.isOpen) return;
        this.layers.showCells(settings.method, data);
        this.shown = { kind: 'cells', method: settings.method, url, data };
      }
      this.fetches++;
    } catch (e) {
      if (generation !== this.generation || abort.signal.aborted) return;
      this.error = errorText(e);
    }
    if (generation !== this.generation) return;
    this.loading = false;
    this.renderStatus();
  }

  private async loadCompStat(): Promise<void> {
    if (!this.isOpen) return;
    this.compstatRefresh.cancel();
    this.compstatAbort?.abort();
    const abort = (this.compstatAbort = new AbortController());
    const { json } = compstatUrls(this.compstatSettings);
    this.compstatStale = false;
    this.compstatLoading = true;
    this.compstatError = null;
    this.renderCompStat();
    try {
      const table = await hotspotsApi.compstat(json, abort.signal);
      if (abort.signal.aborted) return;
      this.compstat = table;
      this.compstatUrl = json;
    } catch (e) {
      if (abort.signal.aborted) return;
      this.compstatError = errorText(e);
    }
    this.compstatLoading = false;
    this.renderCompStat();
  }

  private change(update: Partial<HotspotSettings>, rerender = false): void {
    this.settings = { ...this.settings, ...update };
    if (rerender) this.renderControls();
    this.renderStatus();
    if (settingProblems(this.settings).length === 0) this.refresh.settingsChanged();
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  render(): void {
    clear(this.button, icon('hexagon'), h('span', {}, t('hotspots.button')));
    this.button.title = t('hotspots.buttonTitle');
    this.root.setAttribute('aria-label', t('hotspots.title'));
    this.root.classList.toggle('wide', this.tab === 'compstat');
    const tabButton = (tab: 'map' | 'compstat', label: string): HTMLElement => h('button', {
      type: 'button', role: 'tab', class: 'hs-tab', 'aria-selected': String(this.tab === tab), dataset: { tab }, onclick: () => this.setTab(tab),
    }, label);
    clear(this.root,
      h('div', { class: 'hs-head' },
        h('h2', { class: 'hs-title', id: 'hotspots-title' }, t('hotspots.title')),
        h('div', { class: 'hs-tabs', role: 'tablist' }, tabButton('map', t('hotspots.tab.map')), tabButton('compstat', t('compstat.tab'))),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('hotspots.close'), title: t('hotspots.close'), onclick: () => this.toggle(false) }, '×')),
      this.tab === 'map'
        ? h('div', { class: 'hs-body', role: 'tabpanel' }, h('div', { class: 'hs-controls' }), h('div', { class: 'hs-status' }), h('div', { class: 'hs-legend' }))
        : h('div', { class: 'hs-body compstat', role: 'tabpanel' }, h('div', { class: 'compstat-controls' }), h('div', { class: 'compstat-meta' }), this.chartElement, this.tableWrap));
    if (this.tab === 'map') {
      this.renderControls();
      this.renderStatus();
    } else {
      this.renderCompStat();
    }
  }

  private field(label: string, control: HTMLElement, hint?: string): HTMLElement {
    return h('label', { class: 'hs-field' }, h('span', { class: 'hs-label' }, label), control, hint ? h('span', { class: 'hs-hint' }, hint) : null);
  }

  private select<T extends string | number>(field: string, values: readonly T[], current: T, label: (v: T) => string, onChange: (v: T) => void): HTMLSelectElement {
    const select = h('select', { class: 'hs-select', dataset: { field } },
      values.map((v) => h('option', { value: String(v), selected: v === current }, label(v))));
    select.addEventListener('change', () => {
      const v = values.find((x) => String(x) === select.value);
      if (v !== undefined) onChange(v);
    });
    return select;
  }

  private numberInput(field: 'cellM' | 'bandM' | 'densityCellM' | 'bandwidthM' | 'steps' | 'stepDays' | 'k', value: number | null, placeholder: string, disabled = false): HTMLInputElement {
    const invalid = settingProblems(this.settings).some((p) => p.field === field);
    const input = h('input', {
      type: 'number', class: `hs-number${invalid ? ' invalid' : ''}`, inputMode: 'numeric', min: '0', step: 'any', value: value === null ? '' : String(value),
      placeholder, disabled, dataset: { field }, 'aria-invalid': String(invalid),
    });
    input.addEventListener('change', () => {
      const parsed = parseOptionalNumber(input.value);
      if (field === 'steps' || field === 'stepDays' || field === 'k') this.change({ [field]: parsed ?? defaultSettings[field] }, true);
      else this.change({ [field]: parsed }, true);
    });
    return input;
  }

  private renderControls(): void {
    const root = this.root.querySelector<HTMLElement>('.hs-controls');
    if (!root) return;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.field;
    const s = this.settings;
    const dashboard = this.options.dashboardWindow();
    const methodButtons = h('div', { class: 'segmented hs-methods', role: 'group', 'aria-label': t('hotspots.method') },
      methods.map((m) => h('button', {
        type: 'button', class: 'seg', 'aria-pressed': String(s.method === m), dataset: { method: m }, title: tk(`hotspots.methodHint.${m}`),
        onclick: () => { if (s.method !== m) this.change({ method: m }, true); },
      }, tk(`hotspots.method.${m}`))));
    const windowSelect = this.select('window', windowChoices, s.window,
      (w) => (w === 'dashboard' ? t('hotspots.window.dashboard', { window: tk(`window.${dashboard.preset}`) }) : tk(`hotspots.window.${w}`)),
      (w) => this.change({ window: w }));
    const chips = h('div', { class: 'hs-chips', role: 'group', 'aria-label': t('hotspots.categories') },
      h('button', {
        type: 'button', class: `chip${s.categories.length === 0 ? ' on' : ''}`, 'aria-pressed': String(s.categories.length === 0), dataset: { category: '*' },
        onclick: () => this.change({ categories: [] }, true),
      }, t('hotspots.allCategories')),
      categories.map((c) => {
        const on = s.categories.includes(c);
        return h('button', {
          type: 'button', class: `chip${on ? ' on' : ''}`, 'aria-pressed': String(on), dataset: { category: c },
          onclick: () => this.change({ categories: on ? s.categories.filter((x) => x !== c) : [...s.categories, c] as IncidentCategory[] }, true),
        }, swatch(categoryColors[c]), tk(`category.${c}`));
      }));
    const severity = this.select('minSeverity', severityLevels, s.minSeverity as (typeof severityLevels)[number],
      (v) => tk(`hotspots.severity.${v}`), (v) => this.change({ minSeverity: v }));
    const parameters: HTMLElement[] = [];
    if (s.method === 'density') {
      parameters.push(
        this.field(t('hotspots.kernel'), this.select('kernel', kernels, s.kernel, (k) => tk(`hotspots.kernel.${k}`), (k) => this.change({ kernel: k }))),
        this.field(t('hotspots.weight'), this.select('weight', ['none', 'severity'] as const, s.weight, (w) => tk(`hotspots.weight.${w}`), (w) => this.change({ weight: w }))),
        this.field(t('hotspots.densityCell'), this.numberInput('densityCellM', s.densityCellM, String(serverDefaults.densityCellM))),
        this.field(t('hotspots.bandwidth'), this.numberInput('bandwidthM', s.bandwidthM, t('hotspots.auto'))),
      );
    } else {
      const districts = s.grid === 'districts';
      const weights = effectiveWeights(s);
      const bandless = weights !== 'distance';
      parameters.push(
        this.field(t('hotspots.grid'), this.select('grid', grids, s.grid, (g) => tk(`hotspots.grid.${g}`), (g) => this.change({ grid: g }, true))),
        this.field(t('hotspots.cell'), this.numberInput('cellM', districts ? null : s.cellM, districts ? '—' : String(serverDefaults.cellM[s.method]), districts)),
        this.field(t('hotspots.weights'), this.select('weights', weightKinds, s.weights,
          (w) => (w === 'auto' ? t('hotspots.weights.auto', { kind: tk(`hotspots.weights.${effectiveWeights({ weights: 'auto', grid: s.grid })}`) }) : tk(`hotspots.weights.${w}`)),
          (w) => this.change({ weights: w }, true))),
        weights === 'knn'
          ? this.field(t('hotspots.k'), this.numberInput('k', s.k, '8'))
          : this.field(t('hotspots.band'), this.numberInput('bandM', bandless ? null : s.bandM,
            bandless ? '—' : districts ? t('hotspots.bandRequired') : t('hotspots.auto'), bandless)),
      );
      if (s.method !== 'emerging') {
        parameters.push(this.field(t('hotspots.transform'), this.select('transform', transforms, s.transform,
          (v) => (v === 'auto' ? t('hotspots.transform.auto', { kind: tk(`hotspots.transform.${s.method === 'lisa' ? 'row' : 'binary'}`) }) : tk(`hotspots.transform.${v}`)),
          (v) => this.change({ transform: v }))));
      }
      if (s.method === 'gistar') {
        const fdr = h('input', { type: 'checkbox', class: 'switch', checked: s.fdr, dataset: { field: 'fdr' } });
        fdr.addEventListener('change', () => this.change({ fdr: fdr.checked }));
        parameters.push(h('label', { class: 'hs-field hs-check' }, fdr, h('span', {}, t('hotspots.fdr'))));
      }
      if (s.method === 'emerging') {
        parameters.push(
          this.field(t('hotspots.steps'), this.numberInput('steps', s.steps, '12')),
          this.field(t('hotspots.stepDays'), this.numberInput('stepDays', s.stepDays, '7')),
        );
      }
    }
    clear(root,
      this.field(t('hotspots.method'), methodButtons),
      h('div', { class: 'hs-method-hint' }, tk(`hotspots.methodHint.${s.method}`)),
      this.field(t('hotspots.window'), windowSelect, s.method === 'emerging' ? t('hotspots.emergingWindow', { steps: s.steps, days: s.stepDays }) : undefined),
      this.field(t('hotspots.categories'), chips),
      this.field(t('hotspots.severity'), severity),
      h('div', { class: 'hs-grid' }, parameters),
      h('div', { class: 'hs-problems', role: 'alert' }, settingProblems(s).map((p) => h('div', {}, tk(p.message)))));
    if (focused) root.querySelector<HTMLElement>(`[data-field="${focused}"]`)?.focus();
  }

  private renderStatus(): void {
    const status = this.root.querySelector<HTMLElement>('.hs-status');
    const legend = this.root.querySelector<HTMLElement>('.hs-legend');
    if (!status || !legend) return;
    const shown = this.shown;
    // exports are the `export` permission's (commanders), like every export of the dashboard
    const exportButton = can('export') ? h('button', {
      type: 'button', class: 'btn btn-small hs-export', disabled: !shown || this.loading, dataset: { action: 'export-png' },
      onclick: () => void this.exportPng(),
    }, t('hotspots.exportPng')) : null;
    const lines: (HTMLElement | null)[] = [];
    if (shown) {
      const d = shown.data;
      lines.push(h('div', { class: 'hs-computed', dataset: { computedAt: d.computed_at } },
        t('hotspots.computedAt', { time: formatDateTime(d.computed_at) })));
      lines.push(h('div', { class: 'hs-period' }, t('hotspots.period', { from: formatShortDateTime(d.from), to: formatShortDateTime(d.to) })));
      const size = shown.kind === 'cells'
        ? t('hotspots.summaryCells', { points: d.points, cells: shown.data.cells, ms: Math.round(d.compute_ms) })
        : t('hotspots.summaryDensity', { points: d.points, ms: Math.round(d.compute_ms) });
      lines.push(h('div', { class: 'hs-size' }, size));
      if (shown.kind === 'cells') lines.push(...this.globalLines(shown.data));
    }
    clear(status,
      h('div', { class: 'hs-status-row' },
        h('div', { class: 'hs-state', 'aria-live': 'polite' },
          this.loading ? h('span', { class: 'hs-loading' }, t('hotspots.loading')) : null,
          this.error ? h('span', { class: 'hs-error' }, this.error) : null,
          !this.loading && !this.error && !shown ? h('span', {}, t('hotspots.noResult')) : null),
        exportButton),
      lines);
    clear(legend, shown ? this.legend(shown) : []);
  }

  /** The global statistic of the map (LISA: Moran's I; Gi*: General G) as a summary line. */
  private globalLines(map: HotspotMap): HTMLElement[] {
    const lines: HTMLElement[] = [];
    const m = map.global_moran;
    if (m && m.i !== null && m.i !== undefined) {
      lines.push(h('div', { class: 'hs-global', dataset: { global: 'moran', i: String(m.i), z: String(m.z_randomisation ?? '') } },
        t('hotspots.global.moran', {
          i: formatNumber(m.i, { maximumFractionDigits: 3 }), expected: formatNumber(m.expected_i ?? 0, { maximumFractionDigits: 4 }),
          zNormal: formatStat(m.z_normality), pNormal: formatP(m.p_normality), zRandom: formatStat(m.z_randomisation), pRandom: formatP(m.p_randomisation),
          pseudoP: formatP(m.pseudo_p), permutations: m.permutations,
        })));
    }
    const g = map.general_g;
    if (g && g.g !== null && g.g !== undefined) {
      lines.push(h('div', { class: 'hs-global', dataset: { global: 'general-g', g: String(g.g), z: String(g.z ?? '') } },
        t('hotspots.global.generalG', {
          g: formatNumber(g.g, { maximumSignificantDigits: 4 }), expected: formatNumber(g.expected_g ?? 0, { maximumSignificantDigits: 4 }),
          z: formatStat(g.z), p: formatP(g.p),
        })));
    }
    const weights = (map.parameters as Record<string, unknown> | undefined)?.weights;
    if (typeof weights === 'string') lines.push(h('div', { class: 'hs-weights' }, t('hotspots.weightsUsed', { weights })));
    return lines;
  }

  private legend(shown: Shown): HTMLElement[] {
    if (shown.kind === 'density') {
      const d = shown.data;
      const entries = densityLegend(d);
      const value = (v: number): string => formatNumber(v, { maximumFractionDigits: v < 10 ? 1 : 0 });
      return [
        h('div', { class: 'legend-caption' }, t('hotspots.legend.density')),
        h('div', { class: 'hs-ramp', style: { background: densityGradient(entries) } }),
        h('div', { class: 'hs-legend-list' }, entries.map((e, i) => h('div', { class: 'hs-legend-item', dataset: { legend: `density-${i}` } },
          swatch(e.color, 'square'),
          h('span', {}, i === entries.length - 1 ? t('hotspots.legend.atLeast', { value: value(e.from) }) : t('hotspots.legend.range', { from: value(e.from), to: value(e.to) }))))),
        h('div', { class: 'legend-note' }, t('hotspots.legend.densityNote', {
          max: value(d.max_per_km2), bandwidth: Math.round(d.bandwidth_m), cell: d.cell_m, kernel: tk(`hotspots.kernel.${d.kernel}`),
        })),
      ];
    }
    const method = shown.method;
    const entries = classLegend(method, shown.data.classes, method === 'emerging');
    const note = method === 'gistar' ? t(shown.data.parameters && (shown.data.parameters as Record<string, unknown>).fdr === false ? 'hotspots.legend.gistarNote' : 'hotspots.legend.gistarFdrNote')
      : method === 'lisa' ? t('hotspots.legend.lisaNote') : t('hotspots.legend.emergingNote');
    const band = shown.data.band_m;
    return [
      h('div', { class: 'legend-caption' }, tk(`hotspots.legend.${method}`)),
      h('div', { class: 'hs-legend-list' }, entries.map((e) => h('div', { class: `hs-legend-item${isBackgroundClass(e.cls) ? ' background' : ''}`, dataset: { legend: e.cls } },
        swatch(e.color, 'square'), h('span', { class: 'hs-legend-label' }, tk(classLabelKey(e.cls))), h('span', { class: 'hs-legend-count' }, formatNumber(e.count))))),
      h('div', { class: 'legend-note' }, note),
      h('div', { class: 'legend-note' }, shown.data.grid === 'districts'
        ? t('hotspots.legend.gridDistricts', { cells: shown.data.cells })
        : t('hotspots.legend.grid', { grid: tk(`hotspots.grid.${shown.data.grid}`), cell: shown.data.cell_m, band: band === null ? '—' : Math.round(band) })),
    ];
  }

  private showCell(cell: HotspotCellProperties, lngLat: LngLat): void {
    const shown = this.shown;
    if (!shown || shown.kind !== 'cells') return;
    const method = shown.method;
    const rows: [string, string][] = [
      [t('hotspots.cellInfo.district'), this.options.districtLabel(cell.district)],
      [t('hotspots.cellInfo.count'), formatNumber(cell.count)],
      [method === 'lisa' ? t('hotspots.cellInfo.zSim') : t('hotspots.cellInfo.z'), formatStat(cell.z)],
      [method === 'lisa' ? t('hotspots.cellInfo.pseudoP') : t('hotspots.cellInfo.p'), formatP(cell.p)],
    ];
    if (method === 'lisa') {
      rows.push([t('hotspots.cellInfo.localI'), formatStat(cell.local_i)]);
      if (cell.quadrant) rows.push([t('hotspots.cellInfo.quadrant'), tk(classLabelKey(cell.quadrant))]);
    }
    if (method === 'emerging') {
      rows.push([t('hotspots.cellInfo.lastStep'), tk(classLabelKey(binClass(cell.bin)))]);
      rows.push([t('hotspots.cellInfo.trend'), cell.trend_tau === null || cell.trend_tau === undefined ? '—'
        : t('hotspots.cellInfo.trendValue', { tau: formatStat(cell.trend_tau), p: formatP(cell.trend_p), direction: tk(`hotspots.trend.${trendDirection(cell.trend_tau, cell.trend_p)}`) })]);
    }
    const content = h('div', { class: 'hs-cell', dataset: { cell: String(cell.cell) } },
      h('div', { class: 'hs-cell-class' }, swatch(classColor(method, cell.class), 'square'), tk(classLabelKey(cell.class))),
      h('dl', { class: 'props' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
    this.layers.showPopup(lngLat, content);
  }

  // ---- PNG export -----------------------------------------------------------------------------------------------------

  private caption(shown: Shown): MapCaption {
    const d = shown.data;
    const lines = [
      t('hotspots.period', { from: formatShortDateTime(d.from), to: formatShortDateTime(d.to) }),
      t('hotspots.computedAt', { time: formatDateTime(d.computed_at) }),
    ];
    if (this.settings.categories.length && shown.url.includes('category=')) lines.push(this.settings.categories.map((c) => tk(`category.${c}`)).join(', '));
    if (shown.kind === 'density') {
      const entries = densityLegend(shown.data);
      const value = (v: number): string => formatNumber(v, { maximumFractionDigits: v < 10 ? 1 : 0 });
      return {
        title: `${t('hotspots.title')} · ${tk('hotspots.method.density')} (${t('hotspots.legend.density')})`,
        lines,
        legend: entries.map((e, i) => ({
          color: e.color,
          label: i === entries.length - 1 ? t('hotspots.legend.atLeast', { value: value(e.from) }) : t('hotspots.legend.range', { from: value(e.from), to: value(e.to) }),
        })),
      };
    }
    return {
      title: `${t('hotspots.title')} · ${tk(`hotspots.method.${shown.method}`)}`,
      lines,
      legend: classLegend(shown.method, shown.data.classes, true).map((e) => ({ color: e.color, label: `${tk(classLabelKey(e.cls))} (${formatNumber(e.count)})` })),
    };
  }

  private async exportPng(): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const method = shown.kind === 'density' ? 'density' : shown.method;
    const name = mapExportName(method, shown.data.computed_at);
    try {
      const blob = await captureMap(this.options.map.map, this.caption(shown));
      download(blob, name);
      this.lastExport = name;
    } catch (e) {
      this.options.toast(t('error.generic', { message: String(e) }), 'error');
    }
  }

  // ---- CompStat -------------------------------------------------------------------------------------------------------

  private changeCompStat(update: Partial<CompStatSettings>): void {
    this.compstatSettings = { ...this.compstatSettings, ...update };
    this.renderCompStat();
    this.compstatRefresh.settingsChanged();
  }

  private renderCompStat(): void {
    const controls = this.root.querySelector<HTMLElement>('.compstat-controls');
    const meta = this.root.querySelector<HTMLElement>('.compstat-meta');
    if (!controls || !meta) return;
    const c = this.compstatSettings;
    const table = this.compstat;
    const urls = compstatUrls(c);
    const lastDay = h('input', { type: 'date', class: 'hs-date', value: c.lastDay, dataset: { field: 'lastDay' } });
    lastDay.addEventListener('change', () => this.changeCompStat({ lastDay: lastDay.value }));
    const districts = table ? districtsOf(table) : [];
    const districtFilter = this.select('compstatDistrict', ['*', 'total', ...districts], this.compstatView.district,
      (d) => (d === '*' ? t('compstat.allDistricts') : d === 'total' ? t('compstat.cityOnly') : this.options.districtLabel(d || null)),
      (d) => { this.compstatView = { ...this.compstatView, district: d }; this.renderCompStat(); });
    const categoryFilter = this.select('compstatCategory', ['*', 'total', ...categories], this.compstatView.category,
      (k) => (k === '*' ? t('compstat.allCategories') : k === 'total' ? t('compstat.totalsOnly') : tk(`category.${k}`)),
      (k) => { this.compstatView = { ...this.compstatView, category: k }; this.renderCompStat(); });
    clear(controls,
      this.field(t('compstat.days'), this.select('days', compstatPeriods, c.days as (typeof compstatPeriods)[number],
        (d) => t('compstat.daysValue', { days: d }), (d) => this.changeCompStat({ days: d }))),
      this.field(t('compstat.lastDay'), lastDay, t('compstat.lastDayHint')),
      this.field(t('hotspots.severity'), this.select('compstatSeverity', severityLevels, c.minSeverity as (typeof severityLevels)[number],
        (v) => tk(`hotspots.severity.${v}`), (v) => this.changeCompStat({ minSeverity: v }))),
      this.field(t('compstat.district'), districtFilter),
      this.field(t('compstat.category'), categoryFilter),
      // the server audits the download and allows it to the `export` permission only
      can('export') ? h('a', { class: 'btn btn-small compstat-csv', href: urls.csv, download: '', dataset: { action: 'compstat-csv' } }, t('compstat.csv')) : null);
    const state = this.compstatLoading ? h('span', { class: 'hs-loading' }, t('hotspots.loading'))
      : this.compstatError ? h('span', { class: 'hs-error' }, this.compstatError) : null;
    if (!table) {
      clear(meta, state);
      clear(this.tableWrap);
      return;
    }
    const p = periods(table);
    const span = (r: [number, number]): string => t('compstat.span', { from: formatDay(r[0]), to: formatDay(r[1] - 1) });
    clear(meta,
      h('div', { class: 'compstat-periods' },
        h('span', {}, h('b', {}, t('compstat.current')), ' ', span(p.current)),
        h('span', {}, h('b', {}, t('compstat.previous')), ' ', span(p.previous)),
        h('span', {}, h('b', {}, t('compstat.lastYear')), ' ', span(p.lastYear))),
      h('div', { class: 'hs-status-row' },
        h('span', { class: 'hs-computed', dataset: { computedAt: table.computed_at } }, t('hotspots.computedAt', { time: formatDateTime(table.computed_at) })),
        h('span', { class: 'hs-hint' }, t('compstat.significance', { alpha: formatNumber(table.alpha) })),
        state));
    this.renderTable(table);
    void this.renderChart(table);
  }

  private renderTable(table: CompStatTable): void {
    const rows = visibleRows(table, this.compstatView);
    const scroll = this.tableWrap.scrollTop;
    const change = (r: ChangeReading): HTMLElement => {
      const text = percentText(r);
      const mark = r.significant ? (r.direction === 'up' ? '▲' : '▼') : '';
      return h('td', {
        class: `num change ${r.significant ? `sig ${r.direction}` : 'ns'}`, title: t('compstat.pValue', { p: formatP(r.p) }),
      }, mark ? h('span', { class: 'mark', 'aria-label': tk(`compstat.sig.${r.direction}`) }, mark) : null, text);
    };
    const label = (row: CompStatRow): [string, string] => [
      row.district === null ? t('compstat.city') : row.district === '' ? t('compstat.noDistrict') : this.options.districtLabel(row.district),
      row.category === null ? t('compstat.total') : tk(`category.${row.category}`),
    ];
    clear(this.tableWrap,
      h('table', { class: 'compstat-table' },
        h('thead', {}, h('tr', {},
          h('th', {}, t('compstat.district')), h('th', {}, t('compstat.category')),
          h('th', { class: 'num' }, t('compstat.current')), h('th', { class: 'num' }, t('compstat.previous')), h('th', { class: 'num' }, t('compstat.changePrevious')),
          h('th', { class: 'num' }, t('compstat.lastYear')), h('th', { class: 'num' }, t('compstat.changeLastYear')))),
        h('tbody', {}, rows.map((row) => {
          const [district, category] = label(row);
          return h('tr', { class: row.category === null ? 'total' : '', dataset: { district: row.district ?? '*', category: row.category ?? '*' } },
            h('td', {}, district), h('td', {}, category),
            h('td', { class: 'num' }, formatNumber(row.current)), h('td', { class: 'num' }, formatNumber(row.previous)), change(vsPrevious(row)),
            h('td', { class: 'num' }, formatNumber(row.same_last_year)), change(vsLastYear(row)));
        }))),
      rows.length === 0 ? h('div', { class: 'feed-empty' }, t('compstat.empty')) : null);
    this.tableWrap.scrollTop = scroll;
  }

  private async renderChart(table: CompStatTable): Promise<void> {
    if (!this.chart) {
      this.chartLoading ??= import('./compstatChart').then(({ CompStatChart }) => {
        this.chart = new CompStatChart(this.chartElement);
      });
      try {
        await this.chartLoading;
      } catch (e) {
        this.chartLoading = null;
        this.compstatError = errorText(e);
        return;
      }
    }
    if (this.compstat !== table || !this.chart) return;
    const category = this.compstatView.category === '*' || this.compstatView.category === 'total' ? null : this.compstatView.category;
    const series = chartSeries(table, category);
    this.chartElement.setAttribute('aria-label', t('compstat.chartLabel', { category: category ? tk(`category.${category}`) : t('compstat.total') }));
    this.chart.update(series, {
      current: t('compstat.current'),
      previous: t('compstat.previous'),
      lastYear: t('compstat.lastYear'),
      district: (code) => (code === '' ? t('compstat.noDistrict') : this.options.districtLabel(code)),
      number: (v) => formatNumber(v),
      change: (i) => {
        const row = table.rows.find((r) => r.district === series.districts[i] && r.category === category);
        if (!row) return '';
        const r = vsPrevious(row);
        return `${t('compstat.changePrevious')}: ${percentText(r)}${r.significant ? ` (${tk(`compstat.sig.${r.direction}`)})` : ''}`;
      },
    });
  }

  // ---- test hooks -------------------------------------------------------------------------------------------------------

  view(): HotspotsView {
    const shown = this.shown;
    const legend = [...this.root.querySelectorAll<HTMLElement>('.hs-legend [data-legend]')].map((el) => el.dataset.legend!);
    return {
      open: this.isOpen,
      tab: this.tab,
      method: this.settings.method,
      loading: this.loading,
      error: this.error,
      url: shown?.url ?? null,
      computedAt: shown?.data.computed_at ?? null,
      points: shown?.data.points ?? null,
      cells: shown?.kind === 'cells' ? shown.data.features.length : 0,
      classes: shown?.kind === 'cells' ? { ...shown.data.classes } : {},
      legend,
      renderedCells: this.isOpen ? this.layers.renderedCells() : 0,
      densityLoaded: this.isOpen && this.layers.densityLoaded(),
      fetches: this.fetches,
      lastExport: this.lastExport,
      compstat: {
        url: this.compstatUrl,
        csv: this.root.querySelector<HTMLAnchorElement>('a.compstat-csv')?.getAttribute('href') ?? null,
        rows: this.tableWrap.querySelectorAll('tbody tr').length,
        computedAt: this.compstat?.computed_at ?? null,
        chart: this.chartElement.querySelector('canvas') !== null,
        loading: this.compstatLoading,
        error: this.compstatError,
      },
    };
  }
}
