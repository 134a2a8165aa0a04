import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';

describe('MemoryStateStore', () => {
  it('creates once, reads in order, and copies documents', async () => {
    const store = new MemoryStateStore();
    expect(await store.createIfAbsent('c', 'a', { n: 1 })).toBe(true);
    expect(await store.createIfAbsent('c', 'a', { n: 2 })).toBe(false);
    const [a, missing] = await store.getMany<{ n: number }>('c', ['a', 'zz']);
    expect([a, missing]).toEqual([{ n: 1 }, undefined]);
    if (a) a.n = 99;
    expect((await store.getMany<{ n: number }>('c', ['a']))[0]).toEqual({ n: 1 });
  });

  it('treats expired documents as absent', async () => {
    let now = 1000;
    const store = new MemoryStateStore(() => now);
    await store.createIfAbsent('c', 'a', { n: 1 }, new Date(2000));
    expect(await store.createIfAbsent('c', 'a', { n: 2 })).toBe(false);
    now = 2000;
    expect(await store.getMany('c', ['a'])).toEqual([undefined]);
    expect(await store.createIfAbsent('c', 'a', { n: 3 })).toBe(true);
  });

  it('applies a transaction atomically and returns its result', async () => {
    const store = new MemoryStateStore();
    const inc = () =>
      store.transact<{ n: number }, number>('c', ['x'], ([doc]) => {
        const n = (doc?.n ?? 0) + 1;
        return { writes: [{ id: 'x', doc: { n } }], result: n };
      });
    const results = await Promise.all(Array.from({ length: 20 }, inc));
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('survives a save and load, dropping expired documents', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'earshot-state-')), 'state.json');
    let now = 0;
    const store = new MemoryStateStore(() => now);
    await store.createIfAbsent('c', 'keep', { n: 1 });
    await store.createIfAbsent('c', 'gone', { n: 2 }, new Date(10));
    now = 20;
    store.save(file);
    const loaded = MemoryStateStore.load(file, () => now);
    expect(await loaded.getMany('c', ['keep', 'gone'])).toEqual([{ n: 1 }, undefined]);
  });
});
