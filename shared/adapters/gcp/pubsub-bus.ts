import type { EventBus, Topic } from '../../contracts/ports.ts';
import { computeWireMessage, type WireMessage } from '../../platform/messaging/message-encoding.ts';
import { applicationDefaultProject, applicationDefaultToken } from './access-token.ts';
import { GoogleApi, toEmulatorUrl } from './google-api.ts';
import { createRestTransport } from './pubsub-rest-transport.ts';
import type { PublishTransport } from './pubsub-transport.ts';

/** Pub/Sub takes at most 1,000 messages and 10 MB per publish request; over REST, base64 counts. */
const maxMessagesPerRequest = 1000;
const maxRequestBytes = 9 * 1024 * 1024;
/** A message's size in a REST request: its base64 and, counted generously, its framing and attributes. */
const requestSize = (data: Buffer) => Math.ceil(data.length / 3) * 4 + 64;

/** Splits messages into publish requests within Pub/Sub's limits, in order. */
export function computePublishRequests<M extends { data: Buffer }>(messages: readonly M[]): M[][] {
  const requests: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = requestSize(message.data);
    if (current.length > 0 && (current.length === maxMessagesPerRequest || bytes + size > maxRequestBytes)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) requests.push(current);
  return requests;
}

/**
 * Publishes to Pub/Sub, each message gzipped when that pays (`shared/platform/messaging/message-encoding.ts`:
 * Pub/Sub bills bytes). An instance's first publishes go over REST, on the node:http that
 * functions-framework has loaded; after the first, gRPC's transport is loaded off the request's
 * path and takes over (`Publisher.Publish` on one HTTP/2 connection; on the emulator a publish
 * answers in a third of the time, docs/performance.md). `publish` resolves only when Pub/Sub has
 * accepted every message, so a 2xx follows durability. A request retried after a lost answer may
 * publish twice: consumers are idempotent.
 */
export class PubSubBus implements EventBus {
  readonly #project: () => Promise<string>;
  #current: PublishTransport;
  #later: (() => Promise<PublishTransport>) | undefined;

  /** `later`, if given, is loaded after the first publish and used from then on. */
  constructor(first: PublishTransport, project: string | (() => Promise<string>), later?: () => Promise<PublishTransport>) {
    this.#current = first;
    this.#project = typeof project === 'string' ? () => Promise.resolve(project) : project;
    this.#later = later;
  }

  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    if (messages.length === 0) return;
    const name = `projects/${await this.#project()}/topics/${topic}`;
    const transport = this.#current;
    const requests = computePublishRequests<WireMessage>(messages.map(computeWireMessage));
    await Promise.all(requests.map((request) => transport.send(name, request)));
    this.#switchLater();
  }

  #switchLater(): void {
    const later = this.#later;
    if (!later) return;
    this.#later = undefined;
    // After the answer that waited for this publish has gone out; a transport that cannot load leaves REST in place.
    setImmediate(() => {
      later().then(
        (next) => {
          const previous = this.#current;
          this.#current = next;
          previous.close();
        },
        (err: Error) => console.warn(`Pub/Sub: the gRPC transport did not load, publishing over REST: ${err.message}`),
      );
    });
  }

  async close(): Promise<void> {
    this.#current.close();
  }
}

/** A bus on the project's Pub/Sub, or on the emulator `PUBSUB_EMULATOR_HOST` names. */
export function createPubSubBus(projectId?: string, emulatorHost = process.env.PUBSUB_EMULATOR_HOST): PubSubBus {
  const token = emulatorHost ? async () => undefined : applicationDefaultToken('https://www.googleapis.com/auth/pubsub');
  const api = new GoogleApi({ baseUrl: emulatorHost ? toEmulatorUrl(emulatorHost) : 'https://pubsub.googleapis.com', token });
  const grpc = async () => (await import('./pubsub-grpc-transport.ts')).createGrpcTransport(emulatorHost ? { emulatorHost } : { token });
  let project: Promise<string> | undefined;
  return new PubSubBus(createRestTransport(api), projectId ?? (() => (project ??= applicationDefaultProject())), grpc);
}
