// Entry point: language first (so nothing flashes in the wrong one), then the session — the sign-in page when
// nobody is signed in — then the dashboard. The map object and a few read-only views are exposed as
// window.__situationMap for the browser tests and the benchmark.
import 'maplibre-gl/dist/maplibre-gl.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import './styles/app.css';
import { initLocale, onLocaleChange, setLocale, type Locale } from './i18n';
import { loadSession, onSessionChange, session, signOut, type SessionInfo } from './auth/session';
import { Dashboard } from './app';
import { SignInPage } from './panels/signInPage';

declare global {
  interface Window {
    __situationMap?: unknown;
  }
}

initLocale();
const signInPage = new SignInPage();
onLocaleChange(() => signInPage.render());

async function boot(): Promise<void> {
  let account: SessionInfo | null = null;
  try {
    account = await loadSession();
  } catch {
    account = null; // server unreachable or failing: the sign-in page says so when the user tries
  }
  account ??= await signInPage.show('start');

  const dashboard = new Dashboard();
  let signingOut = false;
  const doSignOut = (): void => {
    signingOut = true;
    void signOut().finally(() => location.reload()); // a fresh page: nothing of this session stays in memory
  };
  dashboard.showAccount(account, doSignOut);
  // the session ended under the page (inactivity timeout, revoked): sign in again over the dashboard; the same
  // account carries on where it was, another account gets a fresh page with its own scope
  onSessionChange((next) => {
    if (next !== null || signingOut || signInPage.visible) return;
    const before = account!.id;
    void signInPage.show('expired').then((again) => {
      if (again.id !== before) location.reload();
      else dashboard.showAccount(again, doSignOut);
    });
  });
  dashboard.start();

  window.__situationMap = {
    dashboard,
    get map() {
      return dashboard.map?.map ?? null;
    },
    ready: dashboard.ready,
    session: () => session(),
    connection: () => dashboard.connectionView(),
    stats: () => ({ ...dashboard.live.stats, lastSeq: dashboard.live.sync.lastSeq }),
    renderedIncidentIds: () => dashboard.map?.renderedIncidentIds() ?? [],
    renderedIncident: (id: number) => dashboard.map?.renderedIncident(id) ?? null,
    renderedCounts: () => dashboard.map?.renderedCounts() ?? null,
    firstRenderMs: () => dashboard.map?.firstRenderAt ?? null,
    feedIds: () => dashboard.feedIds(),
    incident: (id: number) => dashboard.store.get(id) ?? null,
    setLocale: (l: Locale) => setLocale(l),
    log: () => [...dashboard.log],
  };
}

void boot();
