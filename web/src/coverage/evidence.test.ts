import { describe, expect, test } from 'vitest';
import { evidenceVerdicts } from '../api/coverage';
import { dictionaries, locales } from '../i18n';
import { verdictColors } from './evidence';

describe('evidence verdicts', () => {
  test('every verdict the server gives has a colour and a label in every language', () => {
    for (const verdict of evidenceVerdicts) {
      expect(verdictColors[verdict], verdict).toMatch(/^#[0-9a-f]{6}$/);
      for (const locale of locales) expect(dictionaries[locale][`evidence.verdict.${verdict}`], `${locale} ${verdict}`).toBeTruthy();
    }
  });
});
