// "Evidence cameras" in an incident's details: the cameras that had the place in view and were online when it happened
// (the footage to pull), nearest first, each with its distance, its status then and which way it looks; a click flies
// to the camera. The other cameras nearby are listed collapsed with the reason they saw nothing (offline then, out of
// view, occluded by a building, privacy-masked). Fetched once per opened incident (and again when it moves).
import { ApiError } from '../api/client';
import { coverageApi, type EvidenceCamera, type EvidenceResponse, type EvidenceVerdict } from '../api/coverage';
import { formatDateTime, formatNumber, t, tk } from '../i18n';
import { cameraStatusColors } from '../model/vocabulary';
import { clear, h } from '../panels/dom';
import { compassPoint } from './planner';

export interface EvidenceHost {
  /** Flies to a camera and highlights it. */
  showCamera(camera: EvidenceCamera): void;
}

/** The search radius around the incident (m). */
export const evidenceSearchM = 300;

/** Verdict → colour of its chip. */
export const verdictColors: Record<EvidenceVerdict, string> = {
  in_view: '#3ddc97',
  offline_at_time: '#7b8794',
  out_of_view: '#5b7aa6',
  occluded: '#c98a4b',
  privacy_masked: '#b37feb',
  not_installed: '#4b5563',
};

function statusColor(status: string | null): string {
  return (status && cameraStatusColors[status as keyof typeof cameraStatusColors]) || '#7b8794';
}

function chip(text: string, color: string, extra = ''): HTMLElement {
  const el = h('span', { class: `status-chip ${extra}`.trim() }, text);
  el.style.setProperty('--c', color);
  return el;
}

export class EvidenceSection {
  readonly element = h('section', { class: 'details-evidence', dataset: { section: 'evidence' } });
  private data: EvidenceResponse | null = null;
  private loading = true;
  private error: string | null = null;
  private abort: AbortController | null = null;
  private othersOpen = false;

  constructor(readonly incidentId: number, private readonly host: EvidenceHost) {
    void this.load();
  }

  async load(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.loading = true;
    this.error = null;
    this.render();
    try {
      const data = await coverageApi.evidence(this.incidentId, evidenceSearchM, abort.signal);
      if (abort.signal.aborted) return;
      this.data = data;
    } catch (e) {
      if (abort.signal.aborted) return;
      this.error = e instanceof ApiError ? (e.details.join('; ') || e.message) : String(e);
    }
    this.loading = false;
    this.render();
  }

  dispose(): void {
    this.abort?.abort();
  }

  /** Read-only state (tests). */
  view(): { loading: boolean; error: string | null; candidates: number[]; others: number[] } {
    return {
      loading: this.loading, error: this.error,
      candidates: this.data?.candidates.map((c) => c.camera_id) ?? [], others: this.data?.others.map((c) => c.camera_id) ?? [],
    };
  }

  render(): void {
    const d = this.data;
    const title = h('h3', {}, t('evidence.title'), d ? h('span', { class: 'evidence-count' }, formatNumber(d.candidates.length)) : null);
    if (!d) {
      clear(this.element, title, h('div', { class: 'panel-note' }, this.loading ? t('details.loading') : this.error ? t('evidence.error', { message: this.error }) : ''));
      return;
    }
    const note = h('div', { class: 'panel-note evidence-note' }, t('evidence.note', { radius: formatNumber(d.search_m), time: formatDateTime(d.occurred_at) }));
    const candidates = d.candidates.length
      ? h('ol', { class: 'evidence-list' }, d.candidates.map((c, i) => this.candidate(c, i + 1)))
      : h('div', { class: 'panel-note evidence-none' }, t('evidence.none'));
    const others = d.others.length ? this.others(d.others) : null;
    clear(this.element, title, note, candidates, others, this.loading ? h('div', { class: 'panel-note' }, t('details.loading')) : null);
  }

  private candidate(c: EvidenceCamera, n: number): HTMLElement {
    const direction = tk(`compass.${compassPoint(c.bearing_deg)}`);
    return h('li', {},
      h('button', {
        type: 'button', class: 'evidence-item', dataset: { cameraId: String(c.camera_id), verdict: c.verdict },
        title: t('evidence.flyTo'), onclick: () => this.host.showCamera(c),
      },
      h('span', { class: 'evidence-rank' }, String(n)),
      h('span', { class: 'evidence-main' },
        h('span', { class: 'evidence-name' }, c.name),
        h('span', { class: 'evidence-meta' },
          t('evidence.distance', { m: formatNumber(Math.round(c.distance_m)) }), ' · ',
          t('evidence.bearing', { direction }), ' · ', tk(`cameraKind.${c.kind}`))),
      h('span', { class: 'evidence-chips' },
        chip(c.status_at_time ? tk(`cameraStatus.${c.status_at_time}`) : t('evidence.statusUnknown'), statusColor(c.status_at_time), 'evidence-then'),
        c.status_now !== c.status_at_time ? h('span', { class: 'evidence-now', title: t('evidence.statusNowTitle') }, t('evidence.now', { status: tk(`cameraStatus.${c.status_now}`) })) : null)));
  }

  private others(list: EvidenceCamera[]): HTMLElement {
    const details = h('details', { class: 'evidence-others', open: this.othersOpen },
      h('summary', {}, t('evidence.others', { n: list.length })),
      h('ul', { class: 'evidence-list others' }, list.map((c) => h('li', {},
        h('button', { type: 'button', class: 'evidence-item other', dataset: { cameraId: String(c.camera_id), verdict: c.verdict }, onclick: () => this.host.showCamera(c) },
          h('span', { class: 'evidence-main' },
            h('span', { class: 'evidence-name' }, c.name),
            h('span', { class: 'evidence-meta' }, t('evidence.distance', { m: formatNumber(Math.round(c.distance_m)) }))),
          h('span', { class: 'evidence-chips' }, chip(tk(`evidence.verdict.${c.verdict}`), verdictColors[c.verdict] ?? '#7b8794')))))));
    details.addEventListener('toggle', () => { this.othersOpen = details.open; });
    return details;
  }
}
