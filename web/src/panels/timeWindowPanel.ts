// The time window control (last 1 h / 24 h / 7 d / custom from–to), applied to the map and the feed.
import { t, tk } from '../i18n';
import type { TimeWindow, TimeWindowPreset } from '../model/timeWindow';
import { h } from './dom';

const presets: TimeWindowPreset[] = ['1h', '24h', '7d', 'custom'];

/** datetime-local value in city time (UTC+8) for epoch ms, and back. */
export function toLocalInput(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): number | null {
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : ms;
}

export class TimeWindowPanel {
  private window: TimeWindow;
  private readonly buttons = new Map<TimeWindowPreset, HTMLButtonElement>();
  private readonly custom: HTMLElement;
  private readonly from = h('input', { type: 'datetime-local', class: 'dt', 'aria-label': '' });
  private readonly to = h('input', { type: 'datetime-local', class: 'dt', 'aria-label': '' });
  private readonly apply: HTMLButtonElement;

  constructor(root: HTMLElement, initial: TimeWindow, private readonly onChange: (w: TimeWindow) => void) {
    this.window = initial;
    root.classList.add('time-window');
    const group = h('div', { class: 'segmented', role: 'group' });
    for (const p of presets) {
      const b = h('button', { type: 'button', class: 'seg', dataset: { preset: p }, onclick: () => this.choose(p) });
      this.buttons.set(p, b);
      group.append(b);
    }
    this.apply = h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.applyCustom() });
    this.custom = h('div', { class: 'custom-range' }, this.from, h('span', { class: 'range-sep' }, '–'), this.to, this.apply);
    root.append(h('span', { class: 'tw-label' }), group, this.custom);
    this.render();
  }

  get value(): TimeWindow {
    return this.window;
  }

  private choose(preset: TimeWindowPreset): void {
    if (preset === 'custom') {
      const now = Date.now();
      this.from.value ||= toLocalInput(now - 86_400_000);
      this.to.value ||= toLocalInput(now);
      this.window = { ...this.window, preset: 'custom' };
      this.render();
      this.from.focus();
      return;
    }
    this.window = { preset };
    this.render();
    this.onChange(this.window);
  }

  private applyCustom(): void {
    const from = fromLocalInput(this.from.value);
    const to = this.to.value ? fromLocalInput(this.to.value) : null;
    if (from === null || (to !== null && to <= from)) {
      this.from.setCustomValidity(t('window.invalid'));
      this.from.reportValidity();
      return;
    }
    this.from.setCustomValidity('');
    this.window = { preset: 'custom', from, to };
    this.render();
    this.onChange(this.window);
  }

  render(): void {
    const root = this.custom.parentElement!;
    (root.querySelector('.tw-label') as HTMLElement).textContent = t('window.label');
    for (const [p, b] of this.buttons) {
      b.textContent = tk(`window.${p}`);
      b.setAttribute('aria-pressed', String(this.window.preset === p));
    }
    this.custom.hidden = this.window.preset !== 'custom';
    this.from.setAttribute('aria-label', t('window.from'));
    this.to.setAttribute('aria-label', t('window.to'));
    this.apply.textContent = t('window.apply');
  }
}
