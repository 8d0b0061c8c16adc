// Layer switches with their legends: what each colour, size, icon and line style means.
import { t, tk } from '../i18n';
import type { LayerGroup, SituationMap } from '../map/situationMap';
import { cameraIconUrl, unitIconUrl } from '../map/icons';
import {
  cameraKinds, cameraStatusColors, cameraStatuses, categories, categoryColors, levelColors, riskColors, severityColors, unitStatuses,
  zoneKindColors, zoneKinds,
} from '../model/vocabulary';
import { clear, h, swatch } from './dom';

const groups: LayerGroup[] = ['incidents', 'patrol_units', 'cameras', 'patrol_routes', 'zones'];

export class LayersPanel {
  constructor(private readonly root: HTMLElement, private readonly map: SituationMap) {
    root.classList.add('panel', 'layers-panel');
    this.render();
  }

  render(): void {
    clear(this.root,
      h('h2', { class: 'panel-title' }, t('layers.title')),
      groups.map((g) => this.group(g)));
  }

  private group(group: LayerGroup): HTMLElement {
    const id = `layer-toggle-${group}`;
    const input = h('input', { type: 'checkbox', id, class: 'switch', checked: this.map.isGroupVisible(group), dataset: { group } });
    input.addEventListener('change', () => {
      this.map.setGroupVisible(group, input.checked);
      section.classList.toggle('off', !input.checked);
    });
    const section = h('section', { class: `layer-group${this.map.isGroupVisible(group) ? '' : ' off'}`, dataset: { group } },
      h('div', { class: 'layer-head' }, input, h('label', { for: id }, tk(`layer.${group}`))),
      h('div', { class: 'legend' }, this.legend(group)));
    return section;
  }

  private legend(group: LayerGroup): HTMLElement[] {
    const row = (...children: (HTMLElement | string)[]): HTMLElement => h('div', { class: 'legend-row' }, ...children);
    const grid = (items: HTMLElement[]): HTMLElement => h('div', { class: 'legend-grid' }, items);
    const item = (mark: HTMLElement, label: string): HTMLElement => h('span', { class: 'legend-item' }, mark, h('span', {}, label));
    const icon = (src: string): HTMLElement => h('img', { src, class: 'legend-icon', alt: '', width: 16, height: 16 });
    switch (group) {
      case 'incidents':
        return [
          grid(categories.map((c) => item(swatch(categoryColors[c]), tk(`category.${c}`)))),
          h('div', { class: 'legend-caption' }, t('legend.severity')),
          row(...([1, 2, 3, 4] as const).map((s) => item(swatch('#c8d3e3', 'dot', `sev sev-${s}`), tk(`severity.${s}`)))),
          row(item(swatch(severityColors[4], 'dot', 'cluster'), t('legend.cluster'))),
          row(item(swatch('#ffa940', 'dot', 'glow'), t('legend.recent')), item(swatch('#ffffff', 'ring'), t('legend.new'))),
        ];
      case 'patrol_units':
        return [row(...unitStatuses.map((s) => item(icon(unitIconUrl(s)), tk(`unitStatus.${s}`)))), h('div', { class: 'legend-note' }, t('legend.heading'))];
      case 'cameras':
        return [
          row(...cameraKinds.map((k) => item(icon(cameraIconUrl(k, 'online')), tk(`cameraKind.${k}`)))),
          row(...cameraStatuses.map((s) => item(swatch(cameraStatusColors[s]), tk(`cameraStatus.${s}`)))),
          row(item(swatch(cameraStatusColors.online, 'square', 'fov'), t('legend.fov'))),
        ];
      case 'patrol_routes':
        return [
          row(item(swatch(levelColors[1], 'line'), t('level.1'))),
          row(item(swatch(levelColors[2], 'dash'), t('level.2'))),
          row(item(swatch(levelColors[3], 'dots'), t('level.3'))),
        ];
      case 'zones':
        return [
          grid(zoneKinds.filter((k) => k !== 'district').map((k) => item(swatch(zoneKindColors[k], 'square'), tk(`zoneKind.${k}`)))),
          h('div', { class: 'legend-caption' }, t('legend.risk')),
          row(...([1, 2, 3, 4] as const).map((r) => item(swatch(riskColors[r], 'outline', `risk-${r}`), String(r)))),
        ];
    }
  }
}
