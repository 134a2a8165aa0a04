/**
 * Gathers items that arrive one at a time (pixel requests) into batches, so one Pub/Sub message
 * carries many records and downstream invocations scale with batches, not requests. `add`
 * resolves when the batch holding the item has been flushed (published), so a caller can still
 * answer only after its item is durable; a failed flush rejects every caller of that batch.
 */
export class MicroBatcher<T> {
  #items: T[] = [];
  #waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #flush: (items: T[]) => Promise<void>;
  readonly #maxItems: number;
  readonly #maxWaitMs: number;

  /** `maxWaitMs` 0 flushes at the end of the event loop's turn (setImmediate) rather than on a timer. */
  constructor(flush: (items: T[]) => Promise<void>, options: { maxItems?: number; maxWaitMs?: number } = {}) {
    this.#flush = flush;
    this.#maxItems = options.maxItems ?? 500;
    this.#maxWaitMs = options.maxWaitMs ?? 10;
  }

  add(item: T): Promise<void> {
    this.#items.push(item);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#items.length >= this.#maxItems) void this.flushNow();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      // A zero window flushes once the requests read in this turn of the event loop are gathered.
      if (this.#maxWaitMs === 0) setImmediate(() => void this.flushNow());
      else this.#timer = setTimeout(() => void this.flushNow(), this.#maxWaitMs);
    }
    return done;
  }

  /** Flushes what is gathered now (also on shutdown). */
  async flushNow(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduled = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    const waiters = this.#waiters;
    this.#items = [];
    this.#waiters = [];
    try {
      await this.#flush(items);
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }
}
