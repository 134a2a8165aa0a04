import { describe, expect, it } from 'vitest';
import type { Exposure } from '../../../../../shared/domain/attribution/exposure.ts';
import { MemoryStateStore } from '../../../../../shared/adapters/local/memory-state.ts';
import {
  computeHouseholdDocExpiry,
  computeStoredSize,
  createHouseholdDoc,
  exposureLifetimeSeconds,
  householdDocVersion,
  readHouseholdDoc,
  trimHouseholdDoc,
  type HouseholdDoc,
} from '../../../../../shared/domain/counting/state/household-doc.ts';
import { readExposures } from '../../../../../shared/domain/counting/state/read-exposures.ts';
import { computeEntryName, computeHouseholdDocId, computeLegacyExposureDocId, countingCollection } from '../../../../../shared/domain/counting/state/state-ids.ts';

const exposure = (ts: number, ad: string): Exposure => ({ ts, campaign_id: 'c', creative_id: 'x', ad_id: ad, ua: 1, ghost: false, event: ts });
const doc = (over: Partial<HouseholdDoc>): HouseholdDoc => ({ ...createHouseholdDoc(), ...over });

describe('household documents', () => {
  it('read as a new document when absent, and refuse a version they do not know, naming the document', () => {
    expect(readHouseholdDoc('h:a', undefined, 0)).toEqual({ v: householdDocVersion, w: {}, l: {}, a: {}, x: [] });
    for (const v of [undefined, 2, householdDocVersion + 1]) {
      expect(() => readHouseholdDoc('h:a', { v, w: {}, l: {}, x: [] }, 0)).toThrow(`household document h:a has version ${String(v)}`);
    }
  });

  it('read a document written before the volume tallies as one with none', () => {
    const { a: _none, ...older } = doc({ w: { a: { w: [1], e: 200 } } });
    expect(readHouseholdDoc('h:a', older, 100)).toEqual(doc({ w: { a: { w: [1], e: 200 } } }));
  });

  it('read without the entries whose time ran out, and as a copy', () => {
    const stored = doc({ w: { a: { w: [1], e: 100 }, b: { o: [1, 2], e: 101 } }, l: { c: [1, 2, 100], d: [3, 4, 200] }, a: { t: { h: [7], e: 100 }, u: { h: [8], e: 300 } } });
    const read = readHouseholdDoc('h:a', stored, 100);
    expect(read).toEqual(doc({ w: { b: { o: [1, 2], e: 101 } }, l: { d: [3, 4, 200] }, a: { u: { h: [8], e: 300 } } }));
    read.w.z = { e: 1 };
    expect(stored.w.z).toBeUndefined();
  });

  const cases: Array<[string, HouseholdDoc, number]> = [
    ['empty', createHouseholdDoc(), 0],
    ['the latest entry', doc({ w: { a: { e: 50 }, b: { e: 70 } }, l: { c: [1, 2, 60] } }), 70],
    ['a listener day past the windows', doc({ w: { a: { e: 50 } }, l: { c: [1, 2, 90] } }), 90],
    ['a volume tally past the windows', doc({ w: { a: { e: 50 } }, a: { t: { h: [1], e: 95 } } }), 95],
    ['the newest exposure past every entry', doc({ w: { a: { e: 50 } }, x: [exposure(10, 'a'), exposure(20, 'b')] }), 20 + exposureLifetimeSeconds],
  ];
  for (const [name, d, expiry] of cases) it(`expire with ${name}`, () => expect(computeHouseholdDocExpiry(d)).toBe(expiry));

  it('count bytes as Firestore does: numbers 8, strings and names their length and 1', () => {
    expect(computeStoredSize({ ab: [1, 2], c: 'xyz' })).toBe(3 + 16 + 2 + 4);
  });

  it('drop the entries nearest their end until they fit, exposures kept', () => {
    const d = doc({ w: { old: { w: new Array<number>(100).fill(1), e: 10 }, new: { w: new Array<number>(100).fill(1), e: 30 } }, l: { mid: [1, 2, 20] }, x: [exposure(1, 'a')] });
    const full = computeStoredSize(d);
    trimHouseholdDoc(d, full);
    expect(Object.keys(d.w)).toEqual(['old', 'new']);
    trimHouseholdDoc(d, full - 1);
    expect([Object.keys(d.w), Object.keys(d.l), d.x.length]).toEqual([['new'], ['mid'], 1]);
    trimHouseholdDoc(d, computeStoredSize(d) - 1);
    expect([Object.keys(d.w), Object.keys(d.l)]).toEqual([['new'], []]);
    d.a = { tally: { h: [1, 2, 3], e: 5 } };
    trimHouseholdDoc(d, computeStoredSize(d) - 1);
    expect([Object.keys(d.w), d.a]).toEqual([['new'], {}]);
  });

  it('name entries in hex, never a name Firestore reserves', () => {
    expect(computeEntryName('p\nh\nua\ne\n-1')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('readExposures', () => {
  it("reads each household's exposures, with those of the layout before household documents, once each", async () => {
    const state = new MemoryStateStore(() => 0);
    await state.createIfAbsent(countingCollection, computeHouseholdDocId('k1'), doc({ x: [exposure(20, 'b'), exposure(30, 'c')] }));
    await state.createIfAbsent(countingCollection, computeLegacyExposureDocId('k1'), { x: [exposure(10, 'a'), exposure(20, 'b')] });
    await state.createIfAbsent(countingCollection, computeLegacyExposureDocId('k2'), { x: [exposure(5, 'z')] });
    const found = await readExposures(state, ['k1', 'k2', 'k3', 'k1'], new Date(0));
    expect([...found].map(([key, list]) => [key, list.map((x) => x.ad_id)])).toEqual([
      ['k1', ['a', 'b', 'c']],
      ['k2', ['z']],
      ['k3', []],
    ]);
  });
});
