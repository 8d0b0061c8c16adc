// Playback: replays a past period's incidents and unit tracks on the map at a chosen speed, with a slider to scrub.
// Tracks come from GET /api/patrol-units/tracks in chunks of at most 7 days (the server's limit), or unit by unit from
// /api/patrol-units/{id}/track where the server has no tracks endpoint yet. Incidents and tracks load independently:
// a failed track request leaves the incidents playing and says so.
import { api } from '../api/client';
import type { IncidentProperties, PatrolUnitProperties } from '../api/types';
import { formatDateTime, formatNumber, t } from '../i18n';
import type { SituationMap } from '../map/situationMap';
import { advance, incidentsUntil, positionAt, trailAt, type PlaybackIncident, type Track } from '../model/playback';
import { iso, type Bounds } from '../model/timeWindow';
import { clear, h, icon } from './dom';
import { mergeTracks, trackChunks } from './playbackWindow';

const speeds = [1, 10, 60, 300, 900, 3600];
/** At most this many incidents are replayed (beyond it the rest of the period is left out, with a notice). */
const maxIncidents = 20_000;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class PlaybackPanel {
  private active = false;
  private loading = false;
  private playing = false;
  private period: Bounds = { from: 0, to: 0 };
  private t = 0;
  private speed = 300;
  private incidents: PlaybackIncident[] = [];
  private tracks: Track[] = [];
  private frame = 0;
  private lastFrame = 0;
  private lastDraw = 0;
  private status = '';
  /** Warnings under the status line: incidents capped, tracks failed, unit colours. */
  private notices: string[] = [];
  private readonly slider = h('input', { type: 'range', min: '0', max: '1000', value: '0', class: 'pb-slider', 'aria-label': '' });

  constructor(private readonly root: HTMLElement, private readonly map: SituationMap, private readonly periodOf: () => Bounds) {
    root.classList.add('playback');
    this.slider.addEventListener('input', () => {
      const f = Number(this.slider.value) / 1000;
      this.t = this.period.from / 1000 + f * this.spanSeconds();
      this.draw();
      this.renderTime();
    });
    this.render();
  }

  get isActive(): boolean {
    return this.active;
  }

  private spanSeconds(): number {
    return (this.period.to! - this.period.from) / 1000;
  }

  async start(): Promise<void> {
    const b = this.periodOf();
    this.period = { from: b.from, to: b.to ?? Date.now() };
    this.active = true;
    this.loading = true;
    this.playing = false;
    this.t = this.period.from / 1000;
    this.status = t('playback.loading');
    this.notices = [];
    this.incidents = [];
    this.tracks = [];
    this.map.setPlaybackActive(true);
    this.render();
    const [incidents, tracks] = await Promise.allSettled([this.loadIncidents(), this.loadTracks()]);
    if (!this.active) return;
    const notices: string[] = [];
    if (incidents.status === 'fulfilled') {
      this.incidents = incidents.value.incidents;
      if (incidents.value.truncated) notices.push(t('playback.truncated', { count: incidents.value.incidents.length }));
    } else {
      notices.push(t('playback.incidentsFailed', { message: errorText(incidents.reason) }));
    }
    if (tracks.status === 'fulfilled') {
      this.tracks = tracks.value;
      if (tracks.value.length) notices.push(t('playback.currentStatus'));
    } else {
      notices.push(t('playback.tracksFailed', { message: errorText(tracks.reason) }));
    }
    this.notices = notices;
    this.status = t('playback.loaded', { incidents: this.incidents.length, units: this.tracks.length })
      + (tracks.status === 'fulfilled' && this.tracks.length === 0 ? ` · ${t('playback.noTracks')}` : '');
    this.loading = false;
    this.render();
    this.draw();
  }

  stop(): void {
    this.active = false;
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.map.setPlaybackActive(false);
    this.render();
  }

  private async loadIncidents(): Promise<{ incidents: PlaybackIncident[]; truncated: boolean }> {
    const fc = await api.listAll<IncidentProperties>('incidents', { from: iso(this.period.from), to: iso(this.period.to!) }, maxIncidents);
    const incidents = fc.features
      .filter((f) => f.geometry?.type === 'Point' && f.properties)
      .map((f) => ({
        id: f.id,
        t: Date.parse(f.properties!.occurred_at) / 1000,
        coordinates: f.geometry!.coordinates as [number, number],
        category: f.properties!.category,
        severity: f.properties!.severity,
      }))
      .sort((a, b) => a.t - b.t);
    return { incidents, truncated: fc.truncated };
  }

  private async loadTracks(): Promise<Track[]> {
    const from = iso(this.period.from);
    const to = iso(this.period.to!);
    const chunks: Track[][] = [];
    for (const chunk of trackChunks(this.period.from, this.period.to!)) {
      const all = await api.tracks(iso(chunk.from), iso(chunk.to));
      if (!all) break; // no tracks endpoint: unit by unit below
      chunks.push(all.features
        .filter((f) => f.geometry?.type === 'LineString' && f.properties && f.geometry.coordinates.length > 0)
        .map((f) => ({
          unitId: f.properties!.unit_id,
          callSign: f.properties!.call_sign,
          coordinates: f.geometry!.coordinates as [number, number][],
          times: f.properties!.times,
        })));
    }
    if (chunks.length > 0) return mergeTracks(chunks);
    // fallback: one request per unit, six at a time
    const units = [...this.map.units.units.values()];
    const tracks: Track[] = [];
    for (let i = 0; i < units.length; i += 6) {
      const batch = await Promise.all(units.slice(i, i + 6).map(async (u) => {
        const fc = await api.unitTrack(u.id, from, to).catch(() => null);
        const points = (fc?.features ?? []).filter((p) => p.geometry?.type === 'Point');
        if (points.length === 0) return null;
        return {
          unitId: u.id,
          callSign: (u.properties as PatrolUnitProperties | null)?.call_sign ?? String(u.id),
          coordinates: points.map((p) => p.geometry!.coordinates as [number, number]),
          times: points.map((p) => Date.parse(p.properties!.recorded_at) / 1000),
        } satisfies Track;
      }));
      for (const track of batch) if (track) tracks.push(track);
    }
    return tracks;
  }

  private toggle(): void {
    if (this.loading) return;
    this.playing = !this.playing;
    if (this.playing) {
      if (this.t >= this.period.to! / 1000) this.t = this.period.from / 1000;
      this.lastFrame = performance.now();
      this.frame = requestAnimationFrame((now) => this.tick(now));
    } else {
      cancelAnimationFrame(this.frame);
    }
    this.render();
  }

  private tick(now: number): void {
    if (!this.playing) return;
    this.t = advance(this.t, now - this.lastFrame, this.speed, this.period.to! / 1000);
    this.lastFrame = now;
    if (now - this.lastDraw > 100) {
      this.lastDraw = now;
      this.draw();
      this.renderTime();
    }
    if (this.t >= this.period.to! / 1000) {
      this.playing = false;
      this.draw();
      this.render();
      return;
    }
    this.frame = requestAnimationFrame((n) => this.tick(n));
  }

  /** Puts the state at time t on the map. */
  private draw(): void {
    const t = this.t;
    const shown = incidentsUntil(this.incidents, this.period.from / 1000, t);
    const incidents: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: shown.map((i) => ({
        type: 'Feature', id: i.id, geometry: { type: 'Point', coordinates: i.coordinates },
        properties: { category: i.category, severity: i.severity, age: Math.min(1, (t - i.t) / 3600) },
      })),
    };
    const units: GeoJSON.Feature[] = [];
    const trails: GeoJSON.Feature[] = [];
    for (const track of this.tracks) {
      const p = positionAt(track, t);
      // tracks carry no status: the unit's current status (the notice says so), 'available' for a unit now gone
      const status = (this.map.units.units.get(track.unitId)?.properties as PatrolUnitProperties | null | undefined)?.status ?? 'available';
      if (p) units.push({ type: 'Feature', id: track.unitId, geometry: { type: 'Point', coordinates: p.coordinates }, properties: { call_sign: track.callSign, heading: p.heading, status } });
      const trail = trailAt(track, t, 600);
      if (trail.length > 1) trails.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: trail }, properties: {} });
    }
    this.map.playback.setData(incidents, { type: 'FeatureCollection', features: units }, { type: 'FeatureCollection', features: trails });
    if (this.spanSeconds() > 0) this.slider.value = String(Math.round(((t - this.period.from / 1000) / this.spanSeconds()) * 1000));
  }

  private renderTime(): void {
    const label = this.root.querySelector('.pb-time');
    if (label) label.textContent = formatDateTime(this.t * 1000);
  }

  render(): void {
    this.slider.setAttribute('aria-label', t('playback.position'));
    if (!this.active) {
      clear(this.root, h('button', { type: 'button', class: 'btn pb-open', onclick: () => void this.start() }, icon('replay'), t('playback.open')));
      this.root.classList.remove('open');
      return;
    }
    this.root.classList.add('open');
    const speedSelect = h('select', { class: 'pb-speed', 'aria-label': t('playback.speed') },
      speeds.map((s) => h('option', { value: String(s), selected: s === this.speed }, `${formatNumber(s)}×`)));
    speedSelect.addEventListener('change', () => { this.speed = Number(speedSelect.value); });
    clear(this.root,
      h('div', { class: 'pb-row' },
        h('span', { class: 'pb-title' }, t('playback.title')),
        h('button', { type: 'button', class: 'btn btn-primary pb-play', disabled: this.loading, onclick: () => this.toggle() }, icon(this.playing ? 'pause' : 'play'), this.playing ? t('playback.pause') : t('playback.play')),
        h('span', { class: 'pb-time' }, formatDateTime(this.t * 1000)),
        h('label', { class: 'pb-speed-label' }, t('playback.speed'), speedSelect),
        h('button', { type: 'button', class: 'btn btn-ghost pb-close', onclick: () => this.stop() }, t('playback.close'))),
      h('div', { class: 'pb-row' },
        h('span', { class: 'pb-bound' }, formatDateTime(this.period.from)),
        this.slider,
        h('span', { class: 'pb-bound' }, formatDateTime(this.period.to!))),
      h('div', { class: 'pb-status' }, this.status),
      this.notices.map((n) => h('div', { class: 'pb-notice', role: 'status' }, n)));
  }
}
