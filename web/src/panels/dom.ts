// A tiny DOM builder: h('div', {class: 'x', onclick: ...}, child, 'text').
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'style' && typeof value === 'object') {
      Object.assign(el.style, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (key in el && key !== 'list' && key !== 'form') {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

export function clear(el: HTMLElement, ...children: (Child | Child[])[]): HTMLElement {
  el.replaceChildren();
  append(el, children);
  return el;
}

export type SwatchShape = 'dot' | 'square' | 'line' | 'dash' | 'dots' | 'ring' | 'outline';

export function swatch(color: string, shape: SwatchShape = 'dot', extra = ''): HTMLElement {
  const el = h('span', { class: `swatch swatch-${shape} ${extra}`.trim(), 'aria-hidden': 'true' });
  el.style.setProperty('--c', color);
  return el;
}

const iconPaths: Record<string, string> = {
  hexagon: 'M8 1.2 13.9 4.6v6.8L8 14.8 2.1 11.4V4.6zM8 3 3.7 5.5v5L8 13l4.3-2.5v-5z M8 5.6l2.2 1.3v2.5L8 10.6 5.8 9.4V6.9z',
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  replay: 'M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.4.5A4 4 0 1 0 8 4v2L4.8 3.2 8 .5z',
  plus: 'M7.2 2h1.6v5.2H14v1.6H8.8V14H7.2V8.8H2V7.2h5.2z',
  // a camera with its field of view
  coverage: 'M1 5.5h7.5v5H1z M9.5 8 15 4v8z',
  // a route between two markers (patrol & dispatch)
  patrol: 'M3.5 1a2.5 2.5 0 0 1 2.5 2.5c0 1.9-2.5 4.5-2.5 4.5S1 5.4 1 3.5A2.5 2.5 0 0 1 3.5 1z M12.5 8a2.5 2.5 0 0 1 2.5 2.5c0 1.9-2.5 4.5-2.5 4.5S10 12.4 10 10.5A2.5 2.5 0 0 1 12.5 8z M3 9.5h1.5v2.2c0 .9.7 1.6 1.6 1.6H9v1.5H6.1A3.1 3.1 0 0 1 3 11.7z M7 2.5h3a3 3 0 0 1 3 3V7h-1.5V5.5A1.5 1.5 0 0 0 10 4H7z',
};

/** A small inline SVG icon (no icon font, no request). */
export function icon(name: keyof typeof iconPaths | string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', iconPaths[name] ?? '');
  path.setAttribute('fill', 'currentColor');
  if (name === 'hexagon') path.setAttribute('fill-rule', 'evenodd'); // its rings stay hollow
  svg.append(path);
  return svg;
}
