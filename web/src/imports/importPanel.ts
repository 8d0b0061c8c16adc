// The Import panel: a toggle in the map toolbar (for accounts that may write an importable layer) opens a floating
// panel over the map's left edge, one of the analysis panels at a time. The user picks agency files (CSV, GeoJSON,
// Shapefile as .zip or .shp+.dbf+.shx+.prj, GeoPackage), the target layer, the CRS of the coordinates, for CSV the x/y
// columns (read from the file's header in the browser), the source name and external id that make re-imports update,
// all-or-nothing or skip-bad-rows, and optionally the field mapping; "Check (dry run)" and "Import" POST
// /api/imports (multipart) and poll GET /api/imports/{id} every 500 ms for the progress, then show the result, the
// first rejects and the link to every reject as CSV. A written import reaches the map through the server's 'reloaded'
// live event, like any other change.
import { ApiError, getJson, postForm } from '../api/client';
import { canWrite } from '../auth/session';
import { formatNumber, t, tk } from '../i18n';
import { clear, h } from '../panels/dom';
import {
  buildOptions, crsChoices, describeFiles, fieldsText, guessCoordinates, guessExternalId, headerBytes, identityFields, importLayers,
  isRunning, progressPercent, resultKind, serverProblems, sniffHeader,
  type CrsChoice, type CsvHeader, type FormPlace, type FormProblem, type ImportForm, type ImportJobStatus, type ImportLayer,
} from './model';
import '../hotspots/hotspots.css';
import '../coverage/coverage.css';
import './imports.css';

export interface ImportPanelOptions {
  /** The element the panel floats in (the map area). */
  container: HTMLElement;
  /** Where the toggle button goes. */
  toolbar: HTMLElement;
  toast: (message: string, kind?: 'info' | 'success' | 'error', ms?: number) => void;
  /** The panel opened (the dashboard closes the other floating panels). */
  onOpen?: () => void;
}

/** How often a running import is asked for its progress. */
export const pollMs = 500;
/** How many rejects the panel lists (the server sends the first 100; rejects.csv has all). */
const shownRejects = 20;

/** Read-only state for tests and diagnostics (`window.__situationMap.dashboard.imports.view()`). */
export interface ImportView {
  open: boolean;
  files: string[];
  layers: ImportLayer[];
  layer: ImportLayer | '';
  columns: string[];
  x: string;
  y: string;
  externalId: string;
  crs: CrsChoice;
  mode: string;
  running: boolean;
  polls: number;
  phases: string[];
  id: string | null;
  state: string | null;
  phase: string | null;
  result: { dry_run: boolean; rows_read: number; accepted: number; rejected: number; created: number; updated: number; unchanged: number; written: boolean; crs: string } | null;
  problems: { place: FormPlace; text: string }[];
}

/** The layers this account may import into (the server checks the layer's write permission). */
export function writableImportLayers(): ImportLayer[] {
  return importLayers.filter((l) => canWrite(l));
}

/** An arrow into a tray (the toolbar button). */
function importIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M7.2 1.5h1.6v6.6l2.3-2.3 1.1 1.1L8 11.1 3.8 6.9l1.1-1.1 2.3 2.3z M1.5 9.5H3v3.5h10V9.5h1.5v5h-13z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function readHead(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsText(file.slice(0, headerBytes), 'utf-8');
  });
}

export class ImportPanel {
  private readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  /** Kept across renders: a file input cannot be given its files back. */
  private readonly fileInput: HTMLInputElement;
  private isOpen = false;
  private readonly layers: ImportLayer[];
  // the form
  private files: File[] = [];
  private layer: ImportLayer | '';
  private crs: CrsChoice = 'file';
  private otherCrs = '';
  private header: CsvHeader | null = null;
  private headerError: string | null = null;
  private x = '';
  private y = '';
  private source = '';
  private externalId = '';
  private mode: 'atomic' | 'skip_bad_rows' = 'atomic';
  private fields = '';
  private fieldsEdited = false;
  private readToken = 0;
  // the job
  private running = false;
  private status: ImportJobStatus | null = null;
  private problems: FormProblem[] = [];
  private error: string | null = null;
  private polls = 0;
  /** The phases the progress bar showed for the last job (queued, reading, writing…). */
  private phases: string[] = [];
  private readonly resultBox = h('div', { class: 'imp-result', 'aria-live': 'polite' });

