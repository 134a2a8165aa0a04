import { v1, type PubSub } from '@google-cloud/pubsub';
import { tryDecodeWireMessage, type WireMessage } from '../../shared/platform/messaging/message-encoding.ts';
import { toMessagePublishedEvent, type PubsubCloudEvent } from '../../shared/platform/messaging/pubsub-event.ts';
import type { Topic } from '../../shared/contracts/ports.ts';
import { uniqueName } from './emulators.ts';

const alreadyExists = 6; // gRPC ALREADY_EXISTS

/** A message as pulled from the emulator, with what a push subscription would carry. */
export interface PulledMessage {
  topic: Topic;
  subscription: string;
  messageId: string;
  publishTime: Date;
  /** The JSON the message carries (inflated when it travelled compressed). */
  data: Buffer;
  /** The message as published: its bytes and attributes. */
  wire: WireMessage;
}

function toJsonBytes(wire: WireMessage): Buffer {
  const decoded = tryDecodeWireMessage(wire.data, wire.attributes);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.bytes;
}

/** A pull subscription on a topic of the bus, created fresh so it sees only what follows. */
export class PullSubscription {
  readonly #client: v1.SubscriberClient;
  readonly #path: string;

  private constructor(
    client: v1.SubscriberClient,
    path: string,
    readonly topic: Topic,
    readonly name: string,
  ) {
    this.#client = client;
    this.#path = path;
  }

  static async create(pubsub: PubSub, topic: Topic): Promise<PullSubscription> {
    try {
      await pubsub.createTopic(topic);
    } catch (err) {
      if ((err as { code?: number }).code !== alreadyExists) throw err;
    }
    const name = uniqueName(`${topic}-pull`);
    await pubsub.createSubscription(topic, name, { ackDeadlineSeconds: 60 });
    // `pubsub.options` holds the emulator's address and insecure credentials.
    const client = new v1.SubscriberClient({ ...pubsub.options, port: Number(pubsub.options.port) });
    return new PullSubscription(client, client.subscriptionPath(pubsub.projectId, name), topic, name);
  }

  /** Pulls (and acks) until nothing more is immediately available. */
  async drain(): Promise<PulledMessage[]> {
    const out: PulledMessage[] = [];
    for (;;) {
      const [response] = await this.#client.pull({ subscription: this.#path, maxMessages: 1000, returnImmediately: true });
      const received = response.receivedMessages ?? [];
      if (received.length === 0) return out;
      for (const { message } of received) {
        const seconds = Number(message?.publishTime?.seconds ?? 0);
        const nanos = message?.publishTime?.nanos ?? 0;
        const attributes = message?.attributes ?? {};
        const wire: WireMessage = { data: Buffer.from(message?.data ?? ''), ...(Object.keys(attributes).length ? { attributes } : {}) };
        out.push({
          topic: this.topic,
          subscription: this.name,
          messageId: message?.messageId ?? '',
          publishTime: new Date(seconds * 1000 + Math.floor(nanos / 1e6)),
          data: toJsonBytes(wire),
          wire,
        });
      }
      await this.#client.acknowledge({ subscription: this.#path, ackIds: received.map((r) => r.ackId ?? '') });
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

/** The CloudEvent Eventarc would hand a function for this message. */
export function toEvent(message: PulledMessage, project: string): PubsubCloudEvent {
  return toMessagePublishedEvent(project, message.topic, message.subscription, message.messageId, message.wire.data, message.publishTime, message.wire.attributes);
}
