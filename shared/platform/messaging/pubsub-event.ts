/** `data` of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent (Cloud Functions gen2). */
export interface MessagePublishedData {
  message: {
    /** Base64 of the message bytes. */
    data?: string;
    attributes?: Record<string, string>;
    messageId: string;
    publishTime: string;
  };
  subscription?: string;
}

/** The CloudEvent a Pub/Sub-triggered function receives, as functions-framework passes it. */
export interface PubsubCloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time?: string;
  data?: MessagePublishedData;
}

export type PubsubHandler = (event: PubsubCloudEvent) => Promise<void>;

export const messagePublishedType = 'google.cloud.pubsub.topic.v1.messagePublished';

/** Where an in-process delivery keeps the message's bytes beside their base64. */
const bytesKey = Symbol('message bytes');

interface WithBytes {
  [bytesKey]?: Buffer;
}

/** The bytes of a delivered message; an in-process delivery hands over its own, without base64. */
export function computeMessageBytes(message: MessagePublishedData['message'] | undefined): Buffer {
  return (message as WithBytes | undefined)?.[bytesKey] ?? Buffer.from(message?.data ?? '', 'base64');
}

/** Whether a delivered message carries data (in-process deliveries always do). */
export function hasMessageData(message: MessagePublishedData['message'] | undefined): boolean {
  return (message as WithBytes | undefined)?.[bytesKey] !== undefined || typeof message?.data === 'string';
}

/**
 * Wraps message bytes the way Eventarc / the push-to-CloudEvent conversion does. `data` is the
 * base64 Pub/Sub sends, computed when read: the in-process bus's handlers take the bytes as they
 * are (`computeMessageBytes`), which spares a base64 round trip of every message.
 */
export function toMessagePublishedEvent(
  project: string,
  topic: string,
  subscription: string,
  messageId: string,
  bytes: Buffer,
  publishTime: Date,
  attributes?: Record<string, string>,
): PubsubCloudEvent {
  return {
    specversion: '1.0',
    id: messageId,
    source: `//pubsub.googleapis.com/projects/${project}/topics/${topic}`,
    type: messagePublishedType,
    time: publishTime.toISOString(),
    data: {
      message: withLazyBase64(bytes, messageId, publishTime.toISOString(), attributes),
      subscription: `projects/${project}/subscriptions/${subscription}`,
    },
  };
}

function withLazyBase64(bytes: Buffer, messageId: string, publishTime: string, attributes?: Record<string, string>): MessagePublishedData['message'] {
  const message = { messageId, publishTime, ...(attributes ? { attributes } : {}) } as MessagePublishedData['message'] & WithBytes;
  let base64: string | undefined;
  Object.defineProperty(message, 'data', { enumerable: true, get: () => (base64 ??= bytes.toString('base64')) });
  Object.defineProperty(message, bytesKey, { value: bytes });
  return message;
}
