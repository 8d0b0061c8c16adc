import { describe, expect, test } from 'vitest';
import { dictionaries, locales } from '../i18n';
import { shareMetrics, suggestProblems, unreachableKey, defaultSuggest } from './model';

// The panel builds some keys from data (tabs, units of age, conflict kinds, metrics, weekdays): the i18n test only sees
// literal t('…') keys, so these are checked here.
describe('patrol panel strings', () => {
  test('every key the panel builds from data exists in both languages', () => {
    const keys = [
      ...['dispatch', 'response', 'routes', 'suggest', 'dosage'].map((t) => `patrol.tab.${t}`),
      ...['s', 'min', 'h'].map((u) => `patrol.age.${u}`),
      ...['unit-unavailable', 'incident-not-open'].map((k) => `patrol.conflict.${k}`),
      ...shareMetrics.flatMap((m) => [`patrol.metric.${m}`, `patrol.metricHint.${m}`, `patrol.base.${m}`]),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => `patrol.day.${d}`),
      ...['unit', 'point'].map((f) => `patrol.suggest.from.${f}`),
      ...['has not reported a position', 'is more than 500 m from any road usable by foot', 'the incident is more than 500 m from any road usable by vehicle',
        'no road route leads from it to the incident', 'there is no road network (the roads layer is empty)'].map((r) => unreachableKey(r)!),
      ...suggestProblems({ ...defaultSuggest, minutes: 1, dwellMinutes: -1 }),
      ...suggestProblems({ ...defaultSuggest, from: 'point' }),
    ];
    expect(keys).not.toContain(null);
    for (const l of locales) expect(keys.filter((k) => !(k in dictionaries[l])), l).toEqual([]);
  });
});
