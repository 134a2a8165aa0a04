import type { EventBus, Topic } from '../../ports.ts';
import { toMessagePublishedEvent, type PubsubHandler } from '../../messaging/pubsub-event.ts';

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
  attempts: number;
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
  readonly #options: Required<Omit<InProcessBusOptions, 'chaos'>> & Pick<InProcessBusOptions, 'chaos'>;
  readonly #idle: Array<() => void> = [];
  #nextId = 1;

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
    for (const data of messages) {
      const messageId = String(this.#nextId++);
      for (const sub of this.#subscriptions) {
        if (sub.topic !== topic) continue;
        sub.queue.push({ messageId, data, publishTime, attempts: 0 });
        this.#pump(sub);
      }
    }
  }

  /** Resolves once no message is queued, in flight or waiting for redelivery. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle(): boolean {
    return this.#subscriptions.every((s) => s.queue.length === 0 && s.inFlight === 0 && s.waiting === 0);
  }

  #pump(sub: Subscription): void {
    while (sub.inFlight < this.#options.concurrency && sub.queue.length > 0) {
      const delivery = sub.queue.shift() as Delivery;
      sub.inFlight++;
      void this.#deliver(sub, delivery).finally(() => {
        sub.inFlight--;
        this.#pump(sub);
        this.#notifyIfIdle();
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
      delivery.attempts++;
      await sub.handler(event);
      if (fault === 'lose-ack') throw new InjectedFault('chaos: acknowledgement lost');
      if (fault === 'duplicate') sub.queue.push({ ...delivery });
      return;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const injected = err instanceof InjectedFault;
      if (!injected && delivery.attempts >= this.#options.maxAttempts && (await this.#tryDeadLetter(sub, delivery, reason))) return;
      sub.waiting++;
      // Not unref'd: a pending redelivery is work, and draining at shutdown must wait for it.
      setTimeout(() => {
        sub.waiting--;
        sub.queue.push(delivery);
        this.#pump(sub);
      }, this.#options.backoffMs(Math.max(1, delivery.attempts)));
    }
  }

  // A message whose dead-letter write fails stays on the bus: nothing is dropped.
  async #tryDeadLetter(sub: Subscription, delivery: Delivery, reason: string): Promise<boolean> {
    try {
      const { messageId, data, attempts } = delivery;
      await this.#options.onUndeliverable({ subscription: sub.name, messageId, data, attempts, reason });
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
