import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';

/**
 * The embedded store is out of service (a commit failed: disk full, I/O error) or closed. Callers
 * answer 503 or retry the message later; the fault is the machine's, never the message's.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A message waiting for one subscription, as the journal keeps it until it is acknowledged. */
export interface JournaledDelivery {
  subscription: string;
  topic: string;
  messageId: string;
  data: Buffer;
  publishTime: Date;
}

/** A state document as kept on disk: its JSON text and its expiry (epoch ms). */
export interface JournaledDocument {
  collection: string;
  id: string;
  json: string;
  expiresAt?: number;
}

type QueueKey = [string, number, number];
type StateKey = [string, string];

interface QueueValue {
  topic: string;
  data: Buffer;
  publishTime: number;
}

interface StateValue {
  json: string;
  expiresAt?: number;
}

/** Fault injection for tests: while `failing()` answers true, every commit counts as failed. */
export interface StoreFaults {
  failing(): boolean;
}

/** The state store's view of the journal (so the in-memory store does not depend on LMDB). */
export interface StateJournal {
  /** Resolves when writes can be made durable now (trying to recover first); else throws StoreUnavailableError. */
  ensureWritable(): Promise<void>;
  writeDocument(collection: string, id: string, json: string | undefined, expiresAt?: number): void;
  flushed(): Promise<void>;
  documents(): Iterable<JournaledDocument>;
  /** The document as the last commit left it on disk (after a failed write, the truth). */
  readDocument(collection: string, id: string): JournaledDocument | undefined;
}

const probeIntervalMs = 1000;

/**
 * lmdb-js opens each event turn's batch with a commit promise of its own that nothing awaits; a
 * failed commit (disk full) rejects it unhandled, which would end the process. Every write the
 * store makes is tracked and reports the failure itself, so exactly those rejections are let go;
 * any other unhandled rejection still ends the process as Node does by default.
 */
let ignoringLmdbBatchRejections = false;
function ignoreLmdbBatchRejections(): void {
  if (ignoringLmdbBatchRejections) return;
  ignoringLmdbBatchRejections = true;
  process.on('unhandledRejection', (reason) => {
    const commitError = (reason as { commitError?: Promise<unknown> } | undefined)?.commitError;
    if (commitError && typeof commitError.catch === 'function') return void commitError.catch(() => undefined);
    throw reason;
  });
}

/**
 * What `earshot start` keeps on disk besides the warehouse: the bus's unacknowledged deliveries
 * and the state documents, in one LMDB environment. Writes are group-committed: every write of
 * one event-loop turn goes into one transaction, and `flushed()` resolves once everything written
 * so far is fsync'd, so many concurrent requests share one disk flush.
 *
 * A failed commit (disk full) puts the store out of service: `flushed()` rejects until a probe
 * write succeeds again (at most one a second). Callers that see a write fail put back what the disk
 * holds for the documents they wrote (`readDocument`), so memory never keeps a write the disk lost.
 */
export class DurableStore implements StateJournal {
  readonly #root: RootDatabase;
  readonly #queue: Database<QueueValue, QueueKey>;
  readonly #state: Database<StateValue, StateKey>;
  readonly #meta: Database<number, string>;
  readonly #faults: StoreFaults | undefined;
  /** Distinguishes this run's message ids from every earlier run's, which may still be queued. */
  readonly #run: number;
  #nextMessage = 1;
  /** Settles after every write issued so far: lmdb settles commits in order. */
  #last: Promise<void> = Promise.resolve();
  #broken: StoreUnavailableError | undefined;
  #lastProbe = 0;
  #recovering: Promise<boolean> | undefined;
  #closed = false;

  private constructor(root: RootDatabase, faults: StoreFaults | undefined) {
    this.#root = root;
    this.#faults = faults;
    this.#queue = root.openDB<QueueValue, QueueKey>({ name: 'queue' });
    this.#state = root.openDB<StateValue, StateKey>({ name: 'state' });
    this.#meta = root.openDB<number, string>({ name: 'meta' });
    this.#run = (this.#meta.get('runs') ?? 0) + 1;
    this.#meta.putSync('runs', this.#run);
  }

  /** Opens (or creates) the store in `dir`. */
  static open(dir: string, faults?: StoreFaults): DurableStore {
    mkdirSync(dir, { recursive: true });
    ignoreLmdbBatchRejections();
    // Without overlapping sync a commit resolves only once fsync'd, so a resolved write is durable.
    return new DurableStore(open({ path: dir, maxDbs: 4, overlappingSync: false }), faults);
  }

