import { describe, expect, it } from 'vitest';
import { compileFirstMatch, computeSearchPattern } from '../../../../shared/domain/ua/first-match.ts';

/** The definition: test each pattern in list order. */
function firstInOrder(patterns: readonly string[], text: string): number {
  return patterns.findIndex((p) => new RegExp(p).test(text));
}

describe('compileFirstMatch', () => {
  // Anchored and floating patterns mixed, leading .* and .+, alternations, a backreference and
  // two patterns declaring the same group name (which can't be joined into one regex).
  const patterns = [
    '^Alpha/',
    '.*MJ12bot',
    '(?<v>\\d)x\\k<v>',
    'beta|^Gamma',
    '.+[Bb]rave',
    '^(Delta|Epsilon)/',
    '(\\w)\\1{2}',
    '(?<v>zz)',
    ...Array.from({ length: 150 }, (_, i) => (i % 2 ? `^App${i}/` : `Lib${i}\\b`)),
    '$^',
    'end$',
  ];
  const texts = [
    'Alpha/1',
    'xAlpha/1',
    'Mozilla MJ12bot/1.7',
    'MJ12bot',
    '3x3',
    '3x4',
    'the beta app',
    'Gamma/2',
    'x Gamma/2',
    'Brave',
    'a Brave',
    'Delta/1',
    'Epsilon/2',
    'aaa',
    'zz top',
    'App1/1',
    'App149/1',
    'x App149/1',
    'Lib148 and App3/',
    'Lib14',
    'Lib140',
    'the end',
    '',
    'nothing at all',
  ];
  const firstMatch = compileFirstMatch(patterns);
  for (const text of texts) {
    it(`agrees with testing in order for ${JSON.stringify(text)}`, () => expect(firstMatch(text)).toBe(firstInOrder(patterns, text)));
  }

  it('answers -1 for an empty list', () => expect(compileFirstMatch([])('anything')).toBe(-1));
});

describe('computeSearchPattern', () => {
  const cases: Record<string, string> = {
    '.*MJ12bot': 'MJ12bot',
    '.+[Bb]rave': '.[Bb]rave',
    '.*?lazy': '.*?lazy',
    '^.*Android.*Chrome/': '^.*Android.*Chrome/',
    'plain': 'plain',
    '.*': '',
  };
  for (const [pattern, expected] of Object.entries(cases)) {
    it(`turns ${JSON.stringify(pattern)} into ${JSON.stringify(expected)}`, () => expect(computeSearchPattern(pattern)).toBe(expected));
  }
});
