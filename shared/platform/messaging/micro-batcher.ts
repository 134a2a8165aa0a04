export interface MicroBatcherOptions {
  /** Items per batch; a full batch is flushed at once. */
  maxItems?: number;
  /** How long a batch's first item waits for others; 0 flushes at the end of the event loop's turn (setImmediate). */
  maxWaitMs?: number;
  /**
   * Flushes under way at once. While that many are, items gather into the next batch, which is
   * flushed as soon as one of them finishes: under load batches grow with the flush's round
   * trip, with no timer to wait on. Unbounded by default.
   */
  maxInFlight?: number;
}

/** One batch's outcome, shared by every caller whose item it holds. */
interface Outcome {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

function newOutcome(): Outcome {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Gathers items that arrive one at a time (pixel requests) into batches, so one Pub/Sub message
 * carries many records and downstream invocations scale with batches, not requests. `add`
 * resolves when the batch holding the item has been flushed (published), so a caller can still
 * answer only after its item is durable; a failed flush rejects every caller of that batch.
 */
export class MicroBatcher<T> {
  #items: T[] = [];
  #outcome: Outcome | undefined;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #flushing = new Set<Promise<void>>();
  readonly #flush: (items: T[]) => Promise<void>;
  readonly #maxItems: number;
  readonly #maxWaitMs: number;
  readonly #maxInFlight: number;

  constructor(flush: (items: T[]) => Promise<void>, options: MicroBatcherOptions = {}) {
    this.#flush = flush;
    this.#maxItems = options.maxItems ?? 500;
    this.#maxWaitMs = options.maxWaitMs ?? 10;
    this.#maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
  }

  add(item: T): Promise<void> {
    this.#items.push(item);
    const outcome = (this.#outcome ??= newOutcome());
    // A full batch goes at once, even past `maxInFlight`: batches stay within their bound.
    if (this.#items.length >= this.#maxItems) void this.#flushGathered();
    else this.#schedule();
    return outcome.promise;
  }

  /** Flushes what is gathered now and waits for every flush under way (shutdown). */
  async flushNow(): Promise<void> {
    void this.#flushGathered();
    while (this.#flushing.size) await Promise.all([...this.#flushing]);
  }

  #schedule(): void {
    if (this.#scheduled || this.#items.length === 0 || this.#flushing.size >= this.#maxInFlight) return;
    this.#scheduled = true;
    // A zero window flushes once the requests read in this turn of the event loop are gathered.
    if (this.#maxWaitMs === 0) setImmediate(() => void this.#flushGathered());
    else this.#timer = setTimeout(() => void this.#flushGathered(), this.#maxWaitMs);
  }

  #flushGathered(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduled = false;
    const outcome = this.#outcome;
    if (this.#items.length === 0 || !outcome) return Promise.resolve();
    const items = this.#items;
    this.#items = [];
    this.#outcome = undefined;
    let flushed: Promise<void>;
    try {
      flushed = this.#flush(items);
    } catch (err) {
      flushed = Promise.reject(err);
    }
    const flushing = flushed.then(outcome.resolve, outcome.reject);
    this.#flushing.add(flushing);
    return flushing.finally(() => {
      this.#flushing.delete(flushing);
      // Items held back by maxInFlight have waited a whole round trip already: they go now.
      if (!this.#scheduled && this.#items.length && this.#flushing.size < this.#maxInFlight) void this.#flushGathered();
    });
  }
}
