import type { EventBus, Topic } from '../../contracts/ports.ts';
import { toMessagePublishedEvent, type PubsubHandler } from '../../platform/messaging/pubsub-event.ts';
import { StoreUnavailableError, type JournaledDelivery } from './durable-store.ts';

/** Where a durable bus keeps deliveries until they are acknowledged (the `DurableStore`). */
export interface BusJournal {
  nextMessageId(): string;
  /** Resolves once the deliveries are on disk; throws StoreUnavailableError when they cannot be. */
  appendDeliveries(deliveries: readonly JournaledDelivery[]): Promise<void>;
  removeDelivery(subscription: string, messageId: string): void;
  pendingDeliveries(): Iterable<JournaledDelivery>;
}

/** A message that exhausted its attempts, handed to the dead-letter path with the last error. */
export interface UndeliverableMessage {
  subscription: string;
  messageId: string;
  data: Buffer;
  attempts: number;
  reason: string;
}

export interface InProcessBusOptions {
  project?: string;
  /** Deliveries before a message is dead-lettered (Pub/Sub's max_delivery_attempts). */
  maxAttempts?: number;
  /** Delay before redelivery after the n-th failed attempt. */
  backoffMs?: (attempt: number) => number;
  /** Concurrent deliveries per subscription. */
  concurrency?: number;
  onUndeliverable: (message: UndeliverableMessage) => Promise<void>;
  /** With a journal, `publish` resolves only once the message is on disk, and `resume` redelivers what a crash left. */
  journal?: BusJournal;
  /**
   * Fault injection for reliability tests (`earshot start --chaos RATE`): at `rate`, a delivery
   * fails before the handler runs, or is redelivered after the handler succeeded (a lost ack), or
   * is delivered twice. Injected faults never count towards `maxAttempts`: they stand for the
   * infrastructure, not for the message.
   */
  chaos?: { rate: number; random: () => number };
}

interface Delivery {
  messageId: string;
  data: Buffer;
  publishTime: Date;
  /** Failures that were the message's (a handler's own error), towards the dead-letter limit. */
  attempts: number;
  /** Every failed delivery, machine faults included, for the backoff. */
  tries: number;
}

class InjectedFault extends Error {}

class Subscription {
  readonly queue: Delivery[] = [];
  inFlight = 0;
  waiting = 0;
  constructor(
    readonly name: string,
    readonly topic: Topic,
    readonly handler: PubsubHandler,
  ) {}
}

/**
 * Pub/Sub semantics in one process: at-least-once delivery to every subscription of a topic,
 * ack when the handler resolves, redelivery with exponential backoff when it throws, and the
 * dead-letter path after `maxAttempts`.
 */
export class InProcessBus implements EventBus {
  readonly #subscriptions: Subscription[] = [];
  readonly #options: Required<Omit<InProcessBusOptions, 'chaos' | 'journal'>> & Pick<InProcessBusOptions, 'chaos' | 'journal'>;
  readonly #idle: Array<() => void> = [];
  readonly #redeliveries = new Set<NodeJS.Timeout>();
  #nextId = 1;
  #paused: (() => void) | undefined;

