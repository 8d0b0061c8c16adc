// Counters: open incidents by severity, units available/busy, cameras online/offline, each with its change since
// the start of the shift (from GET /api/situation/summary: a snapshot of that time, else rebuilt from history). A
// counter whose shift-start value the server cannot tell shows "no baseline" instead of a change. Without that
// endpoint the unit counts come from the live unit layer and the rest shows "—".
import { formatNumber, formatSigned, formatTime, t, tk } from '../i18n';
import type { SituationSummary, UnitCounts } from '../api/situation';
import { cameraStatusColors, severityColors, unitStatusColors } from '../model/vocabulary';
import { clear, h, swatch } from './dom';

export interface CountersInput {
  summary: SituationSummary | null;
  /** Unit counts from the live layer (fallback). */
  units: UnitCounts | null;
  shiftStart: number;
}

/** Where a shift-start value comes from (SituationSummary.baseline): 'snapshot', 'history' or 'none'. */
export type BaselineSource = 'snapshot' | 'history' | 'none';

/** The change since the shift start, or a "no baseline" tag when the server has no shift-start value for it. */
export function delta(now: number | undefined, before: number | undefined | null, source: BaselineSource | undefined): HTMLElement | null {
  if (now === undefined) return null;
  if (before === undefined || before === null) {
    return source === 'none' ? h('span', { class: 'delta none', title: t('counters.noBaselineHint') }, t('counters.noBaseline')) : null;
  }
  const d = now - before;
  const title = source === 'history' ? `${t('counters.sinceShift')} (${t('counters.fromHistory')})` : t('counters.sinceShift');
  return h('span', { class: `delta ${d > 0 ? 'up' : d < 0 ? 'down' : 'flat'}`, title }, d === 0 ? '±0' : formatSigned(d));
}

function value(n: number | undefined): string {
  return n === undefined ? '—' : formatNumber(n);
}

export class CountersPanel {
  private input: CountersInput = { summary: null, units: null, shiftStart: Date.now() };

  constructor(private readonly root: HTMLElement) {
    root.classList.add('panel', 'counters');
    this.render();
  }

  update(input: CountersInput): void {
    this.input = input;
    this.render();
  }

  render(): void {
    const { summary, shiftStart } = this.input;
    const open = summary?.incidents.open;
    const openBefore = summary?.incidents.open_at_shift_start;
    const units = summary?.units.now ?? this.input.units ?? undefined;
    const unitsBefore = summary?.units.at_shift_start;
    const cameras = summary?.cameras.now;
    const camerasBefore = summary?.cameras.at_shift_start;
    const baseline = summary?.baseline as { incidents: BaselineSource; units: BaselineSource; cameras: BaselineSource } | undefined;

    const severityCell = (s: 1 | 2 | 3 | 4): HTMLElement => {
      const key = String(s) as '1' | '2' | '3' | '4';
      return h('div', { class: 'sev-cell', dataset: { severity: key } },
        h('span', { class: 'sev-label' }, swatch(severityColors[s]), tk(`severity.${s}`)),
        h('span', { class: 'sev-value' }, value(open?.by_severity[key])),
        delta(open?.by_severity[key], openBefore?.by_severity[key], baseline?.incidents));
    };
    const stat = (name: string, color: string, n: number | undefined, before: number | undefined | null, key: string, source: BaselineSource | undefined): HTMLElement =>
      h('div', { class: 'stat', dataset: { counter: key } },
        h('span', { class: 'stat-label' }, swatch(color), name),
        h('span', { class: 'stat-value' }, value(n)),
        delta(n, before, source));

    clear(this.root,
      h('div', { class: 'panel-head' },
        h('h2', { class: 'panel-title' }, t('counters.title')),
        h('span', { class: 'panel-meta' }, t('counters.shiftStart', { time: formatTime(shiftStart) }))),
      h('div', { class: 'counter-block incidents-block' },
        h('div', { class: 'block-head' },
          h('span', { class: 'block-title' }, t('counters.openIncidents')),
          h('span', { class: 'big', dataset: { counter: 'open-total' } }, value(open?.total)),
          delta(open?.total, openBefore?.total, baseline?.incidents),
          summary ? h('span', { class: 'block-note' }, t('counters.reportedSinceShift', { count: summary.incidents.reported_since_shift_start })) : null),
        h('div', { class: 'sev-grid' }, ([4, 3, 2, 1] as const).map(severityCell))),
      h('div', { class: 'counter-row' },
        h('div', { class: 'counter-block' },
          h('div', { class: 'block-title' }, t('counters.units')),
          stat(tk('unitStatus.available'), unitStatusColors.available, units?.available, unitsBefore?.available, 'units-available', baseline?.units),
          stat(tk('unitStatus.busy'), unitStatusColors.busy, units?.busy, unitsBefore?.busy, 'units-busy', baseline?.units)),
        h('div', { class: 'counter-block' },
          h('div', { class: 'block-title' }, t('counters.cameras')),
          stat(tk('cameraStatus.online'), cameraStatusColors.online, cameras?.online, camerasBefore?.online, 'cameras-online', baseline?.cameras),
          stat(`${tk('cameraStatus.offline')} / ${tk('cameraStatus.fault')}`, cameraStatusColors.fault,
            cameras ? cameras.offline + cameras.fault : undefined,
            camerasBefore ? camerasBefore.offline + camerasBefore.fault : undefined, 'cameras-offline', baseline?.cameras))),
      summary ? null : h('div', { class: 'panel-note' }, t('counters.unavailable')));
  }
}
