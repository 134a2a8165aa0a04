import { PubSub, type Topic as PubSubTopic } from '@google-cloud/pubsub';
import type { EventBus, Topic } from '../../ports.ts';

/**
 * Publishes through the Pub/Sub client's batching (many messages per request); `publish`
 * resolves only when the server has acknowledged every message, so a 2xx follows durability.
 */
export class PubSubBus implements EventBus {
  readonly #client: PubSub;
  readonly #topics = new Map<Topic, PubSubTopic>();

  constructor(client: PubSub = new PubSub()) {
    this.#client = client;
  }

  #topic(name: Topic): PubSubTopic {
    let topic = this.#topics.get(name);
    if (!topic) {
      topic = this.#client.topic(name, { batching: { maxMessages: 500, maxMilliseconds: 5, maxBytes: 9 * 1024 * 1024 } });
      this.#topics.set(name, topic);
    }
    return topic;
  }

  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    const target = this.#topic(topic);
    await Promise.all(messages.map((data) => target.publishMessage({ data })));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#topics.values()].map((t) => t.flush()));
    await this.#client.close();
  }
}

/** A bus on the project's Pub/Sub (the default project of the environment when none is given). */
export function createPubSubBus(projectId?: string): PubSubBus {
  return new PubSubBus(new PubSub(projectId ? { projectId } : {}));
}
