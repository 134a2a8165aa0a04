import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, type JournaledDocument, type StateJournal } from '../../../shared/adapters/local/durable-store.ts';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';

/**
 * A journal whose commits the test decides: writes wait in a batch until `commit(true|false)`,
 * and only a successful commit reaches the "disk". It shows memory and disk never diverge, which
 * a fault that lets the bytes land cannot show.
 */
class ControlledJournal implements StateJournal {
  readonly disk = new Map<string, JournaledDocument>();
  #batch: JournaledDocument[] = [];
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  #broken = false;

  constructor(initial: JournaledDocument[] = []) {
    for (const d of initial) this.disk.set(`${d.collection}/${d.id}`, d);
  }

  commit(ok: boolean): void {
    if (!ok) this.#broken = true;
    for (const d of ok ? this.#batch : []) {
      if (d.json === '') this.disk.delete(`${d.collection}/${d.id}`);
      else this.disk.set(`${d.collection}/${d.id}`, d);
    }
    this.#batch = [];
    for (const w of this.#waiters.splice(0)) {
      if (this.#broken) w.reject(new StoreUnavailableError('disk full'));
      else w.resolve();
    }
  }

  heal(): void {
    this.#broken = false;
  }

  async ensureWritable(): Promise<void> {
    if (this.#broken) throw new StoreUnavailableError('disk full');
  }

  writeDocument(collection: string, id: string, json: string | undefined, expiresAt?: number): void {
    this.#batch.push(expiresAt === undefined ? { collection, id, json: json ?? '' } : { collection, id, json: json ?? '', expiresAt });
  }

  flushed(): Promise<void> {
    if (this.#batch.length === 0 && this.#waiters.length === 0) return this.#broken ? Promise.reject(new StoreUnavailableError('disk full')) : Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  documents(): Iterable<JournaledDocument> {
    return [...this.disk.values()];
  }

  readDocument(collection: string, id: string): JournaledDocument | undefined {
    return this.disk.get(`${collection}/${id}`);
  }
}

const increment = (store: MemoryStateStore) =>
  store.transact<{ n: number }, number>('c', ['p'], ([doc]) => {
    const n = (doc?.n ?? 0) + 1;
    return { writes: [{ id: 'p', doc: { n } }], result: n };
  });
const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryStateStore on a journal whose commits fail', () => {
  it('never lets a transaction read a write that then fails', async () => {
    const journal = new ControlledJournal([{ collection: 'c', id: 'p', json: '{"n":0}' }]);
    const store = new MemoryStateStore(Date.now, journal);
    const first = increment(store);
    await tick();
    const second = increment(store); // starts while the first's write is pending
    await tick();
    journal.commit(false);
    await expect(first).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(second).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.getMany('c', ['p'])).toEqual([{ n: 0 }]);
    journal.heal();
    const third = increment(store);
    await tick();
    journal.commit(true);
    expect(await third).toBe(1);
    expect(journal.disk.get('c/p')?.json).toBe('{"n":1}');
  });

  it('answers a read with what the disk holds once a pending write of it fails', async () => {
    const journal = new ControlledJournal();
    const store = new MemoryStateStore(Date.now, journal);
    const write = store.createIfAbsent('c', 'x', { big: true });
    await tick();
    const read = store.getMany('c', ['x']);
    await tick();
    journal.commit(false);
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await read).toEqual([undefined]);
  });

  it('deletes from disk at start the documents that expired while nothing ran', () => {
    const journal = new ControlledJournal([
      { collection: 'c', id: 'old', json: '{}', expiresAt: 1000 },
      { collection: 'c', id: 'live', json: '{"n":1}', expiresAt: 9000 },
    ]);
    const store = new MemoryStateStore(() => 5000, journal);
    journal.commit(true);
    expect([...journal.disk.keys()]).toEqual(['c/live']);
    expect(store.size).toBe(1);
  });
});