  /** A message id unique across every run of this data folder. */
  nextMessageId(): string {
    return `${this.#run}.${this.#nextMessage++}`;
  }

  /** Records deliveries; resolves once they are on disk. */
  async appendDeliveries(deliveries: readonly JournaledDelivery[]): Promise<void> {
    await this.ensureWritable();
    for (const d of deliveries) {
      this.#track(this.#queue.put(this.#queueKey(d.subscription, d.messageId), { topic: d.topic, data: d.data, publishTime: d.publishTime.getTime() }));
    }
    try {
      await this.flushed();
    } catch (err) {
      // Answered as refused, so never delivered later either (a removal that fails too leaves a
      // delivery the sender's retry duplicates: counted once by its event id).
      for (const d of deliveries) this.#track(this.#queue.remove(this.#queueKey(d.subscription, d.messageId)));
      throw err;
    }
  }

  /** Forgets an acknowledged delivery. A removal lost to a crash means one harmless redelivery. */
  removeDelivery(subscription: string, messageId: string): void {
    this.#track(this.#queue.remove(this.#queueKey(subscription, messageId)));
  }

  /** Every delivery not yet acknowledged, oldest first per subscription. */
  *pendingDeliveries(): Generator<JournaledDelivery> {
    for (const { key, value } of this.#queue.getRange({})) {
      const [subscription, run, n] = key;
      yield { subscription, topic: value.topic, messageId: `${run}.${n}`, data: Buffer.from(value.data), publishTime: new Date(value.publishTime) };
    }
  }

  writeDocument(collection: string, id: string, json: string | undefined, expiresAt?: number): void {
    const key: StateKey = [collection, id];
    if (json === undefined) this.#track(this.#state.remove(key));
    else this.#track(this.#state.put(key, expiresAt === undefined ? { json } : { json, expiresAt }));
  }

  *documents(): Generator<JournaledDocument> {
    for (const { key, value } of this.#state.getRange({})) {
      const [collection, id] = key;
      yield value.expiresAt === undefined ? { collection, id, json: value.json } : { collection, id, json: value.json, expiresAt: value.expiresAt };
    }
  }

  readDocument(collection: string, id: string): JournaledDocument | undefined {
    this.#root.resetReadTxn();
    const value = this.#state.get([collection, id]);
    if (!value) return undefined;
    return value.expiresAt === undefined ? { collection, id, json: value.json } : { collection, id, json: value.json, expiresAt: value.expiresAt };
  }

  /** Resolves once every write issued so far is committed and fsync'd; rejects if a commit failed. */
  async flushed(): Promise<void> {
    await this.#last;
    if (this.#closed) throw new StoreUnavailableError('the local store is closed');
    if (this.#broken) throw this.#broken;
  }

  async ensureWritable(): Promise<void> {
    if (this.#closed) throw new StoreUnavailableError('the local store is closed');
    if (!this.#broken) return;
    if (!(await (this.#recovering ??= this.#probe().finally(() => (this.#recovering = undefined))))) throw this.#broken;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flushed().catch(() => undefined);
    this.#closed = true;
    await this.#root.close();
  }

  // At most one probe a second: a full disk is not hammered by every request. A probe may fit in
  // free pages while larger writes still fail; then those fail again and put back what they wrote.
  async #probe(): Promise<boolean> {
    if (Date.now() - this.#lastProbe < probeIntervalMs) return false;
    this.#lastProbe = Date.now();
    try {
      await this.#meta.put('probe', this.#lastProbe);
    } catch (err) {
      this.#unavailable(err);
      return false;
    }
    if (this.#faults?.failing() || this.#closed) return false;
    this.#broken = undefined;
    return true;
  }

  #track(write: Promise<boolean>): void {
    const failing = this.#faults?.failing() ?? false;
    this.#last = write.then(
      () => {
        if (failing) this.#broken ??= new StoreUnavailableError('the local store could not write: injected fault');
      },
      (err: unknown) => {
        this.#broken ??= this.#unavailable(err);
      },
    );
  }

  #queueKey(subscription: string, messageId: string): QueueKey {
    const dot = messageId.indexOf('.');
    return [subscription, Number(messageId.slice(0, dot)), Number(messageId.slice(dot + 1))];
  }

  #unavailable(err: unknown): StoreUnavailableError {
    // lmdb attaches the cause as a second promise that rejects on its own; left alone it would be
    // an unhandled rejection and end the process.
    void (err as { commitError?: Promise<unknown> }).commitError?.catch(() => undefined);
    return new StoreUnavailableError(`the local store could not write: ${(err as Error).message}`, { cause: err });
  }
}
