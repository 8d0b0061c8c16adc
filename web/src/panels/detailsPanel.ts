// The side panel for one feature: its details, its recent history (change log), and what can be done with it —
// incidents move through their status workflow and can be edited or deleted, cameras and routes edited. It also
// holds the form that creates an incident at a clicked point. Edits send If-Match with the version shown, so a
// stale edit is refused (412) and the panel reloads the current version.
import { ApiError, api } from '../api/client';
import { canWrite } from '../auth/session';
import type { FeatureHistory } from '../api/situation';
import {
  routeOf, type CameraProperties, type Feature, type IncidentProperties, type IncidentStatus, type LayerRoute, type LiveLayer,
  type PatrolRouteProperties, type PatrolUnitProperties, type ZoneProperties, type DistrictProperties,
} from '../api/types';
import { formatDateTime, formatNumber, formatRelative, locale, t, tk } from '../i18n';
import {
  cameraKinds, cameraStatuses, cameraStatusColors, categories, categoryColors, levelColors, openStatuses, patrolModes, riskColors, routeStatuses,
  severityColors, statusColors, statusTransitions, unitStatusColors, zoneKindColors,
} from '../model/vocabulary';
import { clear, h, icon } from './dom';
import { EvidenceSection, type EvidenceHost } from '../coverage/evidence';
import type { CameraScenarioHost } from '../coverage/coveragePanel';

type AnyProps = Record<string, unknown>;
type Row = [label: string, value: Node | string];

export interface DetailsHost {
  districtLabel(code: string | null): string;
  /** Shows a feature we just wrote, before its live event arrives. */
  applyLocal(layer: LiveLayer, feature: Feature<unknown> | null, id: number, seq?: number): void;
  highlight(feature: Feature<unknown> | null): void;
  toast(message: string, kind?: 'info' | 'success' | 'error'): void;
  /** The incident's evidence cameras (a section of its details); absent: no section. */
  evidence?: EvidenceHost;
  /** Opens the dispatch view of an open incident (units ranked by ETA); absent: no "Dispatch" action. */
  dispatch?: (incidentId: number) => void;
}

function seqOf(response: Response): number | undefined {
  const v = response.headers.get('X-Change-Seq');
  return v ? Number(v) : undefined;
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) return [e.problem?.title ?? e.message, ...e.details].join(' ');
  return String(e);
}

export class DetailsPanel {
  private layer: LiveLayer | null = null;
  private id: number | null = null;
  private feature: Feature<AnyProps> | null = null;
  private history: FeatureHistory | null | 'unavailable' | 'loading' = 'loading';
  private editing = false;
  private creating: [number, number] | null = null;
  private busy = false;
  private abort: AbortController | null = null;
  private historyTimer: ReturnType<typeof setTimeout> | null = null;
  private evidence: EvidenceSection | null = null;
  private cameraScenario: CameraScenarioHost | null = null;
  onClose: (() => void) | null = null;
  onCreated: ((feature: Feature<IncidentProperties>) => void) | null = null;

  constructor(private readonly root: HTMLElement, private readonly host: DetailsHost) {
    root.classList.add('panel', 'details');
    root.hidden = true;
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  /** The coverage panel's draft scenario: a camera's details offer to rotate, move or remove it there. */
  setCameraScenario(host: CameraScenarioHost): void {
    this.cameraScenario = host;
    host.onChange(() => {
      if (this.layer === 'cameras' && !this.root.hidden && !this.editing) this.render();
    });
  }

  /** The evidence section of the incident shown (tests). */
  get evidenceSection(): EvidenceSection | null {
    return this.evidence;
  }

  private setEvidence(layer: LiveLayer | null, id: number | null): void {
    if (layer === 'incidents' && id !== null && this.host.evidence) {
      if (this.evidence?.incidentId === id) return;
      this.evidence?.dispose();
      this.evidence = new EvidenceSection(id, this.host.evidence);
    } else {
      this.evidence?.dispose();
      this.evidence = null;
    }
  }

  get openFeature(): { layer: LiveLayer; id: number } | null {
    return this.layer && this.id !== null ? { layer: this.layer, id: this.id } : null;
  }

  async open(layer: LiveLayer, id: number, known?: Feature<unknown>): Promise<void> {
    this.abort?.abort();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.layer = layer;
    this.id = id;
    this.creating = null;
    this.editing = false;
    this.feature = (known as Feature<AnyProps>) ?? null;
    this.history = 'loading';
    this.root.hidden = false;
    this.setEvidence(layer, id);
    this.render();
    try {
      const [feature, history] = await Promise.all([
        api.get<AnyProps>(routeOf[layer], id, signal),
        api.history(routeOf[layer], id, 20, signal).catch(() => null),
      ]);
      if (signal.aborted) return;
      this.feature = feature;
      this.history = history ?? 'unavailable';
      this.host.highlight(feature);
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) this.feature = null;
      this.history = 'unavailable';
      if (!(e instanceof ApiError && e.status === 404)) this.host.toast(t('error.generic', { message: errorText(e) }), 'error');
    }
    this.render();
  }

