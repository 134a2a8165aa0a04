import { describe, expect, it } from 'vitest';
import { computeArrangementHash, countArrangementRanges, findArrangement, toArrangementMarker, type AdPlacement } from '../../../../shared/domain/counting/arrangement.ts';

const pre: AdPlacement = { ad_id: 'pre', byte_start: 0, byte_end: 99_999 };
const mid: AdPlacement = { ad_id: 'mid', byte_start: 1_500_000, byte_end: 1_599_999 };

describe('computeArrangementHash', () => {
  const base = computeArrangementHash(60_000_000, [pre, mid]);
  const cases: Array<[string, number | undefined, AdPlacement[], boolean]> = [
    ['the same file', 60_000_000, [pre, mid], true],
    ['its ads listed in another order', 60_000_000, [mid, pre], true],
    ['another field of a placement (ghost, campaign) set', 60_000_000, [{ ...pre, ghost: true, campaign_id: 'c' } as AdPlacement, mid], true],
    ['another size', 60_000_001, [pre, mid], false],
    ['an unknown size', undefined, [pre, mid], false],
    ['an ad fewer', 60_000_000, [pre], false],
    ['another ad in the same place', 60_000_000, [{ ...pre, ad_id: 'other' }, mid], false],
    ['an ad one byte longer', 60_000_000, [pre, { ...mid, byte_end: 1_600_000 }], false],
  ];
  for (const [name, size, ads, same] of cases) {
    it(`${name}: ${same ? 'same' : 'another'} arrangement`, () => expect(computeArrangementHash(size, ads) === base).toBe(same));
  }

  it('is a 30-bit number, sizes above 2^32 included', () => {
    for (const size of [undefined, 0, 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const hash = computeArrangementHash(size, []);
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true);
      expect(hash).not.toBe(computeArrangementHash(size, [pre]));
    }
    expect(computeArrangementHash(5, [])).not.toBe(computeArrangementHash(2 ** 32 + 5, []));
  });
});

describe('finding an arrangement in a range list', () => {
  const [a, b] = [7, 9];
  // A window's range list inside a larger array: two numbers before it, one after.
  const list = [-5, -5, toArrangementMarker(a), 0, 99, 200, 299, toArrangementMarker(b), 0, 9, 42];
  const cases: Array<[string, number, number, number]> = [
    ['the first arrangement, up to the next marker', a, 2, 4],
    ['a later one, up to the end of the list', b, 7, 2],
    ['one not there', 3, -1, 0],
  ];
  for (const [name, arrangement, at, count] of cases) {
    it(name, () => {
      expect(findArrangement(list, arrangement, 2, 8)).toBe(at);
      if (at >= 0) expect(countArrangementRanges(list, at, 10)).toBe(count);
    });
  }
});
