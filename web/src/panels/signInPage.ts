// The sign-in page: a full-screen form over the dashboard, shown before the dashboard starts and again when the
// session ends (inactivity timeout, revoked, signed out). Username and password go to POST /api/auth/sign-in, which
// sets the HttpOnly session cookie; an agency's identity provider (OpenID Connect) is offered when configured.
import { providers, signIn, SignInError, type SessionInfo } from '../auth/session';
import { locale, locales, setLocale, t, type Locale } from '../i18n';
import { clear, h } from './dom';

export class SignInPage {
  private readonly root: HTMLElement;
  private readonly username = h('input', { id: 'sign-in-username', name: 'username', autocomplete: 'username', required: true, spellcheck: false });
  private readonly password = h('input', { id: 'sign-in-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  private readonly error = h('div', { class: 'sign-in-error', role: 'alert', 'aria-live': 'assertive' });
  private readonly submit = h('button', { type: 'submit', class: 'btn btn-primary sign-in-submit' });
  private readonly notice = h('div', { class: 'sign-in-notice' });
  private readonly oidc = h('div', { class: 'sign-in-oidc' });
  private readonly lang = h('select', { class: 'lang-select', id: 'sign-in-language', 'aria-label': 'Language' });
  private oidcName: string | null = null;
  private busy = false;
  private resolve: ((s: SessionInfo) => void) | null = null;

  constructor(parent: HTMLElement = document.body) {
    for (const l of locales) this.lang.append(h('option', { value: l }, l === 'zh-CN' ? '中文' : 'English'));
    this.lang.addEventListener('change', () => setLocale(this.lang.value as Locale));
    const form = h('form', { class: 'sign-in-form', novalidate: false, onsubmit: (e: Event) => { e.preventDefault(); void this.send(); } },
      this.notice,
      h('label', { for: 'sign-in-username', 'data-i18n': 'auth.username' }), this.username,
      h('label', { for: 'sign-in-password', 'data-i18n': 'auth.password' }), this.password,
      this.error,
      this.submit,
      this.oidc);
    this.root = h('div', { id: 'sign-in', class: 'sign-in', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'sign-in-title', hidden: true },
      h('div', { class: 'sign-in-card' },
        h('div', { class: 'sign-in-head' },
          h('img', { class: 'brand-mark', src: '/favicon.svg', alt: '', width: 34, height: 34 }),
          h('div', {},
            h('h1', { id: 'sign-in-title', 'data-i18n': 'app.title' }),
            h('div', { class: 'sign-in-sub', 'data-i18n': 'auth.subtitle' })),
          this.lang),
        form,
        h('p', { class: 'sign-in-foot', 'data-i18n': 'auth.notice' })));
    parent.append(this.root);
    void providers().then((p) => {
      this.oidcName = p.oidc ? (p.oidc_name ?? 'OpenID Connect') : null;
      this.render();
    }).catch(() => undefined);
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  /** Shows the page and resolves with the new session once the user signed in. */
  show(reason: 'start' | 'expired' | 'signed-out' = 'start'): Promise<SessionInfo> {
    this.notice.textContent = reason === 'expired' ? t('auth.expired') : reason === 'signed-out' ? t('auth.signedOut') : '';
    this.notice.hidden = reason === 'start';
    this.error.textContent = '';
    this.password.value = '';
    this.root.hidden = false;
    document.body.classList.add('signed-out');
    this.render();
    setTimeout(() => (this.username.value ? this.password : this.username).focus(), 0);
    return new Promise((resolve) => { this.resolve = resolve; });
  }

  render(): void {
    this.lang.value = locale();
    for (const el of this.root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as never);
    this.submit.textContent = this.busy ? t('auth.signingIn') : t('auth.signIn');
    this.submit.disabled = this.busy;
    clear(this.oidc, this.oidcName
      ? h('a', { class: 'btn sign-in-oidc-link', href: `/api/auth/oidc/sign-in?return_url=${encodeURIComponent(location.pathname)}` },
        t('auth.oidc', { name: this.oidcName }))
      : null);
  }

  private async send(): Promise<void> {
    if (this.busy) return;
    const username = this.username.value.trim();
    const password = this.password.value;
    if (!username || !password) {
      this.error.textContent = t('auth.missing');
      return;
    }
    this.busy = true;
    this.error.textContent = '';
    this.render();
    try {
      const info = await signIn(username, password);
      this.password.value = '';
      this.root.hidden = true;
      document.body.classList.remove('signed-out');
      this.resolve?.(info);
      this.resolve = null;
    } catch (e) {
      this.error.textContent = e instanceof SignInError && e.status === 401
        ? (e.detail.includes('locked') ? t('auth.lockedOut') : t('auth.failed'))
        : e instanceof SignInError && e.status === 429 ? t('auth.tooMany') : t('auth.unavailable');
      this.password.select();
    } finally {
      this.busy = false;
      this.render();
    }
  }
}
