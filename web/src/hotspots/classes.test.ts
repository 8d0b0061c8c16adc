import { describe, expect, test } from 'vitest';
import { dictionaries, locales } from '../i18n';
import {
  binClass, classColor, classColors, classLabelKey, classLegend, densityGradient, densityLegend, fillColor, layerBelow, notSignificantColor,
  trendDirection,
} from './classes';

describe('cell classes', () => {
  test('Gi* uses ArcGIS\'s hot spot colours: reds for hot, blues for cold, strongest at 99 %', () => {
    expect(classColor('gistar', 'hot_99')).toBe('#d62f27');
    expect(classColor('gistar', 'hot_90')).toBe('#fab984');
    expect(classColor('gistar', 'cold_99')).toBe('#4575b5');
    expect(classColor('gistar', 'not_significant')).toBe(notSignificantColor);
    expect(classColor('gistar', 'something_new')).toBe(notSignificantColor);
    expect(classColors.gistar.map(([c]) => c)).toEqual(['hot_99', 'hot_95', 'hot_90', 'cold_90', 'cold_95', 'cold_99', 'not_significant']);
  });

  test('every class the server can send has a colour, and every colour is distinct within a method', () => {
    const emerging = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical']
      .flatMap((p) => [`${p}_hot_spot`, `${p}_cold_spot`]);
    expect(classColors.emerging.map(([c]) => c).sort()).toEqual([...emerging, 'no_pattern'].sort());
    expect(classColors.lisa.map(([c]) => c).sort()).toEqual(['high_high', 'high_low', 'low_high', 'low_low', 'not_significant']);
    for (const list of Object.values(classColors)) expect(new Set(list.map(([, colour]) => colour)).size).toBe(list.length);
  });

  test('every class has a label in both languages', () => {
    for (const l of locales) {
      const missing = Object.values(classColors).flat().map(([c]) => classLabelKey(c)).filter((k) => !(k in dictionaries[l]));
      expect(missing, l).toEqual([]);
    }
  });

  test('the fill colour is a match on the class with the not-significant colour as fallback', () => {
    const expression = fillColor('lisa') as unknown[];
    expect(expression.slice(0, 2)).toEqual(['match', ['get', 'class']]);
    expect(expression[expression.indexOf('high_high') + 1]).toBe('#e8262b');
    expect(expression[expression.length - 1]).toBe(notSignificantColor);
  });

  test('Gi* bins as the server numbers them, and Mann-Kendall trends at α = 0.10', () => {
    expect([-3, -2, -1, 0, 1, 2, 3].map(binClass)).toEqual(['cold_99', 'cold_95', 'cold_90', 'not_significant', 'hot_90', 'hot_95', 'hot_99']);
    expect(binClass(null)).toBe('not_significant');
    expect(binClass(7)).toBe('not_significant');
    expect(trendDirection(0.42, 0.01)).toBe('up');
    expect(trendDirection(-0.42, 0.099)).toBe('down');
    expect(trendDirection(-0.42, 0.1)).toBe('none');
    expect(trendDirection(0.3, null)).toBe('none');
  });
});

describe('legends', () => {
  test('a cell legend lists the method\'s classes in order with their cell counts', () => {
    const legend = classLegend('gistar', { hot_99: 132, hot_95: 30, hot_90: 43, not_significant: 6775 });
    expect(legend.map((e) => [e.cls, e.count])).toEqual([
      ['hot_99', 132], ['hot_95', 30], ['hot_90', 43], ['cold_90', 0], ['cold_95', 0], ['cold_99', 0], ['not_significant', 6775],
    ]);
  });

  test('the emerging legend can keep only the patterns present (and "no pattern")', () => {
    const legend = classLegend('emerging', { persistent_hot_spot: 53, new_hot_spot: 2, no_pattern: 1637 }, true);
    expect(legend.map((e) => e.cls)).toEqual(['new_hot_spot', 'persistent_hot_spot', 'no_pattern']);
  });

  test('the density legend is in incidents per km²: each colour from its threshold to the next, the last to the maximum', () => {
    const legend = densityLegend({
      max_per_km2: 105.087,
      legend: [
        { value: 10.51, color: '#fed976', label: '≥ 10.5 per km²' },
        { value: 2.1, color: '#ffffb2', label: '≥ 2.1 per km²' },
        { value: 89.32, color: '#bd0026', label: '≥ 89.3 per km²' },
      ],
    });
    expect(legend).toEqual([
      { color: '#ffffb2', from: 2.1, to: 10.51 },
      { color: '#fed976', from: 10.51, to: 89.32 },
      { color: '#bd0026', from: 89.32, to: 105.087 },
    ]);
    expect(densityGradient(legend)).toBe('linear-gradient(90deg, #ffffb2 0% 33%, #fed976 33% 67%, #bd0026 67% 100%)');
    expect(densityGradient([])).toBe('transparent');
  });
});

describe('layer order', () => {
  test('hotspot layers go below the first operational layer, above the basemap and zones', () => {
    const style = ['districts-fill', 'zones-fill', 'roads-line', 'patrol-routes-casing-1', 'cameras-dots', 'incidents-clusters', 'roads-labels'];
    expect(layerBelow(style, new Set(['incidents-clusters', 'cameras-dots', 'patrol-routes-casing-1']))).toBe('patrol-routes-casing-1');
    expect(layerBelow(style, new Set(['incidents-clusters']))).toBe('incidents-clusters');
    expect(layerBelow(style, new Set(['not-there']))).toBeUndefined();
  });
});
