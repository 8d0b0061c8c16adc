// The Export menu in the map toolbar (only for accounts with permission "export"): the current view as a server-rendered
// PNG, the shift brief as a PDF, and each layer's data in the view as GeoJSON, CSV, GeoPackage, Shapefile or KML.
// The PNG and the PDF are fetched (so a refusal shows as a toast, not as a downloaded error page) and saved under the
// server's file name; the data links are plain downloads. Every export is audited by the server.
import { download as fetchAttachment } from '../api/client';
import { download as save } from '../hotspots/mapExport';
import { t, tk } from '../i18n';
import type { LayerGroup, SituationMap } from '../map/situationMap';
import type { Bounds } from '../model/timeWindow';
import { clear, h } from '../panels/dom';
import {
  briefPdfUrl, collections, dataFormats, fileName, layerDataUrl, mapPngUrl, type DataFormat, type ViewBounds,
} from './exportLinks';
import './exports.css';

const groups: LayerGroup[] = ['incidents', 'patrol_units', 'cameras', 'patrol_routes', 'zones'];

const formatLabels: Record<DataFormat, string> = { geojson: 'GeoJSON', csv: 'CSV', gpkg: 'GPKG', 'shp.zip': 'SHP', kml: 'KML' };

export interface ExportMenuOptions {
  map: SituationMap;
  toolbar: HTMLElement;
  /** The incidents' time window the map shows. */
  window: () => Bounds;
  toast: (message: string, kind: 'info' | 'error') => void;
}

export class ExportMenu {
  private readonly button: HTMLButtonElement;
  private readonly menu: HTMLElement;
  private readonly wrap: HTMLElement;
  private busy: string | null = null;
  /** The last file saved (a test hook). */
  lastExport: string | null = null;

  constructor(private readonly options: ExportMenuOptions) {
    this.button = h('button', {
      type: 'button', class: 'btn export-toggle', id: 'export-toggle', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-controls': 'export-menu', onclick: () => this.toggle(),
    });
    this.menu = h('div', { class: 'export-menu', id: 'export-menu', role: 'menu', hidden: true });
    this.wrap = h('div', { class: 'export-wrap' }, this.button, this.menu);
    options.toolbar.append(this.wrap);
    document.addEventListener('pointerdown', (e) => {
      if (!this.wrap.contains(e.target as Node)) this.toggle(false);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle(false);
    });
    this.render();
  }

  get open(): boolean {
    return !this.menu.hidden;
  }

  toggle(open = !this.open): void {
    this.menu.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) this.render();
  }

  /** The view as the map shows it now. */
  private bounds(): ViewBounds {
    const b = this.options.map.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  private mapUrl(): string {
    const container = this.options.map.map.getContainer();
    return mapPngUrl({
      bounds: this.bounds(),
      width: container.clientWidth,
      height: container.clientHeight,
      visible: groups.filter((g) => this.options.map.isGroupVisible(g)),
      window: this.options.window(),
    });
  }

  private async fetchAndSave(kind: 'png' | 'pdf'): Promise<void> {
    if (this.busy) return;
    const url = kind === 'png' ? this.mapUrl() : briefPdfUrl(this.bounds());
    const fallback = kind === 'png' ? 'situationmap-map.png' : 'situation-brief.pdf';
    this.busy = kind;
    this.render();
    try {
      const file = await fetchAttachment(url);
      const name = fileName(file.disposition, fallback);
      save(file.blob, name);
      this.lastExport = name;
      this.toggle(false);
    } catch (e) {
      this.options.toast(t('export.failed', { message: e instanceof Error ? e.message : String(e) }), 'error');
    } finally {
      this.busy = null;
      this.render();
    }
  }

  render(): void {
    clear(this.button, h('span', {}, t('export.button')), h('span', { class: 'export-caret', 'aria-hidden': 'true' }, '▾'));
    this.button.title = t('export.buttonTitle');
    this.menu.setAttribute('aria-label', t('export.buttonTitle'));
    if (this.menu.hidden) return;
    const bounds = this.bounds();
    const item = (id: string, label: string, hint: string, kind: 'png' | 'pdf'): HTMLElement => h('button', {
      type: 'button', role: 'menuitem', class: 'export-item', id, disabled: this.busy !== null, onclick: () => void this.fetchAndSave(kind),
    }, h('span', { class: 'export-item-label' }, this.busy === kind ? t('export.working') : label), h('span', { class: 'export-item-hint' }, hint));
    clear(this.menu,
      item('export-map-png', t('export.mapPng'), t('export.mapPngHint'), 'png'),
      item('export-brief-pdf', t('export.briefPdf'), t('export.briefPdfHint'), 'pdf'),
      h('div', { class: 'export-caption' }, t('export.layerData')),
      collections.map((c) => h('div', { class: 'export-data-row', dataset: { collection: c } },
        h('span', { class: 'export-data-name' }, tk(`layer.${c}`)),
        h('span', { class: 'export-formats' }, dataFormats.map((f) => h('a', {
          role: 'menuitem', class: 'export-format', href: layerDataUrl(c, f, bounds), download: '', dataset: { format: f },
          title: `${tk(`layer.${c}`)} · ${formatLabels[f]}`,
        }, formatLabels[f]))))),
      h('div', { class: 'export-note' }, t('export.note')));
  }
}
