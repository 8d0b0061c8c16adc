// Short notices in a corner (saved, conflicts, errors); they go away by themselves.
import { h } from './dom';

export type ToastKind = 'info' | 'success' | 'error';

export class Toasts {
  constructor(private readonly root: HTMLElement) {
    root.classList.add('toasts');
    root.setAttribute('role', 'status');
  }

  show(message: string, kind: ToastKind = 'info', ms = 4000): void {
    const el = h('div', { class: `toast toast-${kind}` }, message);
    this.root.append(el);
    setTimeout(() => el.classList.add('leaving'), ms);
    setTimeout(() => el.remove(), ms + 400);
  }
}
