import { SeededRandom } from '../../cli/simulate/random.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { EventBus, StateStore, Warehouse } from '../../shared/contracts/ports.ts';

/** A crash the test injected, as a process dying mid-way would leave things. */
export class InjectedCrash extends Error {}

/** Where a function run crashed: how many times at each point. */
export type CrashCounts = Record<'beforeWrite' | 'partialWrite' | 'afterWrite' | 'beforeAck', number>;

/**
 * Crashes at a rate around each write a handler makes: before it, after part of it (the first
 * half of a publish or an insert), after it (the write is durable but the run dies), and after the
 * handler finished but before the ack. Seeded, so a failing run can be replayed.
 */
export class CrashPlan {
  readonly counts: CrashCounts = { beforeWrite: 0, partialWrite: 0, afterWrite: 0, beforeAck: 0 };
  readonly #random: SeededRandom;

  constructor(
    readonly rate: number,
    seed: number,
  ) {
    this.#random = new SeededRandom(seed);
  }

  #maybeCrash(point: keyof CrashCounts): void {
    if (this.rate === 0 || !this.#random.chance(this.rate)) return;
    this.counts[point]++;
    throw new InjectedCrash(`injected crash: ${point}`);
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Writes `items` whole, or (at the rate) only their first half before crashing. */
  async #partly<T, R>(items: readonly T[], write: (items: readonly T[]) => Promise<R>): Promise<R> {
    this.#maybeCrash('beforeWrite');
    if (items.length > 1 && this.rate > 0 && this.#random.chance(this.rate)) {
      this.counts.partialWrite++;
      await write(items.slice(0, items.length >> 1));
      throw new InjectedCrash('injected crash: partialWrite');
    }
    const result = await write(items);
    this.#maybeCrash('afterWrite');
    return result;
  }

  bus(inner: EventBus): EventBus {
    return { publish: (topic, messages) => this.#partly(messages, (some) => inner.publish(topic, some)) };
  }

  warehouse(inner: Warehouse): Warehouse {
    return { insert: (table, rows) => this.#partly(rows, (some) => inner.insert(table, some)) };
  }

  state(inner: StateStore): StateStore {
    return {
      getMany: (collection, ids) => inner.getMany(collection, ids),
      createIfAbsent: async (collection, id, doc, expiresAt) => {
        this.#maybeCrash('beforeWrite');
        const created = await inner.createIfAbsent(collection, id, doc, expiresAt);
        this.#maybeCrash('afterWrite');
        return created;
      },
      transact: async (collection, ids, decide) => {
        this.#maybeCrash('beforeWrite');
        const result = await inner.transact(collection, ids, decide);
        this.#maybeCrash('afterWrite');
        return result;
      },
    };
  }

  /** The handler, dying at the rate after it finished and before its message is acknowledged. */
  handler(inner: PubsubHandler): PubsubHandler {
    return async (event) => {
      await inner(event);
      this.#maybeCrash('beforeAck');
    };
  }
}
