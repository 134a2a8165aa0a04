import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../../shared/domain/ua/bounded-cache.ts';

describe('BoundedCache', () => {
  it('forgets the oldest insertion once full', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([undefined, 2, 3, 2]);
  });

  it('replaces a present key without evicting another', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    expect([cache.get('a'), cache.get('b')]).toEqual([10, 2]);
  });

  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    it(`refuses a capacity of ${capacity}`, () => expect(() => new BoundedCache(capacity)).toThrow(RangeError));
  }
});
