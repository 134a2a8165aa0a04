import { describe, expect, it } from 'vitest';
import { windowDocVersion } from '../../../functions/count/state-docs.ts';
import { readWindowDoc } from '../../../functions/count/window-doc.ts';
import { legacyArrangement, toArrangementMarker } from '../../../shared/counting/arrangement.ts';
import { tailShift } from '../../../shared/counting/listener-window.ts';

const legacy = toArrangementMarker(legacyArrangement);
// Version 1 header: start, last, counted, range numbers, seen, ad numbers, replay block length, check.
const v1 = (ranges: number, seen: number, ads = 0, previous = 0) => [1_000, 1_010, 0, ranges, seen, ads, previous, 9];
// Version 2: the ad numbers and the replay block length share a slot.
const v2 = (ranges: number, seen: number, ads = 0, previous = 0) => [1_000, 1_010, 0, ranges, seen, ads + previous * tailShift, 9];

describe('readWindowDoc', () => {
  const cases: Array<[string, object | undefined, object | undefined]> = [
    ['no document', undefined, undefined],
    ['version 1: its ranges go behind the legacy marker', { w: [...v1(2, 1), 0, 99, 7], t: [3] }, { v: 2, w: [...v2(3, 1), legacy, 0, 99, 7], t: [3] }],
    [
      'version 1 with a delivered ad and a replaced window',
      { w: [...v1(4, 1, 3, 4), 0, 9, 20, 29, 7, 0, 0, 55, -1, 1, 0, 6], t: [3], tp: [2] },
      { v: 2, w: [...v2(5, 1, 3, 4), legacy, 0, 9, 20, 29, 7, 0, 0, 55, -1, 1, 0, 6], t: [3], tp: [2] },
    ],
    ['version 1 without ranges (a new window after a replaced one)', { w: [...v1(0, 0, 0, 3), -1, 0, 0], t: [] }, { v: 2, w: [...v2(0, 0, 0, 3), -1, 0, 0], t: [] }],
    ['version 2 as it is', { v: 2, w: [...v2(3, 1), -5, 0, 99, 7], t: [3], o: [8, 3] }, { v: 2, w: [...v2(3, 1), -5, 0, 99, 7], t: [3], o: [8, 3] }],
    ['version 2 without a window (excluded requests only)', { v: 2, o: [8, 3] }, { v: 2, o: [8, 3] }],
  ];
  for (const [name, stored, expected] of cases) it(name, () => expect(readWindowDoc('w:x', stored)).toEqual(expected));

  it('refuses a version it does not know, naming the document', () => {
    expect(() => readWindowDoc('w:abc', { v: windowDocVersion + 1, o: [] })).toThrow(`window document w:abc has version ${windowDocVersion + 1}`);
  });
});
