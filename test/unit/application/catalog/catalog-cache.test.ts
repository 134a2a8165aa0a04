import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CatalogCache, judgeFreshness, type CatalogRead, type RequestKey } from '../../../../shared/application/catalog-cache.ts';
import type { CatalogEntry } from '../../../../shared/domain/catalog/catalog-entry.ts';

describe('judgeFreshness (fresh 60 s, then stale 600 s)', () => {
  it.each([
    [0, 'fresh'],
    [59_999, 'fresh'],
    [60_000, 'stale'],
    [659_999, 'stale'],
    [660_000, 'expired'],
    [-1, 'expired'],
  ] as const)('read %i ms ago: %s', (age, expected) => expect(judgeFreshness(1_000_000, 1_000_000 + age, 60_000, 600_000)).toBe(expected));
});

const episode = (id: string): CatalogEntry => ({ show_id: 's1', episode_id: id, file_size: 1000 });
const url = (key: string): RequestKey => ({ key, byPath: false });

/** A catalog read that records its calls and answers from `held` (or fails while `failing`). */
function recordingRead(held: Map<string, CatalogEntry>) {
  const calls: string[][] = [];
  const state = { failing: false };
  const read: CatalogRead = async (keys) => {
    calls.push(keys.map((k) => k.key));
    if (state.failing) throw new Error('store down');
    return keys.map((k) => held.get(k.key));
  };
  return { calls, read, state };
}

describe('CatalogCache', () => {
  it('reads a key once, then serves it, and its absence, from memory while fresh', async () => {
    const { calls, read } = recordingRead(new Map([['cdn/a.mp3', episode('a')]]));
    const clock = { now: 0 };
    const cache = new CatalogCache(read, { now: () => clock.now });
    expect(cache.tryCached(url('cdn/a.mp3'))).toBeUndefined();
    expect(await cache.read(url('cdn/a.mp3'))).toEqual(episode('a'));
    expect(await cache.read(url('cdn/none.mp3'))).toBeUndefined();
    clock.now = 59_000;
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry).toEqual(episode('a'));
    const absent = cache.tryCached(url('cdn/none.mp3'));
    expect(absent).toBeDefined();
    expect(absent?.entry).toBeUndefined();
    expect(calls).toEqual([['cdn/a.mp3'], ['cdn/none.mp3']]);
  });

  it('gathers the keys missing in one turn into one read, and reads a key under way only once', async () => {
    const { calls, read } = recordingRead(new Map([['cdn/a.mp3', episode('a')], ['cdn/b.mp3', episode('b')]]));
    const cache = new CatalogCache(read);
    const answers = await Promise.all([cache.read(url('cdn/a.mp3')), cache.read(url('cdn/b.mp3')), cache.read(url('cdn/a.mp3')), cache.lookup(url('cdn/b.mp3'))]);
    expect(answers.map((a) => a?.episode_id)).toEqual(['a', 'b', 'a', 'b']);
    expect(calls).toEqual([['cdn/a.mp3', 'cdn/b.mp3']]);
  });

  it('keeps a path key apart from a URL key with the same text', async () => {
    const { calls, read } = recordingRead(new Map([['/a.mp3', episode('a')]]));
    const cache = new CatalogCache(read);
    await cache.read({ key: '/a.mp3', byPath: true });
    expect(cache.tryCached({ key: '/a.mp3', byPath: false })).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('serves a stale answer at once while one read refreshes it, then the new one', async () => {
    const held = new Map([['cdn/a.mp3', episode('a')]]);
    const { calls, read } = recordingRead(held);
    const clock = { now: 0 };
    const cache = new CatalogCache(read, { freshMs: 1000, staleMs: 10_000, now: () => clock.now });
    await cache.read(url('cdn/a.mp3'));
    held.set('cdn/a.mp3', { ...episode('a'), file_size: 2000 });
    clock.now = 1500;
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry?.file_size).toBe(1000);
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry?.file_size).toBe(1000);
    await nextTurn();
    await nextTurn();
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry?.file_size).toBe(2000);
    expect(calls).toHaveLength(2);
  });

  it('keeps serving a stale answer when its refresh fails, and answers nothing once it has expired', async () => {
    const { calls, read, state } = recordingRead(new Map([['cdn/a.mp3', episode('a')]]));
    const clock = { now: 0 };
    const cache = new CatalogCache(read, { freshMs: 1000, staleMs: 1000, now: () => clock.now });
    await cache.read(url('cdn/a.mp3'));
    state.failing = true;
    clock.now = 1500;
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry).toEqual(episode('a'));
    await nextTurn();
    await nextTurn();
    // The failed refresh is tried again by the next request, still served the stale answer.
    expect(cache.tryCached(url('cdn/a.mp3'))?.entry).toEqual(episode('a'));
    await nextTurn();
    await nextTurn();
    expect(calls).toHaveLength(3);
    clock.now = 2000;
    expect(cache.tryCached(url('cdn/a.mp3'))).toBeUndefined();
    await expect(cache.read(url('cdn/a.mp3'))).rejects.toThrow('store down');
  });

  it('does not cache a failed read', async () => {
    const { calls, read, state } = recordingRead(new Map([['cdn/a.mp3', episode('a')]]));
    const cache = new CatalogCache(read);
    state.failing = true;
    await expect(cache.read(url('cdn/a.mp3'))).rejects.toThrow('store down');
    expect(cache.tryCached(url('cdn/a.mp3'))).toBeUndefined();
    state.failing = false;
    expect(await cache.read(url('cdn/a.mp3'))).toEqual(episode('a'));
    expect(calls).toHaveLength(2);
  });

  it('holds at most maxEntries keys, dropping the least recently read', async () => {
    const { read } = recordingRead(new Map());
    const cache = new CatalogCache(read, { maxEntries: 2 });
    await cache.read(url('k1'));
    await cache.read(url('k2'));
    await cache.read(url('k3'));
    expect(cache.size).toBe(2);
    expect(cache.tryCached(url('k1'))).toBeUndefined();
    expect(cache.tryCached(url('k3'))).toBeDefined();
  });

  it('forgets everything on clear, and does not keep an answer read before it', async () => {
    const { calls, read } = recordingRead(new Map([['cdn/a.mp3', episode('a')]]));
    const cache = new CatalogCache(read);
    await cache.read(url('cdn/a.mp3'));
    const underWay = cache.read(url('cdn/b.mp3'));
    cache.clear();
    expect(await underWay).toBeUndefined();
    expect(cache.tryCached(url('cdn/a.mp3'))).toBeUndefined();
    expect(cache.tryCached(url('cdn/b.mp3'))).toBeUndefined();
    expect(calls).toEqual([['cdn/a.mp3'], ['cdn/b.mp3']]);
  });
});
