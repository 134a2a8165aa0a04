import { createHash } from 'node:crypto';
import { messagePublishedType, type MessagePublishedData, type PubsubCloudEvent } from './pubsub-event.ts';

/**
 * The body a Pub/Sub push subscription posts (not wrapped):
 * `{message: {data?, attributes?, messageId, publishTime}, subscription}`. Pub/Sub also sends
 * snake_case copies of the ids (`message_id`, `publish_time`).
 */
interface PushBody {
  message?: {
    data?: unknown;
    attributes?: unknown;
    messageId?: unknown;
    message_id?: unknown;
    publishTime?: unknown;
    publish_time?: unknown;
  };
  subscription?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAttributes(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * A stable id for a request that names none, so a redelivery of the same bytes dead-letters
 * under the same key instead of every such request sharing `<source>/undefined`.
 */
function digestId(raw: Buffer): string {
  return `unidentified-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

/**
 * The messagePublished event of a push request. We take the push body ourselves rather than
 * through functions-framework's conversion, which passes a message without data on unconverted
 * (no id, no type), and a request that is not a push at all becomes an event of another type,
 * which the Pub/Sub handler dead-letters with its reason.
 */
export function toPubsubEvent(body: unknown, raw: Buffer, path: string): PubsubCloudEvent {
  if (isRecord(body) && typeof body.specversion === 'string' && typeof body.type === 'string') {
    // Already a CloudEvent in structured mode (Eventarc, tests posting one).
    return { ...(body as unknown as PubsubCloudEvent), id: text(body.id) ?? digestId(raw) };
  }
  const push = (isRecord(body) ? body : {}) as PushBody;
  const message = isRecord(push.message) ? push.message : undefined;
  const messageId = text(message?.messageId) ?? text(message?.message_id);
  if (!message || !messageId) {
    return { specversion: '1.0', id: digestId(raw), source: 'unknown', type: 'not a Pub/Sub push request' };
  }
  const publishTime = text(message.publishTime) ?? text(message.publish_time) ?? '';
  const delivered: MessagePublishedData['message'] = { messageId, publishTime };
  if (typeof message.data === 'string') delivered.data = message.data;
  const attributes = stringAttributes(message.attributes);
  if (attributes) delivered.attributes = attributes;
  const topic = /projects\/[^/?]+\/topics\/[^/?]+/.exec(path)?.[0];
  const subscription = text(push.subscription);
  return {
    specversion: '1.0',
    id: messageId,
    source: topic ? `//pubsub.googleapis.com/${topic}` : '//pubsub.googleapis.com/',
    type: messagePublishedType,
    ...(publishTime ? { time: publishTime } : {}),
    data: { message: delivered, ...(subscription ? { subscription } : {}) },
  };
}
