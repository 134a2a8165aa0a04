import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StateStore, StateWrite } from '../../ports.ts';

interface Stored {
  doc: object;
  expiresAt?: number;
}

/** Firestore refuses these ids; refusing them here too lets local runs and unit tests catch it. */
function checkDocumentId(id: string): void {
  if (id === '' || id === '.' || id === '..' || id.includes('/') || /^__.*__$/.test(id)) throw new Error(`invalid document id ${JSON.stringify(id)}`);
}

/**
 * The local state store: documents in memory, snapshotted to a JSON file on `save()` so a restart
 * of `earshot start` keeps listener windows and dedupe keys. Expired documents read as absent.
 */
export class MemoryStateStore implements StateStore {
  readonly #collections = new Map<string, Map<string, Stored>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static load(file: string, now?: () => number): MemoryStateStore {
    const store = new MemoryStateStore(now);
    if (!existsSync(file)) return store;
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, Stored>>;
    for (const [name, docs] of Object.entries(data)) store.#collections.set(name, new Map(Object.entries(docs)));
    return store;
  }

  /** Writes a snapshot atomically (write then rename), skipping expired documents. */
  save(file: string): void {
    const out: Record<string, Record<string, Stored>> = {};
    for (const [name, docs] of this.#collections) {
      const live: Record<string, Stored> = {};
      for (const [id, stored] of docs) if (this.#isLive(stored)) live[id] = stored;
      out[name] = live;
    }
    writeFileSync(`${file}.tmp`, JSON.stringify(out));
    renameSync(`${file}.tmp`, file);
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
    const stored: Stored = { doc: JSON.parse(JSON.stringify(write.doc)) as object };
    if (write.expiresAt) stored.expiresAt = write.expiresAt.getTime();
    this.#collection(collection).set(write.id, stored);
  }

  async getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    return ids.map((id) => this.#read<T>(collection, id));
  }

  async createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    if (this.#read(collection, id) !== undefined) return false;
    this.#write(collection, expiresAt ? { id, doc, expiresAt } : { id, doc });
    return true;
  }

  // Single-threaded: read, decide and write happen without an await in between, so atomically.
  async transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R> {
    const { writes, result } = decide(ids.map((id) => this.#read<T>(collection, id)));
    for (const write of writes) this.#write(collection, write);
    return result;
  }
}
