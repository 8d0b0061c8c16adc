// The connection indicator: live, catching up (with the number of missed events being replayed), reconnecting,
// offline. Its state is the live client's SyncState.
import { t, tk } from '../i18n';
import type { SyncView } from '../live/syncState';
import { h } from './dom';

export class ConnectionIndicator {
  private view: SyncView = { phase: 'connecting', lastSeq: null, headSeq: 0, pending: 0, attempts: 0 };
  private readonly dot = h('span', { class: 'conn-dot' });
  private readonly label = h('span', { class: 'conn-label' });

  constructor(private readonly root: HTMLElement) {
    root.classList.add('connection');
    root.setAttribute('role', 'status');
    root.setAttribute('aria-live', 'polite');
    root.append(this.dot, this.label);
    this.render();
  }

  update(view: SyncView): void {
    this.view = view;
    this.render();
  }

  render(): void {
    const v = this.view;
    this.root.dataset.phase = v.phase;
    this.label.textContent = v.phase === 'catching_up' ? t('conn.catching_up', { count: v.pending })
      : v.phase === 'reconnecting' ? t('conn.reconnecting', { attempt: Math.max(1, v.attempts) })
        : tk(`conn.${v.phase}`);
    this.root.title = v.lastSeq === null ? '' : t('conn.position', { seq: v.lastSeq });
  }
}
