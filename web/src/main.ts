// Entry point: language first (so nothing flashes in the wrong one), then the dashboard; the map object and a few
// read-only views are exposed as window.__situationMap for the browser tests and the benchmark.
import 'maplibre-gl/dist/maplibre-gl.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import './styles/app.css';
import { initLocale, setLocale, type Locale } from './i18n';
import { Dashboard } from './app';

initLocale();
const dashboard = new Dashboard();
dashboard.start();

declare global {
  interface Window {
    __situationMap?: unknown;
  }
}

window.__situationMap = {
  dashboard,
  get map() {
    return dashboard.map?.map ?? null;
  },
  ready: dashboard.ready,
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
