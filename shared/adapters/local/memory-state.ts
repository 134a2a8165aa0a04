import type { StateStore, StateWrite } from '../../contracts/ports.ts';
import type { StateJournal } from './durable-store.ts';

interface Stored {
  doc: object;
  expiresAt?: number;
}

const pendingKey = (collection: string, id: string) => `${collection}\u0000${id}`;

function toStored(json: string, expiresAt: number | undefined): Stored {
  const stored: Stored = { doc: JSON.parse(json) as object };
  if (expiresAt !== undefined) stored.expiresAt = expiresAt;
  return stored;
}

/** Firestore refuses these ids; refusing them here too lets local runs and unit tests catch it. */
function checkDocumentId(id: string): void {
  if (id === '' || id === '.' || id === '..' || id.includes('/') || /^__.*__$/.test(id)) throw new Error(`invalid document id ${JSON.stringify(id)}`);
}

/**
 * The local state store: documents in memory, written through to a journal (the durable store
 * of `earshot start`) when it has one. An operation resolves only once what it wrote is on disk,
 * and it reads a document only once no write of it is pending, so a handler never acts on state
 * a crash or a failed commit could take back; a write that fails is replaced in memory by what
 * the disk holds. Expired documents read as absent.
 */
export class MemoryStateStore implements StateStore {
  readonly #collections = new Map<string, Map<string, Stored>>();
  readonly #now: () => number;
  readonly #journal: StateJournal | undefined;
  /** Writes not yet known to be on disk, per `collection/id`. */
  readonly #pending = new Map<string, number>();

  constructor(now: () => number = Date.now, journal?: StateJournal) {
    this.#now = now;
    this.#journal = journal;
    if (journal) this.#load(journal);
  }

  /** Removes expired documents from memory and from the journal. */
  sweepExpired(): number {
    let removed = 0;
    for (const [name, docs] of this.#collections) {
      for (const [id, stored] of docs) {
        if (this.#isLive(stored) || this.#pending.has(pendingKey(name, id))) continue;
        docs.delete(id);
        this.#journal?.writeDocument(name, id, undefined);
        removed++;
      }
    }
    return removed;
  }

  /** Documents held in memory, expired ones included until swept. */
  get size(): number {
    let n = 0;
    for (const docs of this.#collections.values()) n += docs.size;
    return n;
  }

  // Documents that expired while no process ran are deleted from disk here; the sweep sees only memory.
  #load(journal: StateJournal): void {
    for (const { collection, id, json, expiresAt } of journal.documents()) {
      if (expiresAt !== undefined && expiresAt <= this.#now()) journal.writeDocument(collection, id, undefined);
      else this.#collection(collection).set(id, toStored(json, expiresAt));
    }
  }

  // After a failed write the disk is the truth for the documents this operation wrote.
  #restore(journal: StateJournal, collection: string, ids: readonly string[]): void {
    for (const id of ids) {
      const onDisk = journal.readDocument(collection, id);
      if (onDisk) this.#collection(collection).set(id, toStored(onDisk.json, onDisk.expiresAt));
      else this.#collection(collection).delete(id);
    }
  }

  // Waits until no write of these documents is pending, with the store writable: a read never
  // sees a write that could still fail.
  async #settle(collection: string, ids: readonly string[], writing: boolean): Promise<void> {
    const journal = this.#journal;
    if (!journal) return;
    for (;;) {
      if (writing) await journal.ensureWritable();
      if (!ids.some((id) => this.#pending.has(pendingKey(collection, id)))) return;
      await journal.flushed().catch(() => undefined);
    }
  }

  // Flushes the writes of one operation; on failure puts back what the disk holds, then rethrows.
  async #commit(collection: string, ids: readonly string[]): Promise<void> {
    const journal = this.#journal;
    if (!journal || ids.length === 0) return;
    const keys = ids.map((id) => pendingKey(collection, id));
    for (const key of keys) this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    try {
      await journal.flushed();
    } catch (err) {
      this.#restore(journal, collection, ids);
      throw err;
    } finally {
      for (const key of keys) {
        const n = (this.#pending.get(key) ?? 1) - 1;
        if (n) this.#pending.set(key, n);
        else this.#pending.delete(key);
      }
    }
  }

  #collection(name: string): Map<string, Stored> {
    let docs = this.#collections.get(name);
    if (!docs) this.#collections.set(name, (docs = new Map()));
    return docs;
  }

  #isLive(stored: Stored): boolean {
    return stored.expiresAt === undefined || stored.expiresAt > this.#now();
  }

  #read<T>(collection: string, id: string): T | undefined {
    const stored = this.#collection(collection).get(id);
    // Copies, so callers cannot change stored state without a write (as with Firestore).
    return stored && this.#isLive(stored) ? (JSON.parse(JSON.stringify(stored.doc)) as T) : undefined;
  }

  #write<T extends object>(collection: string, write: StateWrite<T>): void {
    checkDocumentId(write.id);
    // Through JSON, as Firestore would store it: undefined fields dropped, no class instances.
    const json = JSON.stringify(write.doc);
    const stored = toStored(json, write.expiresAt?.getTime());
    this.#collection(collection).set(write.id, stored);
    this.#journal?.writeDocument(collection, write.id, json, stored.expiresAt);
  }

  async getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    await this.#settle(collection, ids, false);
    return ids.map((id) => this.#read<T>(collection, id));
  }

  async createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    await this.#settle(collection, [id], true);
    const created = this.#read(collection, id) === undefined;
    if (created) this.#write(collection, expiresAt ? { id, doc, expiresAt } : { id, doc });
    await this.#commit(collection, created ? [id] : []);
    return created;
  }

  // Single-threaded: read, decide and write happen without an await in between, so atomically.
  async transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R> {
    await this.#settle(collection, ids, true);
    const { writes, result } = decide(ids.map((id) => this.#read<T>(collection, id)));
    for (const write of writes) this.#write(collection, write);
    await this.#commit(collection, writes.map((w) => w.id));
    return result;
  }
}