  constructor(options: InProcessBusOptions) {
    this.#options = {
      project: 'local',
      maxAttempts: 5,
      backoffMs: (attempt) => Math.min(10_000, 50 * 2 ** (attempt - 1)),
      concurrency: 4,
      ...options,
    };
  }

  /** Attaches a push-style subscriber; every message published afterwards reaches it. */
  subscribe(topic: Topic, subscription: string, handler: PubsubHandler): void {
    this.#subscriptions.push(new Subscription(subscription, topic, handler));
  }

  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    const publishTime = new Date();
    const journal = this.#options.journal;
    const deliveries: Array<{ sub: Subscription; delivery: Delivery }> = [];
    for (const data of messages) {
      const messageId = journal ? journal.nextMessageId() : String(this.#nextId++);
      for (const sub of this.#subscriptions) {
        if (sub.topic === topic) deliveries.push({ sub, delivery: { messageId, data, publishTime, attempts: 0, tries: 0 } });
      }
    }
    if (journal) {
      await journal.appendDeliveries(deliveries.map(({ sub, delivery: d }) => ({ subscription: sub.name, topic, messageId: d.messageId, data: d.data, publishTime })));
    }
    for (const { sub, delivery } of deliveries) {
      sub.queue.push(delivery);
      this.#pump(sub);
    }
  }

  /**
   * Queues again every delivery the journal holds (those not acknowledged before a crash or a
   * stop), for the subscriptions attached so far; call it once, after subscribing.
   */
  resume(): number {
    const journal = this.#options.journal;
    if (!journal) return 0;
    const byName = new Map(this.#subscriptions.map((s) => [s.name, s]));
    let resumed = 0;
    for (const d of journal.pendingDeliveries()) {
      const sub = byName.get(d.subscription);
      if (!sub) continue;
      sub.queue.push({ messageId: d.messageId, data: d.data, publishTime: d.publishTime, attempts: 0, tries: 0 });
      resumed++;
    }
    for (const sub of this.#subscriptions) this.#pump(sub);
    return resumed;
  }

  /** Resolves once no message is queued, in flight or waiting for redelivery. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Stops delivering (for shutdown) and resolves once no delivery is in flight; with a journal,
   * what is still queued is delivered by the next run.
   */
  pause(): Promise<void> {
    for (const timer of this.#redeliveries) clearTimeout(timer);
    this.#redeliveries.clear();
    for (const sub of this.#subscriptions) sub.waiting = 0;
    return new Promise((resolve) => {
      this.#paused = resolve;
      this.#notifyIfQuiet();
    });
  }

  #notifyIfQuiet(): void {
    if (this.#paused && this.#subscriptions.every((s) => s.inFlight === 0)) this.#paused();
  }

  #isIdle(): boolean {
    return this.#subscriptions.every((s) => s.queue.length === 0 && s.inFlight === 0 && s.waiting === 0);
  }

  #pump(sub: Subscription): void {
    while (!this.#paused && sub.inFlight < this.#options.concurrency && sub.queue.length > 0) {
      const delivery = sub.queue.shift() as Delivery;
      sub.inFlight++;
      void this.#deliver(sub, delivery).finally(() => {
        sub.inFlight--;
        this.#pump(sub);
        this.#notifyIfIdle();
        this.#notifyIfQuiet();
      });
    }
  }

  #chaos(): 'fail' | 'lose-ack' | 'duplicate' | undefined {
    const chaos = this.#options.chaos;
    if (!chaos || chaos.random() >= chaos.rate) return undefined;
    const roll = chaos.random();
    return roll < 1 / 3 ? 'fail' : roll < 2 / 3 ? 'lose-ack' : 'duplicate';
  }

  async #deliver(sub: Subscription, delivery: Delivery): Promise<void> {
    const { project } = this.#options;
    const event = toMessagePublishedEvent(project, sub.topic, sub.name, delivery.messageId, delivery.data, delivery.publishTime);
    const fault = this.#chaos();
    try {
      if (fault === 'fail') throw new InjectedFault('chaos: delivery failed');
      await sub.handler(event);
      if (fault === 'lose-ack') throw new InjectedFault('chaos: acknowledgement lost');
      if (fault === 'duplicate') sub.queue.push({ ...delivery });
      else this.#options.journal?.removeDelivery(sub.name, delivery.messageId);
      return;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // Faults of the machine (injected, or the local store out of service) are not the message's.
      const injected = err instanceof InjectedFault || err instanceof StoreUnavailableError;
      if (!injected) delivery.attempts++;
      delivery.tries++;
      if (!injected && delivery.attempts >= this.#options.maxAttempts && (await this.#tryDeadLetter(sub, delivery, reason))) return;
      // Shutting down: a durable bus keeps the message for the next run; nothing may be armed now.
      if (this.#paused) return;
      sub.waiting++;
      // Not unref'd: a pending redelivery is work, and draining at shutdown must wait for it.
      const timer = setTimeout(() => {
        this.#redeliveries.delete(timer);
        sub.waiting--;
        sub.queue.push(delivery);
        this.#pump(sub);
      }, this.#options.backoffMs(Math.max(1, delivery.tries)));
      this.#redeliveries.add(timer);
    }
  }

  // A message whose dead-letter write fails stays on the bus: nothing is dropped.
  async #tryDeadLetter(sub: Subscription, delivery: Delivery, reason: string): Promise<boolean> {
    try {
      const { messageId, data, attempts } = delivery;
      await this.#options.onUndeliverable({ subscription: sub.name, messageId, data, attempts, reason });
      this.#options.journal?.removeDelivery(sub.name, messageId);
      return true;
    } catch {
      return false;
    }
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
