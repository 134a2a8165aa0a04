import type { StateStore, StateWrite } from '../../ports.ts';
import type { StateJournal } from './durable-store.ts';

interface Stored {
  doc: object;
  expiresAt?: number;
}

/** Firestore refuses these ids; refusing them here too lets local runs and unit tests catch it. */
function checkDocumentId(id: string): void {
  if (id === '' || id === '.' || id === '..' || id.includes('/') || /^__.*__$/.test(id)) throw new Error(`invalid document id ${JSON.stringify(id)}`);
}

/**
 * The local state store: documents in memory, written through to a journal (the durable store
 * of `earshot start`) when it has one. An operation resolves only once what it wrote and what it
 * read is on disk, so a handler never acts on state a crash could take back. Expired documents
 * read as absent.
 */
export class MemoryStateStore implements StateStore {
  readonly #collections = new Map<string, Map<string, Stored>>();
  readonly #now: () => number;
  readonly #journal: StateJournal | undefined;

  constructor(now: () => number = Date.now, journal?: StateJournal) {
    this.#now = now;
    this.#journal = journal;
    if (journal) {
      this.#reload(journal);
      journal.onRecovered(() => this.#reload(journal));
    }
  }

  /** Removes expired documents from memory and from the journal. */
  sweepExpired(): number {
    let removed = 0;
    for (const [name, docs] of this.#collections) {
      for (const [id, stored] of docs) {
        if (this.#isLive(stored)) continue;
        docs.delete(id);
        this.#journal?.writeDocument(name, id, undefined);
        removed++;
      }
    }
    return removed;
  }

  /** Documents held, expired ones included until swept (for tests and the start banner). */
  get size(): number {
    let n = 0;
    for (const docs of this.#collections.values()) n += docs.size;
    return n;
  }

  // What is on disk is the truth: after a failed commit memory may hold writes the disk lost.
  #reload(journal: StateJournal): void {
    this.#collections.clear();
    for (const { collection, id, json, expiresAt } of journal.documents()) {
      const stored: Stored = { doc: JSON.parse(json) as object };
      if (expiresAt !== undefined) stored.expiresAt = expiresAt;
      if (this.#isLive(stored)) this.#collection(collection).set(id, stored);
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
    const stored: Stored = { doc: JSON.parse(json) as object };
    if (write.expiresAt) stored.expiresAt = write.expiresAt.getTime();
    this.#collection(collection).set(write.id, stored);
    this.#journal?.writeDocument(collection, write.id, json, stored.expiresAt);
  }

  async getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    const docs = ids.map((id) => this.#read<T>(collection, id));
    await this.#journal?.flushed();
    return docs;
  }

  async createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    await this.#journal?.ensureWritable();
    const created = this.#read(collection, id) === undefined;
    if (created) this.#write(collection, expiresAt ? { id, doc, expiresAt } : { id, doc });
    await this.#journal?.flushed();
    return created;
  }

  // Single-threaded: read, decide and write happen without an await in between, so atomically.
  async transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R> {
    await this.#journal?.ensureWritable();
    const { writes, result } = decide(ids.map((id) => this.#read<T>(collection, id)));
    for (const write of writes) this.#write(collection, write);
    await this.#journal?.flushed();
    return result;
  }
}
