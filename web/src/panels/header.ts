// The top bar's own parts: the clock (city time), the current shift and the language switch.
import { formatDateTime, formatTime, locale, locales, setLocale, t, type Locale } from '../i18n';
import { shiftStart } from '../model/timeWindow';
import { clear, h } from './dom';

export class Header {
  private readonly clock = h('div', { class: 'clock', 'aria-label': '' });
  private readonly shift = h('div', { class: 'shift' });
  private readonly select = h('select', { class: 'lang-select', id: 'language-select' });

  constructor(clockRoot: HTMLElement, langRoot: HTMLElement) {
    clockRoot.append(this.shift, this.clock);
    for (const l of locales) this.select.append(h('option', { value: l }, l === 'zh-CN' ? '中文' : 'English'));
    this.select.value = locale();
    this.select.addEventListener('change', () => setLocale(this.select.value as Locale));
    langRoot.append(h('label', { class: 'sr-only', for: 'language-select', 'data-i18n': 'lang.label' }, t('lang.label')), this.select);
    this.tick();
    setInterval(() => this.tick(), 1000);
  }

  tick(): void {
    const now = Date.now();
    this.clock.textContent = formatDateTime(now);
    clear(this.shift, t('shift.since', { time: formatTime(shiftStart(now)) }));
  }

  render(): void {
    this.select.value = locale();
    this.tick();
  }
}
