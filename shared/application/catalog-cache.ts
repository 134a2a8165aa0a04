import type { CatalogEntry } from '../domain/catalog/catalog-entry.ts';

/** A request's catalog key (`computeRequestKey`). */
export interface RequestKey {
  key: string;
  byPath: boolean;
}

/** Reads entries for keys, in order (`Catalog.lookup` for one platform). */
export type CatalogRead = (keys: readonly RequestKey[]) => Promise<ReadonlyArray<CatalogEntry | undefined>>;

export interface CatalogCacheOptions {
  /** How long a read answer (an entry, or that the key has none) is served without reading again. */
  freshMs?: number;
  /** How long after that it is still served, while one read refreshes it in the background. */
  staleMs?: number;
  /** Keys kept; beyond it the least recently read goes first. */
  maxEntries?: number;
  now?: () => number;
}

/** A cached answer: the key's entry, or `undefined` for a key the catalog does not hold. */
export interface CachedEntry {
  readonly entry: CatalogEntry | undefined;
}

interface Slot extends CachedEntry {
  readAt: number;
  refreshing: boolean;
}

export type Freshness = 'fresh' | 'stale' | 'expired';

/** Whether an answer read at `readAt` may be served at `now`, and whether it needs a refresh. */
export function judgeFreshness(readAt: number, now: number, freshMs: number, staleMs: number): Freshness {
  const age = now - readAt;
  if (age < 0) return 'expired'; // the clock went back: nothing says how old the answer is
  if (age < freshMs) return 'fresh';
  return age < freshMs + staleMs ? 'stale' : 'expired';
}

const slotId = (k: RequestKey) => (k.byPath ? 'p:' : 'u:') + k.key;

/**
 * The episode catalog as an instance remembers it, for the prefix redirect: a catalog read per
 * redirect is a Firestore round trip before the beacon can be published, and the listener waits
 * for the publish. Answers (absence included) are served for `freshMs`, then for `staleMs` more
 * while a single read refreshes them; keys missing at once share one read per turn of the event
 * loop, and a key already being read is never read twice. A feed read by another instance shows
 * here within `freshMs` (plus one refresh); one read by this instance at once (`clear`).
 */
export class CatalogCache {
  readonly #read: CatalogRead;
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #slots = new Map<string, Slot>();
  readonly #reading = new Map<string, Promise<CatalogEntry | undefined>>();
  #queued: Array<{ id: string; key: RequestKey; settle: (result: { entry: CatalogEntry | undefined } | { error: unknown }) => void }> = [];
  #generation = 0;

  constructor(read: CatalogRead, options: CatalogCacheOptions = {}) {
    this.#read = read;
    this.#freshMs = options.freshMs ?? 60_000;
    this.#staleMs = options.staleMs ?? 600_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The answer for `key` when one may be served now (starting its refresh when it is stale), or
   * `undefined` when it has to be read (`read`).
   */
  tryCached(key: RequestKey): CachedEntry | undefined {
    const id = slotId(key);
    const slot = this.#slots.get(id);
    if (!slot) return undefined;
    const freshness = judgeFreshness(slot.readAt, this.#now(), this.#freshMs, this.#staleMs);
    if (freshness === 'fresh') return slot;
    if (freshness === 'expired') return undefined;
    if (!slot.refreshing) {
      slot.refreshing = true;
      // A failed refresh keeps the stale answer until it expires; the next request tries again.
      this.#load(id, key).catch(() => (slot.refreshing = false));
    }
    return slot;
  }

  /** Reads `key` (joining a read under way) and caches the answer; a failed read is not cached. */
  read(key: RequestKey): Promise<CatalogEntry | undefined> {
    return this.#load(slotId(key), key);
  }

  /** The cached answer, or a read of it. */
  lookup(key: RequestKey): Promise<CatalogEntry | undefined> {
    const cached = this.tryCached(key);
    return cached ? Promise.resolve(cached.entry) : this.read(key);
  }

  /** Forgets every answer (after this instance changed the catalog); reads under way are not cached. */
  clear(): void {
    this.#slots.clear();
    this.#reading.clear();
    this.#generation++;
  }

  get size(): number {
    return this.#slots.size;
  }

  #load(id: string, key: RequestKey): Promise<CatalogEntry | undefined> {
    const reading = this.#reading.get(id);
    if (reading) return reading;
    const generation = this.#generation;
    const loaded = new Promise<CatalogEntry | undefined>((resolve, reject) => {
      if (this.#queued.length === 0) setImmediate(() => void this.#readQueued());
      this.#queued.push({ id, key, settle: (result) => ('error' in result ? reject(result.error) : resolve(result.entry)) });
    }).then(
      (entry) => {
        if (generation === this.#generation) {
          this.#reading.delete(id);
          this.#remember(id, entry);
        }
        return entry;
      },
      (err: unknown) => {
        if (generation === this.#generation) this.#reading.delete(id);
        throw err;
      },
    );
    this.#reading.set(id, loaded);
    return loaded;
  }

  /** One read for every key queued in this turn of the event loop. */
  async #readQueued(): Promise<void> {
    const queued = this.#queued;
    this.#queued = [];
    try {
      const entries = await this.#read(queued.map((q) => q.key));
      queued.forEach((q, i) => q.settle({ entry: entries[i] }));
    } catch (error) {
      for (const q of queued) q.settle({ error });
    }
  }

  #remember(id: string, entry: CatalogEntry | undefined): void {
    // Re-inserting moves the key to the end of the map's order, which eviction reads as recency.
    this.#slots.delete(id);
    this.#slots.set(id, { entry, readAt: this.#now(), refreshing: false });
    if (this.#slots.size > this.#maxEntries) {
      const oldest = this.#slots.keys().next();
      if (!oldest.done) this.#slots.delete(oldest.value);
    }
  }
}
