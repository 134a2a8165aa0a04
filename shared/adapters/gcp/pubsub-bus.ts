import { computeWireMessage } from '../../platform/messaging/message-encoding.ts';
import type { EventBus, Topic } from '../../contracts/ports.ts';
import { applicationDefaultProject, applicationDefaultToken } from './access-token.ts';
import { GoogleApi, toEmulatorUrl } from './google-api.ts';

/** Pub/Sub takes at most 1,000 messages and 10 MB per publish request; base64 counts. */
const maxMessagesPerRequest = 1000;
const maxRequestBytes = 9 * 1024 * 1024;

interface PublishMessage {
  data: string;
  attributes?: Record<string, string>;
}

/** Splits messages into publish requests within Pub/Sub's limits, in order. */
export function computePublishRequests(messages: readonly PublishMessage[]): PublishMessage[][] {
  const requests: PublishMessage[][] = [];
  let current: PublishMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.data.length + 64;
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
 * Publishes through Pub/Sub's REST API (`topics.publish`), each message gzipped when that pays
 * (`shared/platform/messaging/message-encoding.ts`: Pub/Sub bills bytes). `publish` resolves only when
 * Pub/Sub has accepted every message, so a 2xx follows durability. A request retried after a
 * lost answer may publish twice: consumers are idempotent.
 */
export class PubSubBus implements EventBus {
  readonly #api: GoogleApi;
  readonly #project: () => Promise<string>;

  constructor(api: GoogleApi, project: string | (() => Promise<string>)) {
    this.#api = api;
    this.#project = typeof project === 'string' ? () => Promise.resolve(project) : project;
  }

  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    if (messages.length === 0) return;
    const path = `/v1/projects/${await this.#project()}/topics/${topic}:publish`;
    const encoded = messages.map((json): PublishMessage => {
      const wire = computeWireMessage(json);
      return { data: wire.data.toString('base64'), ...(wire.attributes ? { attributes: wire.attributes } : {}) };
    });
    await Promise.all(computePublishRequests(encoded).map((batch) => this.#api.post(path, { messages: batch })));
  }

  /** Nothing to flush: every publish has been answered before it resolved. */
  async close(): Promise<void> {}
}

/** A bus on the project's Pub/Sub, or on the emulator `PUBSUB_EMULATOR_HOST` names. */
export function createPubSubBus(projectId?: string, emulatorHost = process.env.PUBSUB_EMULATOR_HOST): PubSubBus {
  const api = emulatorHost
    ? new GoogleApi({ baseUrl: toEmulatorUrl(emulatorHost), token: async () => undefined })
    : new GoogleApi({ baseUrl: 'https://pubsub.googleapis.com', token: applicationDefaultToken('https://www.googleapis.com/auth/pubsub') });
  let project: Promise<string> | undefined;
  return new PubSubBus(api, projectId ?? (() => (project ??= applicationDefaultProject())));
}
