// The live incident feed: newest first, filtered by category, severity, status and district within the time
// window; a click flies the map to the incident; new ones flash.
import { formatNumber, formatRelative, formatShortDateTime, t, tk } from '../i18n';
import type { IncidentCategory, IncidentStatus } from '../api/types';
import { type FeedFilter, type IncidentFeature, type IncidentStore, occurredMs } from '../model/incidentStore';
import { categories, categoryColors, openStatuses, severityColors, statuses, statusColors } from '../model/vocabulary';
import { clear, h, swatch } from './dom';

const pageSize = 150;

export interface DistrictName {
  code: string;
  name: string;
  name_en: string | null;
}

export class FeedPanel {
  private filter: FeedFilter = { categories: new Set(), severities: new Set(), statuses: new Set(), districts: new Set() };
  private statusChoice = '';
  private limit = pageSize;
  private renderedRevision = -1;
  private scheduled = false;
  private readonly flashing = new Map<number, number>();
  private readonly list = h('ol', { class: 'feed-list', 'aria-live': 'polite' });
  private readonly meta = h('span', { class: 'panel-meta feed-count' });
  private readonly filters = h('div', { class: 'feed-filters' });
  private readonly footer = h('div', { class: 'feed-footer' });
  private readonly title = h('h2', { class: 'panel-title' });
  districts: DistrictName[] = [];
  onSelect: ((incident: IncidentFeature) => void) | null = null;

  constructor(root: HTMLElement, private readonly store: IncidentStore, private readonly districtLabel: (code: string | null) => string) {
    root.classList.add('panel', 'feed');
    root.append(h('div', { class: 'panel-head' }, this.title, this.meta), this.filters, this.list, this.footer);
    this.renderFilters();
    setInterval(() => this.refreshTimes(), 30_000);
  }

  get currentFilter(): FeedFilter {
    return this.filter;
  }

  /** Marks incidents as new (they flash for a few seconds). */
  flash(ids: readonly number[]): void {
    const until = Date.now() + 8000;
    for (const id of ids) this.flashing.set(id, until);
    this.invalidate();
    setTimeout(() => this.invalidate(), 8100);
  }

  invalidate(): void {
    this.renderedRevision = -1;
    this.schedule();
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // a task, not an animation frame: the list should not wait for the map's next frame
    setTimeout(() => {
      this.scheduled = false;
      this.renderList();
    }, 0);
  }

  render(): void {
    this.renderFilters();
    this.invalidate();
  }

  private renderFilters(): void {
    const select = (name: string, allLabel: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLSelectElement => {
      const el = h('select', { class: 'filter', name, 'aria-label': allLabel }, h('option', { value: '' }, allLabel), options.map(([v, label]) => h('option', { value: v }, label)));
      el.value = value;
      el.addEventListener('change', () => onChange(el.value));
      return el;
    };
    const single = <T>(set: ReadonlySet<T>): string => (set.size === 1 ? String([...set][0]) : '');
    const severityChips = h('div', { class: 'chips', role: 'group', 'aria-label': t('feed.severity') },
      ([4, 3, 2, 1] as const).map((s) => {
        const on = this.filter.severities.has(s);
        return h('button', {
          type: 'button', class: `chip sev-chip${on ? ' on' : ''}`, 'aria-pressed': String(on), title: tk(`severity.${s}`), dataset: { severity: String(s) },
          onclick: () => {
            const next = new Set(this.filter.severities);
            if (next.has(s)) next.delete(s);
            else next.add(s);
            this.setFilter({ ...this.filter, severities: next });
          },
        }, swatch(severityColors[s]), `S${s}`);
      }));
    clear(this.filters,
      select('category', t('feed.allCategories'), categories.map((c) => [c, tk(`category.${c}`)]), single(this.filter.categories),
        (v) => this.setFilter({ ...this.filter, categories: new Set(v ? [v as IncidentCategory] : []) })),
      select('status', t('feed.allStatuses'), [['open', t('feed.openOnly')] as [string, string], ...statuses.map((s): [string, string] => [s, tk(`status.${s}`)])], this.statusChoice,
        (v) => {
          this.statusChoice = v;
          this.setFilter({ ...this.filter, statuses: new Set<IncidentStatus>(v === 'open' ? openStatuses : v ? [v as IncidentStatus] : []) });
        }),
      select('district', t('feed.allDistricts'), this.districts.map((d) => [d.code, this.districtLabel(d.code)]), single(this.filter.districts),
        (v) => this.setFilter({ ...this.filter, districts: new Set(v ? [v] : []) })),
      severityChips);
  }

  private setFilter(filter: FeedFilter): void {
    this.filter = filter;
    this.limit = pageSize;
    this.renderFilters();
    this.invalidate();
  }

  private renderList(): void {
    if (this.renderedRevision === this.store.revision) return;
    this.renderedRevision = this.store.revision;
    this.title.textContent = t('feed.title');
    const { items, total } = this.store.query(this.filter, this.limit);
    this.meta.textContent = t('feed.count', { shown: items.length, total });
    const now = Date.now();
    clear(this.list, items.length ? items.map((f) => this.item(f, now)) : h('li', { class: 'feed-empty' }, t('feed.empty')));
    clear(this.footer,
      items.length < total ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { this.limit += pageSize; this.invalidate(); } }, t('feed.more')) : null,
      this.store.truncated ? h('div', { class: 'panel-note' }, t('feed.truncated', { count: formatNumber(this.store.size) })) : null);
  }

  private item(f: IncidentFeature, now: number): HTMLElement {
    const p = f.properties!;
    const isNew = (this.flashing.get(f.id) ?? 0) > now;
    const severity = Math.min(4, Math.max(1, p.severity)) as 1 | 2 | 3 | 4;
    const li = h('li', {
      class: `feed-item${isNew ? ' flash' : ''}${openStatuses.includes(p.status) ? '' : ' done'}`,
      dataset: { id: String(f.id), status: p.status, severity: String(p.severity), category: p.category },
      tabindex: 0,
    },
    h('span', { class: 'sev-bar', style: { background: severityColors[severity] } }),
    h('div', { class: 'feed-main' },
      h('div', { class: 'feed-line1' },
        swatch(categoryColors[p.category]),
        h('span', { class: 'feed-cat' }, tk(`category.${p.category}`)),
        h('span', { class: 'feed-sev', title: tk(`severity.${p.severity}`) }, `S${p.severity}`),
        isNew ? h('span', { class: 'badge-new' }, t('feed.new')) : null,
        h('time', { class: 'feed-time', dateTime: p.occurred_at, title: formatShortDateTime(p.occurred_at), dataset: { t: String(occurredMs(f)) } }, formatRelative(p.occurred_at, now))),
      h('div', { class: 'feed-line2' },
        h('span', { class: 'feed-addr', title: p.address ?? '' }, p.address ?? '—')),
      h('div', { class: 'feed-line3' },
        h('span', { class: 'feed-district' }, this.districtLabel(p.district)),
        h('span', { class: 'feed-id' }, `#${f.id}`),
        h('span', { class: 'status-chip' }, tk(`status.${p.status}`)))));
    const chip = li.querySelector<HTMLElement>('.status-chip');
    chip?.style.setProperty('--c', statusColors[p.status]);
    li.addEventListener('click', () => this.onSelect?.(f));
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onSelect?.(f);
      }
    });
    return li;
  }

  private refreshTimes(): void {
    const now = Date.now();
    this.list.querySelectorAll<HTMLTimeElement>('time.feed-time').forEach((el) => {
      el.textContent = formatRelative(Number(el.dataset.t), now);
    });
  }
}
