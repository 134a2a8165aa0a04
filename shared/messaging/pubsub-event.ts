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

/** Wraps message bytes the way Eventarc / the push-to-CloudEvent conversion does. */
export function toMessagePublishedEvent(
  project: string,
  topic: string,
  subscription: string,
  messageId: string,
  bytes: Buffer,
  publishTime: Date,
): PubsubCloudEvent {
  return {
    specversion: '1.0',
    id: messageId,
    source: `//pubsub.googleapis.com/projects/${project}/topics/${topic}`,
    type: messagePublishedType,
    time: publishTime.toISOString(),
    data: {
      message: { data: bytes.toString('base64'), messageId, publishTime: publishTime.toISOString() },
      subscription: `projects/${project}/subscriptions/${subscription}`,
    },
  };
}