  constructor(private readonly options: ImportPanelOptions) {
    this.layers = writableImportLayers();
    this.layer = this.layers[0] ?? '';
    this.fields = fieldsText(this.exampleFields());
    this.root = h('section', { id: 'imports', class: 'coverage imports', hidden: true, role: 'region' });
    options.container.append(this.root);
    this.button = h('button', {
      type: 'button', class: 'btn imports-toggle', 'aria-pressed': 'false', 'aria-controls': 'imports', onclick: () => this.toggle(),
    });
    options.toolbar.append(this.button);
    this.fileInput = h('input', {
      type: 'file', multiple: true, class: 'imp-file-input', id: 'imp-files',
      accept: '.csv,.tsv,.txt,.geojson,.json,.ndjson,.zip,.shp,.shx,.dbf,.prj,.cpg,.gpkg',
    });
    this.fileInput.addEventListener('change', () => void this.setFiles([...(this.fileInput.files ?? [])]));
    this.render();
  }

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
      this.render();
    }
  }

  // ---- the form -----------------------------------------------------------------------------------------------------

  private get format(): string | null {
    return describeFiles(this.files.map((f) => f.name)).format;
  }

  /** The fields example: the identity mapping over the CSV header, or (no header yet) over the layer's own field names. */
  private exampleFields(): Record<string, { column: string }> {
    if (!this.layer) return {};
    const columns = this.header?.columns ?? [];
    return identityFields(this.layer, columns) as Record<string, { column: string }>;
  }

  private refreshFields(): void {
    if (!this.fieldsEdited) this.fields = fieldsText(this.exampleFields());
  }

  async setFiles(files: File[]): Promise<void> {
    this.files = files;
    this.header = null;
    this.headerError = null;
    this.problems = [];
    const token = ++this.readToken;
    const csv = files.find((f) => describeFiles([f.name]).format === 'csv');
    if (csv && this.format === 'csv') {
      try {
        const header = sniffHeader(await readHead(csv));
        if (token !== this.readToken) return;
        this.header = header;
        if (!header) this.headerError = t('imports.csv.noHeader', { file: csv.name });
      } catch (e) {
        if (token !== this.readToken) return;
        this.headerError = t('imports.csv.unreadable', { file: csv.name, message: String(e) });
      }
    }
    const columns = this.header?.columns ?? [];
    const guess = guessCoordinates(columns);
    this.x = guess.x ?? '';
    this.y = guess.y ?? '';
    if (this.externalId !== '#hash') this.externalId = guessExternalId(columns) ?? '';
    this.refreshFields();
    this.render();
  }

  private form(): ImportForm {
    return {
      files: this.files.map((f) => f.name), layer: this.layer, crs: this.crs, otherCrs: this.otherCrs, x: this.x, y: this.y,
      delimiter: this.header?.delimiter ?? null, source: this.source, externalId: this.externalId, mode: this.mode, fieldsText: this.fields,
    };
  }

  // ---- running an import --------------------------------------------------------------------------------------------

  /** Sends the files with the options (a dry run or the import) and follows the job until it has finished. */
  async submit(dryRun: boolean): Promise<void> {
    if (this.running) return;
    const { options, problems } = buildOptions(this.form(), dryRun);
    this.problems = problems;
    this.error = null;
    this.status = null;
    if (!options) {
      this.render();
      return;
    }
    const body = new FormData();
    body.append('options', JSON.stringify(options));
    for (const file of this.files) body.append('file', file, file.name);
    this.running = true;
    this.polls = 0;
    this.phases = [];
    this.render();
    try {
      const { data } = await postForm<ImportJobStatus>('/api/imports', body);
      this.status = data;
      this.renderResult();
      await this.follow(data.id);
    } catch (e) {
      this.fail(e);
    }
    this.running = false;
    this.render();
    this.finished();
  }

  private follow(id: string): Promise<void> {
    return new Promise((resolve) => {
      const poll = (): void => {
        if (!this.status || !isRunning(this.status)) {
          resolve();
          return;
        }
        setTimeout(() => {
          getJson<ImportJobStatus>(`/api/imports/${encodeURIComponent(id)}`).then((status) => {
            this.polls++;
            this.status = status;
            this.renderResult();
            poll();
          }).catch((e: unknown) => {
            this.fail(e);
            resolve();
          });
        }, pollMs);
      };
      poll();
    });
  }

  private fail(e: unknown): void {
    if (e instanceof ApiError) {
      const errors = e.problem?.errors;
      if (errors && Object.keys(errors).length) {
        this.problems = serverProblems(errors);
        this.error = e.problem?.title ?? null;
      } else {
        this.error = e.problem?.detail ?? e.problem?.title ?? e.message;
      }
    } else {
      this.error = String(e);
    }
  }

  private finished(): void {
    const s = this.status;
    if (!s || isRunning(s)) return;
    if (s.state === 'refused') this.problems = serverProblems(s.problems);
    const r = s.result;
    if (r && !r.dry_run && r.written) {
      this.options.toast(t('imports.toast.written', {
        created: r.created, updated: r.updated, layer: tk(`imports.layer.${s.layer ?? ''}`),
      }), 'success', 6000);
    }
    this.render();
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  private problemsAt(place: FormPlace): HTMLElement | null {
    const here = this.problems.filter((p) => p.place === place);
    if (!here.length) return null;
    return h('ul', { class: 'imp-problems hs-problems', dataset: { place } }, here.map((p) => h('li', {},
      p.pointer ? h('code', { class: 'imp-pointer' }, p.pointer) : null,
      p.text ?? (p.key ? tk(p.key, p.params) : ''))));
  }

  private field(place: FormPlace, label: string, control: HTMLElement, hint?: string | null): HTMLElement {
    return h('label', { class: `hs-field imp-field${this.problems.some((p) => p.place === place) ? ' invalid' : ''}`, dataset: { field: place } },
      h('span', { class: 'hs-label' }, label), control, hint ? h('span', { class: 'hs-hint' }, hint) : null, this.problemsAt(place));
  }

  private select(name: string, value: string, choices: [string, string][], onchange: (v: string) => void): HTMLSelectElement {
    const el = h('select', { class: 'hs-select', name, disabled: this.running },
      choices.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
    el.addEventListener('change', () => onchange(el.value));
    return el;
  }

  render(): void {
    clear(this.button, importIcon(), h('span', {}, t('imports.button')));
    this.button.title = t('imports.buttonTitle');
    this.root.setAttribute('aria-label', t('imports.title'));
    clear(this.root,
      h('div', { class: 'cov-head' },
        h('h2', { class: 'cov-title' }, t('imports.title')),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('imports.close'), title: t('imports.close'), onclick: () => this.toggle(false) }, '×')),
      h('div', { class: 'cov-body imp-body' }, this.renderForm(), this.resultBox));
    this.renderResult();
  }

  private renderForm(): HTMLElement {
    const names = this.files.map((f) => f.name);
    const csv = this.format === 'csv';
    const columns = this.header?.columns ?? [];
    this.fileInput.disabled = this.running;

    const fileList = names.length
      ? h('ul', { class: 'imp-files' }, this.files.map((f) => h('li', {}, h('span', { class: 'imp-file-name' }, f.name),
        h('span', { class: 'imp-file-size' }, t('imports.files.kb', { kb: Math.max(1, Math.round(f.size / 1024)) })))))
      : null;
    // the native input is hidden: its button and "no file" text would follow the browser's language, not the page's
    const choose = h('label', { class: `btn btn-small imp-choose${this.running ? ' disabled' : ''}`, for: 'imp-files' }, t('imports.files.choose'));
    const files = h('div', { class: `hs-field imp-field${this.problems.some((p) => p.place === 'files') ? ' invalid' : ''}`, dataset: { field: 'files' } },
      h('span', { class: 'hs-label' }, t('imports.files.label')),
      h('div', { class: 'imp-picker' }, this.fileInput,
        h('div', { class: 'imp-picker-row' }, choose, names.length ? null : h('span', { class: 'hs-hint' }, t('imports.files.none'))), fileList),
      h('span', { class: 'hs-hint' }, t('imports.files.hint')), this.problemsAt('files'));

    const layer = this.field('layer', t('imports.layer.label'), this.select('layer', this.layer,
      this.layers.map((l) => [l, tk(`imports.layer.${l}`)]), (v) => {
        this.layer = v as ImportLayer;
        this.refreshFields();
        this.render();
      }));

    const crsSelect = this.select('crs', this.crs, crsChoices.map((c) => [c, tk(`imports.crs.${c.replace(/[^A-Za-z0-9]/g, '')}`)]), (v) => {
      this.crs = v as CrsChoice;
      this.render();
    });
    const other = this.crs === 'other' ? h('input', {
      type: 'text', class: 'hs-select imp-text', name: 'otherCrs', value: this.otherCrs, placeholder: 'EPSG:32650', disabled: this.running,
      oninput: (e: Event) => { this.otherCrs = (e.target as HTMLInputElement).value; },
    }) : null;
    const crs = this.field('crs', t('imports.crs.label'), h('div', { class: 'imp-row' }, crsSelect, other), t('imports.crs.hint'));

    const columnChoices = (auto: string): [string, string][] => [['', auto], ...columns.map((c): [string, string] => [c, c])];
    const sample = (column: string): string | null => {
      const i = columns.indexOf(column);
      const v = i >= 0 ? this.header?.sample?.[i] : undefined;
      return v ? t('imports.csv.sample', { value: v }) : null;
    };
    const csvBlock = csv ? h('div', { class: 'hs-grid imp-csv' },
      this.field('x', t('imports.csv.x'), this.select('x', this.x, columnChoices(t('imports.csv.auto')), (v) => {
        this.x = v;
        this.render();
      }), sample(this.x)),
      this.field('y', t('imports.csv.y'), this.select('y', this.y, columnChoices(t('imports.csv.auto')), (v) => {
        this.y = v;
        this.render();
      }), sample(this.y)),
      this.headerError ? h('div', { class: 'hs-error imp-span' }, this.headerError)
        : this.header ? h('div', { class: 'hs-hint imp-span imp-columns' }, t('imports.csv.columns', { n: columns.length, columns: columns.join(', ') }))
          : null) : null;

    const sourceInput = h('input', {
      type: 'text', class: 'hs-select imp-text', name: 'source', value: this.source, placeholder: t('imports.source.placeholder'),
      maxLength: 64, disabled: this.running, oninput: (e: Event) => { this.source = (e.target as HTMLInputElement).value; },
    });
    const keyChoices: [string, string][] = [['', t('imports.key.none')], ['#hash', t('imports.key.hash')], ...columns.map((c): [string, string] => [c, t('imports.key.column', { column: c })])];
    if (this.externalId && this.externalId !== '#hash' && !columns.includes(this.externalId)) keyChoices.push([this.externalId, this.externalId]);
    const identity = h('div', { class: 'hs-grid' },
      this.field('source', t('imports.source.label'), sourceInput),
      this.field('externalId', t('imports.key.label'), this.select('externalId', this.externalId, keyChoices, (v) => { this.externalId = v; })),
      h('span', { class: 'hs-hint imp-span' }, t('imports.key.hint')));

    const mode = this.field('mode', t('imports.mode.label'), this.select('mode', this.mode,
      [['atomic', t('imports.mode.atomic')], ['skip_bad_rows', t('imports.mode.skip')]], (v) => {
        this.mode = v as 'atomic' | 'skip_bad_rows';
        this.render();
      }), this.mode === 'atomic' ? t('imports.mode.atomicHint') : t('imports.mode.skipHint'));

    const textarea = h('textarea', {
      class: 'hs-select imp-fields', name: 'fields', rows: 7, spellcheck: false, disabled: this.running, value: this.fields,
      oninput: (e: Event) => {
        this.fields = (e.target as HTMLTextAreaElement).value;
        this.fieldsEdited = true;
      },
    });
    const reset = h('button', {
      type: 'button', class: 'link-btn', dataset: { action: 'reset-fields' }, disabled: this.running, onclick: () => {
        this.fieldsEdited = false;
        this.refreshFields();
        this.render();
      },
    }, t('imports.fields.reset'));
    const advanced = h('details', { class: 'cov-section imp-advanced', open: this.problems.some((p) => p.place === 'fields') || this.fieldsEdited },
      h('summary', {}, t('imports.fields.summary')),
      h('div', { class: 'imp-advanced-body' },
        this.field('fields', t('imports.fields.label'), textarea, t('imports.fields.hint')),
        reset));

    const actions = h('div', { class: 'imp-actions' },
      h('button', {
        type: 'button', class: 'btn', dataset: { action: 'dry-run' }, disabled: this.running || !this.layer, onclick: () => void this.submit(true),
      }, t('imports.dryRun')),
      h('button', {
        type: 'button', class: 'btn btn-primary', dataset: { action: 'import' }, disabled: this.running || !this.layer, onclick: () => void this.submit(false),
      }, t('imports.import')));

    return h('form', { class: 'hs-controls imp-form', onsubmit: (e: Event) => e.preventDefault() },
      files, h('div', { class: 'hs-grid' }, layer, mode), crs, csvBlock, identity, advanced, actions, this.problemsAt('form'));
  }

  /** Progress while the job runs; the result, the rejects and the problems when it has finished. */
  private renderResult(): void {
    const s = this.status;
    const parts: (HTMLElement | null)[] = [];
    if (this.error) parts.push(h('div', { class: 'imp-error hs-error', role: 'alert' }, this.error));
    if (s && isRunning(s)) {
      if (!this.phases.includes(s.phase)) this.phases.push(s.phase);
      const pct = progressPercent(s);
      const bar = h('div', { class: 'imp-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct) },
        h('div', { class: 'imp-bar-fill' }));
      (bar.firstChild as HTMLElement).style.width = `${pct}%`;
      parts.push(h('div', { class: 'imp-progress', dataset: { phase: s.phase } },
        h('div', { class: 'imp-progress-text' },
          h('span', { class: 'imp-phase' }, tk(`imports.phase.${s.phase}`)),
          h('span', {}, t('imports.progress.rows', { n: s.rows_read })),
          h('span', { class: 'imp-pct' }, `${pct} %`)),
        bar));
    } else if (this.running) {
      parts.push(h('div', { class: 'imp-progress hs-loading' }, t('imports.uploading')));
    }
    if (s && !isRunning(s)) parts.push(this.renderOutcome(s));
    clear(this.resultBox, parts);
    // the result (or progress) in view below the form
    const body = this.resultBox.parentElement;
    if (body && parts.length) body.scrollTop = Math.max(0, this.resultBox.offsetTop - body.offsetTop - 8);
  }

  private renderOutcome(s: ImportJobStatus): HTMLElement {
    if (s.state === 'refused') {
      return h('div', { class: 'imp-outcome refused', dataset: { state: s.state } },
        h('div', { class: 'imp-outcome-title' }, t('imports.refused')));
    }
    if (s.state === 'failed' || !s.result) {
      return h('div', { class: 'imp-outcome failed', dataset: { state: s.state } },
        h('div', { class: 'imp-outcome-title' }, t('imports.failed')), s.error ? h('div', { class: 'hs-error' }, s.error) : null);
    }
    const r = s.result;
    const kind = resultKind(r);
    const dry = r.dry_run;
    const sep = (): HTMLElement => h('span', { class: 'imp-sep', 'aria-hidden': 'true' }, '·');
    const summary = h('div', { class: 'imp-summary' },
      h('span', { dataset: { count: 'read' } }, t('imports.summary.read', { n: r.rows_read })), sep(),
      h('span', { class: 'good', dataset: { count: 'accepted' } }, t('imports.summary.accepted', { n: r.accepted })), sep(),
      h('span', { class: r.rejected ? 'bad' : '', dataset: { count: 'rejected' } }, t('imports.summary.rejected', { n: r.rejected })));
    const upsert = dry
      ? t('imports.summary.wouldUpsert', { created: r.created, updated: r.updated, unchanged: r.unchanged })
      : t('imports.summary.upsert', { created: r.created, updated: r.updated, unchanged: r.unchanged });
    const rejects = r.rejects.slice(0, shownRejects);
    return h('div', { class: `imp-outcome ${kind}`, dataset: { state: s.state, kind } },
      h('div', { class: 'imp-outcome-title' }, tk(`imports.outcome.${kind}`)),
      summary,
      h('div', { class: 'imp-upsert', dataset: { created: String(r.created) } }, upsert),
      h('div', { class: 'hs-hint imp-meta' }, t('imports.meta', {
        crs: r.crs || '—', layer: tk(`imports.layer.${s.layer ?? ''}`), mode: tk(`imports.modeName.${r.mode}`), s: formatNumber(r.seconds, { maximumFractionDigits: 2 }),
      })),
      rejects.length ? h('div', { class: 'cov-section imp-rejects' },
        h('div', { class: 'cov-section-title imp-rejects-title' },
          h('span', {}, r.reject_reasons > rejects.length
            ? t('imports.rejects.firstOf', { shown: rejects.length, n: r.reject_reasons }) : t('imports.rejects.title')),
          h('a', { class: 'link-btn imp-rejects-link', href: `/api/imports/${encodeURIComponent(s.id)}/rejects.csv`, download: `import-${s.id}-rejects.csv` },
            t('imports.rejects.csv'))),
        h('table', { class: 'cov-table imp-rejects-table' },
          h('thead', {}, h('tr', {}, h('th', { class: 'num' }, t('imports.rejects.row')), h('th', {}, t('imports.rejects.field')), h('th', {}, t('imports.rejects.message')))),
          h('tbody', {}, rejects.map((j) => h('tr', { dataset: { row: String(j.row), field: j.field } },
            h('td', { class: 'num' }, this.files.length > 1 ? `${j.file}:${j.row}` : String(j.row)),
            h('td', { class: 'imp-reject-field' }, j.field),
            h('td', { class: 'imp-reject-message' }, j.message)))))) : null);
  }

  // ---- test hook ----------------------------------------------------------------------------------------------------

  view(): ImportView {
    const r = this.status?.result ?? null;
    return {
      open: this.isOpen,
      files: this.files.map((f) => f.name),
      layers: [...this.layers],
      layer: this.layer,
      columns: [...(this.header?.columns ?? [])],
      x: this.x,
      y: this.y,
      externalId: this.externalId,
      crs: this.crs,
      mode: this.mode,
      running: this.running,
      polls: this.polls,
      phases: [...this.phases],
      id: this.status?.id ?? null,
      state: this.status?.state ?? null,
      phase: this.status?.phase ?? null,
      result: r && {
        dry_run: r.dry_run, rows_read: r.rows_read, accepted: r.accepted, rejected: r.rejected, created: r.created, updated: r.updated,
        unchanged: r.unchanged, written: r.written, crs: r.crs,
      },
      problems: this.problems.map((p) => ({ place: p.place, text: p.text ?? (p.key ? tk(p.key, p.params) : '') })),
    };
  }
}