  openCreate(lngLat: [number, number]): void {
    this.abort?.abort();
    this.layer = 'incidents';
    this.id = null;
    this.feature = null;
    this.editing = false;
    this.creating = lngLat;
    this.setEvidence(null, null);
    this.root.hidden = false;
    this.host.highlight({ id: 0, geometry: { type: 'Point', coordinates: lngLat }, properties: null });
    this.render();
    this.root.querySelector<HTMLElement>('select, input')?.focus();
  }

  close(): void {
    this.abort?.abort();
    this.layer = null;
    this.id = null;
    this.feature = null;
    this.creating = null;
    this.setEvidence(null, null);
    this.root.hidden = true;
    this.host.highlight(null);
    this.onClose?.();
  }

  /** A live change arrived for some feature: refresh if it is the one shown (unless the user is editing it). */
  changed(layer: LiveLayer, id: number, feature: Feature<unknown> | null, kind: string): void {
    if (layer !== this.layer || id !== this.id || this.creating) return;
    if (kind === 'deleted' || !feature) {
      this.feature = null;
      this.editing = false;
    } else if (!this.editing) {
      const before = JSON.stringify(this.feature?.geometry ?? null) + String(this.feature?.properties?.occurred_at);
      this.feature = feature as Feature<AnyProps>;
      this.host.highlight(feature);
      // the place or time of the incident changed: other cameras may have seen it
      if (layer === 'incidents' && before !== JSON.stringify(feature.geometry ?? null) + String(this.feature.properties?.occurred_at)) void this.evidence?.load();
    }
    this.render();
    if (this.historyTimer) clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => void this.reloadHistory(), 600);
  }

  private async reloadHistory(): Promise<void> {
    if (!this.layer || this.id === null || this.history === 'unavailable') return;
    const history = await api.history(routeOf[this.layer], this.id).catch(() => null);
    if (history) {
      this.history = history;
      this.render();
    }
  }

  render(): void {
    if (this.root.hidden) return;
    if (this.creating) {
      clear(this.root, this.head(t('create.title'), null), this.incidentForm(null));
      return;
    }
    if (!this.layer || this.id === null) return;
    const f = this.feature;
    const title = tk(`title.${this.layer}`, { id: String(this.id) });
    if (!f) {
      clear(this.root, this.head(title, null), h('div', { class: 'panel-note' }, this.history === 'loading' ? t('details.loading') : t('details.notFound')));
      return;
    }
    this.evidence?.render();
    clear(this.root,
      this.head(title, f),
      this.editing ? this.editForm(f) : [this.summary(f), this.table(this.rows(f)), this.dispatchAction(f), this.actions(f)],
      this.editing ? null : this.evidence?.element,
      this.editing || this.layer !== 'cameras' ? null : this.scenarioSection(f as unknown as Feature<CameraProperties>),
      this.historySection());
  }

  private head(title: string, f: Feature<AnyProps> | null): HTMLElement {
    const name = f?.properties ? this.subtitle(f.properties) : '';
    return h('div', { class: 'details-head' },
      h('div', {},
        h('div', { class: 'details-kind' }, title),
        name ? h('div', { class: 'details-name' }, name) : null),
      h('button', { type: 'button', class: 'icon-btn close', 'aria-label': t('details.close'), title: t('details.close'), onclick: () => this.close() }, '×'));
  }

  private subtitle(p: AnyProps): string {
    switch (this.layer) {
      case 'incidents': return tk(`category.${String(p.category)}`);
      case 'patrol_units': return String(p.call_sign ?? '');
      case 'zones': case 'districts': return locale() === 'en' && p.name_en ? String(p.name_en) : String(p.name ?? '');
      default: return String(p.name ?? '');
    }
  }

  /** Coloured chips for the values that matter most. */
  private summary(f: Feature<AnyProps>): HTMLElement {
    const p = f.properties ?? {};
    const chip = (text: string, color: string): HTMLElement => {
      const el = h('span', { class: 'status-chip big' }, text);
      el.style.setProperty('--c', color);
      return el;
    };
    const chips: HTMLElement[] = [];
    switch (this.layer) {
      case 'incidents': {
        const p2 = p as unknown as IncidentProperties;
        chips.push(chip(tk(`status.${p2.status}`), statusColors[p2.status]));
        chips.push(chip(`S${p2.severity} ${tk(`severity.${p2.severity}`)}`, severityColors[p2.severity as 1 | 2 | 3 | 4] ?? '#888'));
        chips.push(chip(tk(`category.${p2.category}`), categoryColors[p2.category]));
        break;
      }
      case 'cameras': {
        const p2 = p as unknown as CameraProperties;
        chips.push(chip(tk(`cameraStatus.${p2.status}`), cameraStatusColors[p2.status]), chip(tk(`cameraKind.${p2.kind}`), '#8aa0bc'));
        break;
      }
      case 'patrol_units': {
        const p2 = p as unknown as PatrolUnitProperties;
        chips.push(chip(tk(`unitStatus.${p2.status}`), unitStatusColors[p2.status]), chip(tk(`level.${p2.level}`), levelColors[p2.level]));
        break;
      }
      case 'patrol_routes': {
        const p2 = p as unknown as PatrolRouteProperties;
        chips.push(chip(tk(`level.${p2.level}`), levelColors[p2.level]), chip(tk(`routeStatus.${p2.status}`), p2.status === 'active' ? '#3ddc97' : '#7b8794'));
        break;
      }
      case 'zones': {
        const p2 = p as unknown as ZoneProperties;
        chips.push(chip(tk(`zoneKind.${p2.kind}`), zoneKindColors[p2.kind]), chip(t('field.risk', { n: p2.risk_level }), riskColors[p2.risk_level as 1 | 2 | 3 | 4] ?? '#888'));
        break;
      }
      default:
        break;
    }
    return h('div', { class: 'chips-row' }, chips);
  }

  private rows(f: Feature<AnyProps>): Row[] {
    const p = f.properties ?? {};
    const time = (v: unknown): string => (typeof v === 'string' ? `${formatDateTime(v)} (${formatRelative(v)})` : '—');
    const num = (v: unknown, unit = '', digits = 0): string => (typeof v === 'number' ? `${formatNumber(v, { maximumFractionDigits: digits })}${unit}` : '—');
    const text = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));
    const coords = f.geometry?.type === 'Point' ? (f.geometry.coordinates as number[]) : null;
    const location: Row[] = coords ? [[t('field.location'), `${coords[1]!.toFixed(5)}, ${coords[0]!.toFixed(5)}`]] : [];
    const common: Row[] = [[t('field.version'), text(p.version)], [t('field.updated_at'), time(p.updated_at)]];
    switch (this.layer) {
      case 'incidents':
        return [
          [t('field.occurred_at'), time(p.occurred_at)], [t('field.reported_at'), time(p.reported_at)],
          [t('field.address'), text(p.address)], [t('field.district'), this.host.districtLabel(p.district as string | null)],
          [t('field.description'), text(p.description)], [t('field.source'), `${text(p.source)}${p.external_id ? ` · ${String(p.external_id)}` : ''}`],
          ...location, ...common,
        ];
      case 'cameras':
        return [
          [t('field.heading_deg'), num(p.heading_deg, '°')], [t('field.field_of_view_deg'), num(p.field_of_view_deg, '°')],
          ...(Array.isArray(p.preset_headings_deg) ? [[t('field.preset_headings_deg'), (p.preset_headings_deg as number[]).map((v) => `${formatNumber(v)}°`).join(', ')] as [string, string]] : []),
          [t('field.range_m'), num(p.range_m, ' m')], [t('field.mounting_height_m'), num(p.mounting_height_m, ' m', 1)],
          [t('field.privacy_masks'), p.privacy_masks ? t('details.yes') : t('details.no')],
          [t('field.owner_unit'), text(p.owner_unit)], [t('field.district'), this.host.districtLabel(p.district as string | null)],
          [t('field.installed_at'), time(p.installed_at)], ...location, ...common,
        ];
      case 'patrol_units':
        return [
          [t('field.mode'), tk(`mode.${String(p.mode)}`)], [t('field.last_seen'), time(p.last_seen)],
          [t('field.speed_mps'), typeof p.speed_mps === 'number' ? `${formatNumber(p.speed_mps * 3.6, { maximumFractionDigits: 0 })} km/h` : '—'],
          [t('field.heading_deg'), num(p.heading_deg, '°')], [t('field.district'), this.host.districtLabel(p.district as string | null)],
          ...location, ...common,
        ];
      case 'patrol_routes':
        return [
          [t('field.mode'), tk(`mode.${String(p.mode)}`)], [t('field.length_m'), num(typeof p.length_m === 'number' ? p.length_m / 1000 : undefined, ' km', 1)],
          [t('field.owner_unit'), text(p.owner_unit)], [t('field.district'), this.host.districtLabel(p.district as string | null)],
          [t('field.shift_windows'), Array.isArray(p.shift_windows) ? (p.shift_windows as { start: string; end: string }[]).map((w) => `${w.start}–${w.end}`).join(', ') || '—' : '—'],
          ...common,
        ];
      case 'zones':
        return [
          [t('field.name_en'), text(p.name_en)], [t('field.coverage_target'), typeof p.coverage_target === 'number' ? formatNumber(p.coverage_target, { style: 'percent' }) : '—'],
          [t('field.area_m2'), num(typeof p.area_m2 === 'number' ? p.area_m2 / 1e6 : undefined, ' km²', 2)],
          [t('field.district'), this.host.districtLabel(p.district as string | null)], ...common,
        ];
      case 'districts': {
        const d = p as unknown as DistrictProperties;
        return [[t('field.code'), d.code], [t('field.name_en'), text(d.name_en)], [t('field.area_m2'), num(d.area_m2 / 1e6, ' km²', 1)], ...common];
      }
      default:
        return common;
    }
  }

  private table(rows: Row[]): HTMLElement {
    return h('dl', { class: 'props' }, rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
  }

  /** "Dispatch" for an open incident: its units ranked by ETA, for every account (assigning needs incidents:write and units:write). */
  private dispatchAction(f: Feature<AnyProps>): HTMLElement | null {
    if (this.layer !== 'incidents' || !this.host.dispatch || !openStatuses.includes((f.properties as unknown as IncidentProperties).status)) return null;
    return h('div', { class: 'btn-row details-dispatch' }, h('button', {
      type: 'button', class: 'btn btn-primary btn-dispatch', dataset: { action: 'dispatch' }, title: t('details.dispatchTitle'),
      onclick: () => this.host.dispatch?.(f.id),
    }, icon('patrol'), t('details.dispatch')));
  }

  private actions(f: Feature<AnyProps>): HTMLElement | null {
    const buttons: HTMLElement[] = [];
    if (!this.layer || !canWrite(this.layer)) return null; // read-only accounts see no edit controls (the server refuses them anyway)
    if (this.layer === 'incidents') {
      const p = f.properties as unknown as IncidentProperties;
      const next = statusTransitions[p.status];
      if (next.length) {
        buttons.push(h('div', { class: 'workflow' },
          h('span', { class: 'workflow-label' }, t('details.moveTo')),
          next.map((s) => {
            const b = h('button', { type: 'button', class: 'btn btn-status', dataset: { status: s }, disabled: this.busy, onclick: () => void this.changeStatus(f, s) }, tk(`status.${s}`));
            b.style.setProperty('--c', statusColors[s]);
            return b;
          })));
      }
    }
    const editable = this.layer === 'incidents' || this.layer === 'cameras' || this.layer === 'patrol_routes';
    if (editable) {
      buttons.push(h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn', disabled: this.busy, onclick: () => { this.editing = true; this.render(); } }, t('details.edit')),
        this.layer === 'incidents' ? h('button', { type: 'button', class: 'btn btn-danger', disabled: this.busy, onclick: () => void this.remove(f) }, t('details.delete')) : null));
    }
    return buttons.length ? h('div', { class: 'actions' }, buttons) : null;
  }

  /** Coverage scenario actions of a camera (planning:write): rotate, move or remove it in the draft, not for real. */
  private scenarioSection(f: Feature<CameraProperties>): HTMLElement | null {
    const host = this.cameraScenario;
    const p = f.properties;
    if (!host || !p || !canWrite('cameras')) return null;
    const change = host.change(f.id);
    const headingValue = change?.op === 'update' && change.heading_deg !== undefined ? change.heading_deg : p.heading_deg;
    const heading = h('input', {
      type: 'number', class: 'scenario-heading', min: '0', max: '359.9', step: '1', value: String(Math.round(headingValue)), 'aria-label': t('field.heading_deg'),
      dataset: { field: 'scenario-heading' },
    });
    const rotate = (): void => {
      const v = Number(heading.value);
      if (Number.isFinite(v) && heading.value !== '') host.rotate(f, v);
    };
    heading.addEventListener('keydown', (e) => { if (e.key === 'Enter') rotate(); });
    let described: string | null = null;
    if (change?.op === 'remove') described = t('scenario.removed');
    else if (change?.op === 'update') {
      const parts: string[] = [];
      if (change.heading_deg !== undefined) parts.push(t('scenario.rotated', { heading: formatNumber(change.heading_deg, { maximumFractionDigits: 1 }) }));
      if (change.location) parts.push(t('scenario.moved'));
      described = parts.join(' · ');
    }
    return h('section', { class: 'details-scenario', dataset: { section: 'scenario' } },
      h('h3', {}, t('scenario.title')),
      h('div', { class: 'panel-note' }, t('scenario.hint')),
      described ? h('div', { class: 'scenario-state' }, h('span', {}, t('scenario.inDraft', { change: described })),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { action: 'scenario-undo' }, onclick: () => host.undo(f.id) }, t('scenario.undo'))) : null,
      h('div', { class: 'btn-row scenario-actions' },
        h('label', { class: 'scenario-rotate' }, heading, '°'),
        h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'scenario-rotate' }, onclick: rotate }, t('scenario.rotate')),
        h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'scenario-move' }, onclick: () => void host.move(f) }, t('scenario.move')),
        h('button', { type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'scenario-remove' }, disabled: change?.op === 'remove', onclick: () => host.remove(f) }, t('scenario.remove'))));
  }

  private historySection(): HTMLElement {
    const body = this.history === 'loading' ? h('div', { class: 'panel-note' }, t('details.loading'))
      : this.history === 'unavailable' || this.history === null ? h('div', { class: 'panel-note' }, t('details.historyUnavailable'))
        : this.history.changes.length === 0 ? h('div', { class: 'panel-note' }, t('details.noHistory'))
          : h('ol', { class: 'history' }, this.history.changes.map((c) => h('li', {},
            h('time', { dateTime: c.at, title: formatDateTime(c.at) }, formatRelative(c.at)),
            h('span', { class: 'history-kind' }, tk(`history.${c.kind}`)),
            h('span', { class: 'history-what' }, this.describe(c.feature as Feature<unknown> | null)),
            h('span', { class: 'history-seq' }, `#${c.seq}`))));
    return h('section', { class: 'details-history' }, h('h3', {}, t('details.history')), body);
  }

  private describe(feature: Feature<unknown> | null): string {
    const p = feature?.properties as AnyProps | null | undefined;
    if (!p) return '';
    switch (this.layer) {
      case 'incidents': return `${tk(`status.${String(p.status)}`)} · S${String(p.severity)}`;
      case 'cameras': return tk(`cameraStatus.${String(p.status)}`);
      case 'patrol_units': return tk(`unitStatus.${String(p.status)}`);
      case 'patrol_routes': return tk(`routeStatus.${String(p.status)}`);
      default: return `v${String(p.version ?? '')}`;
    }
  }

  // ---- writing -------------------------------------------------------------------------------------------------

  private async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.render();
    try {
      await action();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 412 || e.status === 409) && this.layer && this.id !== null) {
        this.host.toast(e.status === 412 || e.problem?.current_version !== undefined ? t('details.conflict') : t('error.generic', { message: errorText(e) }), 'error');
        try {
          this.feature = await api.get<AnyProps>(routeOf[this.layer], this.id);
        } catch {
          // keep what we have
        }
      } else {
        this.host.toast(t('error.generic', { message: errorText(e) }), 'error');
      }
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private async changeStatus(f: Feature<AnyProps>, status: IncidentStatus): Promise<void> {
    await this.run(async () => {
      const { data, response } = await api.changeIncidentStatus(f.id, status, Number(f.properties?.version));
      this.feature = data as unknown as Feature<AnyProps>;
      this.host.applyLocal('incidents', data, data.id, seqOf(response));
      this.host.toast(t('details.statusChanged', { status: tk(`status.${status}`) }), 'success');
    });
  }

  private async remove(f: Feature<AnyProps>): Promise<void> {
    if (!window.confirm(t('details.confirmDelete'))) return;
    await this.run(async () => {
      const { response } = await api.remove('incidents', f.id, Number(f.properties?.version));
      this.host.applyLocal('incidents', null, f.id, seqOf(response));
      this.host.toast(t('details.deleted'), 'success');
      this.close();
    });
  }

  private async save(route: LayerRoute, f: Feature<AnyProps>, changes: AnyProps): Promise<void> {
    await this.run(async () => {
      const properties: AnyProps = { ...f.properties, ...changes };
      for (const readOnly of ['version', 'created_at', 'updated_at', 'view_sector', 'length_m', 'area_m2', 'last_seen']) delete properties[readOnly];
      const { data, response } = await api.replace<AnyProps>(route, f.id, { type: 'Feature', geometry: f.geometry, properties }, Number(f.properties?.version));
      this.feature = data;
      this.editing = false;
      if (this.layer) this.host.applyLocal(this.layer, data, data.id, seqOf(response));
      this.host.toast(t('details.saved'), 'success');
    });
  }

  private editForm(f: Feature<AnyProps>): HTMLElement {
    switch (this.layer) {
      case 'incidents': return this.incidentForm(f as unknown as Feature<IncidentProperties>);
      case 'cameras': return this.cameraForm(f as unknown as Feature<CameraProperties>);
      case 'patrol_routes': return this.routeForm(f as unknown as Feature<PatrolRouteProperties>);
      default: return h('div');
    }
  }

  private formShell(fields: HTMLElement[], submitLabel: string, onSubmit: (data: FormData) => void): HTMLFormElement {
    const form = h('form', { class: 'edit-form', novalidate: false },
      fields,
      h('div', { class: 'btn-row' },
        h('button', { type: 'submit', class: 'btn btn-primary', disabled: this.busy }, submitLabel),
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { if (this.creating) this.close(); else { this.editing = false; this.render(); } } }, t('details.cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      onSubmit(new FormData(form));
    });
    return form;
  }

  private field(label: string, control: HTMLElement): HTMLElement {
    return h('label', { class: 'field' }, h('span', {}, label), control);
  }

  private options(values: readonly (string | number)[], labelOf: (v: string | number) => string, selected: unknown): HTMLOptionElement[] {
    return values.map((v) => h('option', { value: String(v), selected: String(v) === String(selected) }, labelOf(v)));
  }

  private incidentForm(f: Feature<IncidentProperties> | null): HTMLElement {
    const p = f?.properties;
    const fields = [
      this.field(t('field.category'), h('select', { name: 'category', required: true }, this.options(categories, (v) => tk(`category.${v}`), p?.category ?? 'public_order'))),
      this.field(t('field.severity'), h('select', { name: 'severity', required: true }, this.options([4, 3, 2, 1], (v) => `S${v} ${tk(`severity.${v}`)}`, p?.severity ?? 2))),
      this.field(t('field.address'), h('input', { name: 'address', value: p?.address ?? '', maxLength: 200 })),
      this.field(t('field.description'), h('textarea', { name: 'description', rows: 3, maxLength: 2000 }, p?.description ?? '')),
    ];
    if (this.creating) {
      const [lon, lat] = this.creating;
      fields.unshift(h('div', { class: 'panel-note' }, `${t('field.location')}: ${lat.toFixed(5)}, ${lon.toFixed(5)}`));
    }
    return this.formShell(fields, this.creating ? t('create.submit') : t('details.save'), (data) => {
      const values = {
        category: String(data.get('category')),
        severity: Number(data.get('severity')),
        address: String(data.get('address') ?? '').trim() || null,
        description: String(data.get('description') ?? '').trim() || null,
      };
      if (this.creating) void this.create(this.creating, values);
      else if (f) void this.save('incidents', f as unknown as Feature<AnyProps>, values);
    });
  }

  private async create(lngLat: [number, number], values: AnyProps): Promise<void> {
    await this.run(async () => {
      const now = new Date().toISOString();
      const { data, response } = await api.create<IncidentProperties>('incidents', {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: lngLat },
        properties: { ...values, occurred_at: now, reported_at: now, source: 'dashboard' },
      });
      this.host.applyLocal('incidents', data, data.id, seqOf(response));
      this.host.toast(t('create.created', { id: String(data.id) }), 'success');
      this.onCreated?.(data);
      this.creating = null;
      await this.open('incidents', data.id, data);
    });
  }

  private cameraForm(f: Feature<CameraProperties>): HTMLElement {
    const p = f.properties!;
    const number = (name: string, value: number, min: number, max: number, step: number): HTMLInputElement =>
      h('input', { name, type: 'number', value: String(value), min: String(min), max: String(max), step: String(step), required: true });
    return this.formShell([
      this.field(t('field.name'), h('input', { name: 'name', value: p.name, required: true, maxLength: 200 })),
      this.field(t('field.kind'), h('select', { name: 'kind' }, this.options(cameraKinds, (v) => tk(`cameraKind.${v}`), p.kind))),
      this.field(t('field.status'), h('select', { name: 'status' }, this.options(cameraStatuses, (v) => tk(`cameraStatus.${v}`), p.status))),
      this.field(t('field.heading_deg'), number('heading_deg', p.heading_deg, 0, 359.9, 0.1)),
      this.field(t('field.field_of_view_deg'), number('field_of_view_deg', p.field_of_view_deg, 1, 360, 1)),
      this.field(t('field.preset_headings_deg'), h('input', {
        name: 'preset_headings_deg', value: (p.preset_headings_deg ?? []).join(', '), placeholder: t('field.preset_headings_hint'),
        pattern: '^\\s*(\\d+(\\.\\d+)?(\\s*[,，\\s]\\s*\\d+(\\.\\d+)?)*)?\\s*$',
      })),
      this.field(t('field.range_m'), number('range_m', p.range_m, 1, 1000, 1)),
      this.field(t('field.mounting_height_m'), number('mounting_height_m', p.mounting_height_m, 0, 100, 0.1)),
    ], t('details.save'), (data) => void this.save('cameras', f as unknown as Feature<AnyProps>, {
      name: String(data.get('name')), kind: String(data.get('kind')), status: String(data.get('status')),
      heading_deg: Number(data.get('heading_deg')), field_of_view_deg: Number(data.get('field_of_view_deg')),
      preset_headings_deg: String(data.get('kind')) === 'fixed' ? null : parsePresets(String(data.get('preset_headings_deg') ?? '')),
      range_m: Number(data.get('range_m')), mounting_height_m: Number(data.get('mounting_height_m')),
    }));
  }

  private routeForm(f: Feature<PatrolRouteProperties>): HTMLElement {
    const p = f.properties!;
    return this.formShell([
      this.field(t('field.name'), h('input', { name: 'name', value: p.name, required: true, maxLength: 200 })),
      this.field(t('field.level'), h('select', { name: 'level' }, this.options([1, 2, 3], (v) => tk(`level.${v}`), p.level))),
      this.field(t('field.mode'), h('select', { name: 'mode' }, this.options(patrolModes, (v) => tk(`mode.${v}`), p.mode))),
      this.field(t('field.status'), h('select', { name: 'status' }, this.options(routeStatuses, (v) => tk(`routeStatus.${v}`), p.status))),
    ], t('details.save'), (data) => void this.save('patrol-routes', f as unknown as Feature<AnyProps>, {
      name: String(data.get('name')), level: Number(data.get('level')), mode: String(data.get('mode')), status: String(data.get('status')),
    }));
  }
}

/** "0, 90, 180" → [0, 90, 180]; empty → null (a PTZ or dome camera without presets sees the full circle). */
export function parsePresets(text: string): number[] | null {
  const values = text.split(/[,，\s]+/).filter((v) => v.length > 0).map(Number);
  return values.length === 0 ? null : values;
}
