import { describe, expect, it } from 'vitest';
import { addByteRange, coversByteRange, coversPrefix, endOfFile, type ByteRanges } from '../../../../shared/domain/counting/byte-ranges.ts';
import { tryParseRangeHeader } from '../../../../shared/domain/counting/range-header.ts';

describe('addByteRange', () => {
  const cases: Array<[string, Array<[number, number]>, ByteRanges]> = [
    ['one range', [[0, 99]], [0, 99]],
    ['disjoint, out of order', [[200, 299], [0, 99]], [0, 99, 200, 299]],
    ['overlapping', [[0, 99], [50, 149]], [0, 149]],
    ['adjacent', [[0, 99], [100, 199]], [0, 199]],
    ['contained', [[0, 999], [10, 20]], [0, 999]],
    ['bridging two', [[0, 9], [20, 29], [5, 25]], [0, 29]],
    ['bridging with a gap left', [[0, 9], [20, 29], [40, 49], [8, 21]], [0, 29, 40, 49]],
    ['before all', [[100, 199], [300, 399], [0, 10]], [0, 10, 100, 199, 300, 399]],
    ['to end of file', [[0, 9], [5, endOfFile]], [0, endOfFile]],
    ['a single byte', [[5, 5], [6, 6]], [5, 6]],
  ];
  for (const [name, adds, expected] of cases) {
    it(name, () => {
      const ranges: ByteRanges = [];
      for (const [s, e] of adds) addByteRange(ranges, s, e);
      expect(ranges).toEqual(expected);
    });
  }
});

describe('coverage', () => {
  const ranges: ByteRanges = [0, 99, 200, 299];
  const cases: Array<[number, number, boolean]> = [
    [0, 99, true],
    [10, 20, true],
    [50, 150, false],
    [200, 299, true],
    [199, 250, false],
    [300, 300, false],
  ];
  for (const [s, e, covered] of cases) it(`[${s}, ${e}] covered: ${covered}`, () => expect(coversByteRange(ranges, s, e)).toBe(covered));
  it('covers a prefix only from byte 0', () => {
    expect(coversPrefix(ranges, 100)).toBe(true);
    expect(coversPrefix(ranges, 101)).toBe(false);
    expect(coversPrefix([1, 1000], 10)).toBe(false);
    expect(coversPrefix([], 0)).toBe(true);
  });
});

describe('tryParseRangeHeader', () => {
  const cases: Array<[string, number | undefined, { start: number; end: number } | undefined]> = [
    ['bytes=0-1', 1000, { start: 0, end: 1 }],
    ['bytes=100-', 1000, { start: 100, end: 999 }],
    ['bytes=100-', undefined, { start: 100, end: endOfFile }],
    ['bytes=-100', 1000, { start: 900, end: 999 }],
    ['bytes=-5000', 1000, { start: 0, end: 999 }],
    ['bytes=0-5000', 1000, { start: 0, end: 999 }],
    ['bytes=10-20, 30-40', 1000, { start: 10, end: 20 }],
    [' BYTES = 5 - 9 ', undefined, { start: 5, end: 9 }],
    ['bytes=-100', undefined, undefined],
    ['bytes=20-10', 1000, undefined],
    ['bytes=2000-', 1000, undefined],
    ['bytes=-', 1000, undefined],
    ['items=0-1', 1000, undefined],
    ['bytes=-0', 1000, undefined],
    ['bytes=0-1x', 1000, undefined],
    ['bytes 0-1', 1000, undefined],
    ['bytes=1-2-3', 1000, undefined],
  ];
  for (const [header, size, expected] of cases) {
    it(`${JSON.stringify(header)} of ${size ?? 'unknown size'}`, () => expect(tryParseRangeHeader(header, size)).toEqual(expected));
  }
});
