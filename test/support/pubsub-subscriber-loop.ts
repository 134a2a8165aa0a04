import { setTimeout as sleep } from 'node:timers/promises';
import { v1, type PubSub } from '@google-cloud/pubsub';
import { toMessagePublishedEvent, type PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { Topic } from '../../shared/contracts/ports.ts';

const alreadyExists = 6; // gRPC ALREADY_EXISTS

/** A function subscribed to a topic, as Terraform wires it: one subscription per function. */
export interface SubscribedFunction {
  topic: Topic;
  subscription: string;
  handler: PubsubHandler;
}

export interface LoopStats {
  deliveries: number;
  failures: number;
}

/**
 * Delivers a project's Pub/Sub messages to functions the way a push subscription does, by pulling:
 * ack when the handler resolves, and when it throws a nack (ack deadline 0), so the emulator
 * redelivers the message. Messages of one pull are handled concurrently, as concurrent instances
 * would.
 */
export class SubscriberLoop {
  readonly stats: LoopStats = { deliveries: 0, failures: 0 };
  readonly #client: v1.SubscriberClient;
  readonly #project: string;
  readonly #functions: SubscribedFunction[];

  private constructor(client: v1.SubscriberClient, project: string, functions: SubscribedFunction[]) {
    this.#client = client;
    this.#project = project;
    this.#functions = functions;
  }

  /** Creates the topics and one subscription per function in the client's project. */
  static async create(pubsub: PubSub, functions: SubscribedFunction[]): Promise<SubscriberLoop> {
    for (const topic of new Set(functions.map((f) => f.topic))) {
      await pubsub.createTopic(topic).catch((err: { code?: number }) => {
        if (err.code !== alreadyExists) throw err;
      });
    }
    for (const f of functions) await pubsub.createSubscription(f.topic, f.subscription, { ackDeadlineSeconds: 60 });
    // `pubsub.options` holds the emulator's address and insecure credentials.
    const client = new v1.SubscriberClient({ ...pubsub.options, port: Number(pubsub.options.port) });
    return new SubscriberLoop(client, pubsub.projectId, functions);
  }

  /** Pulls once from the function's subscription and handles what came; answers how many came. */
  async #pullOnce(f: SubscribedFunction): Promise<number> {
    const subscription = this.#client.subscriptionPath(this.#project, f.subscription);
    const [response] = await this.#client.pull({ subscription, maxMessages: 20, returnImmediately: true });
    const received = response.receivedMessages ?? [];
    const outcomes = await Promise.all(
      received.map(async ({ ackId, message }) => {
        const publishTime = new Date(Number(message?.publishTime?.seconds ?? 0) * 1000);
        const event = toMessagePublishedEvent(this.#project, f.topic, f.subscription, message?.messageId ?? '', Buffer.from(message?.data ?? ''), publishTime, { ...message?.attributes });
        this.stats.deliveries++;
        try {
          await f.handler(event);
          return { ackId: ackId ?? '', ok: true };
        } catch {
          this.stats.failures++;
          return { ackId: ackId ?? '', ok: false };
        }
      }),
    );
    const acks = outcomes.filter((o) => o.ok).map((o) => o.ackId);
    const nacks = outcomes.filter((o) => !o.ok).map((o) => o.ackId);
    if (acks.length) await this.#client.acknowledge({ subscription, ackIds: acks });
    if (nacks.length) await this.#client.modifyAckDeadline({ subscription, ackIds: nacks, ackDeadlineSeconds: 0 });
    return received.length;
  }

  /**
   * Delivers until every subscription has been empty for several rounds in a row: a handler
   * publishes before it acks, so once nothing is in flight and nothing comes, all work is done.
   */
  async runUntilIdle(quietRounds = 3): Promise<LoopStats> {
    for (let quiet = 0; quiet < quietRounds; ) {
      const counts = await Promise.all(this.#functions.map((f) => this.#pullOnce(f)));
      if (counts.some((n) => n > 0)) quiet = 0;
      else {
        quiet++;
        await sleep(150);
      }
    }
    return this.stats;
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
