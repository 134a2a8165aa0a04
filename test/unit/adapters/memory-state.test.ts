import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore, StoreUnavailableError } from '../../../shared/adapters/local/durable-store.ts';
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

  it('keeps its documents in the durable store across a reopen, dropping expired ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-state-'));
    let now = 0;
    const first = DurableStore.open(dir);
    const store = new MemoryStateStore(() => now, first);
    await store.createIfAbsent('c', 'keep', { n: 1 });
    await store.createIfAbsent('c', 'gone', { n: 2 }, new Date(10));
    await store.transact<{ n: number }, void>('c', ['keep'], () => ({ writes: [{ id: 'keep', doc: { n: 3 } }], result: undefined }));
    await first.close();
    now = 20;
    const second = DurableStore.open(dir);
    const reopened = new MemoryStateStore(() => now, second);
    expect(await reopened.getMany('c', ['keep', 'gone'])).toEqual([{ n: 3 }, undefined]);
    expect(reopened.sweepExpired()).toBe(0);
    await second.close();
  });

  it('refuses writes while the store fails, and afterwards holds only what reached the disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-state-'));
    let failing = false;
    const durable = DurableStore.open(dir, { failing: () => failing });
    const store = new MemoryStateStore(Date.now, durable);
    await store.createIfAbsent('c', 'a', { n: 1 });
    failing = true;
    await expect(store.createIfAbsent('c', 'b', { n: 2 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.transact('c', ['a'], () => ({ writes: [{ id: 'a', doc: { n: 9 } }], result: 0 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    failing = false;
    await new Promise((r) => setTimeout(r, 1100));
    // The injected fault lets the bytes reach the disk, as a commit whose reply was lost would:
    // after recovery memory is what the disk holds, never more.
    expect(await store.createIfAbsent('c', 'c', { n: 3 })).toBe(true);
    const onDisk = new Map([...durable.documents()].map((d) => [d.id, JSON.parse(d.json) as unknown]));
    expect(await store.getMany('c', ['a', 'b', 'c'])).toEqual([onDisk.get('a'), onDisk.get('b'), { n: 3 }]);
    await durable.close();
  });
});
