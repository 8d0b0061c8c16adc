// The top bar's own parts: the clock (city time), the current shift, the language switch and the signed-in account.
import type { SessionInfo } from '../auth/session';
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

  private accountRoot: HTMLElement | null = null;
  private account: SessionInfo | null = null;
  private onSignOut: (() => void) | null = null;

  /** Shows who is signed in (name, roles, districts) and a sign-out button. */
  showAccount(root: HTMLElement, account: SessionInfo | null, onSignOut: () => void): void {
    this.accountRoot = root;
    this.account = account;
    this.onSignOut = onSignOut;
    this.renderAccount();
  }

  private renderAccount(): void {
    const root = this.accountRoot;
    if (!root) return;
    const a = this.account;
    if (!a) {
      clear(root);
      return;
    }
    const roles = a.roles.map((r) => t(`auth.role.${r}` as never)).join(' · ');
    const scope = a.districts.length ? t('auth.districts', { districts: a.districts.join(', ') }) : t('auth.allDistricts');
    clear(root,
      h('div', { class: 'account-who', title: `${a.username} — ${roles} — ${scope}` },
        h('div', { class: 'account-name', id: 'account-name' }, a.display_name || a.username),
        h('div', { class: 'account-roles', id: 'account-roles' }, roles)),
      h('button', { type: 'button', class: 'btn btn-ghost sign-out', id: 'sign-out', onclick: () => this.onSignOut?.() }, t('auth.signOut')));
  }

  render(): void {
    this.select.value = locale();
    this.tick();
    this.renderAccount();
  }
}
