import type { CloudEvent } from '@google-cloud/functions-framework';
import type { PubsubCloudEvent, PubsubHandler } from './pubsub-event.ts';

/**
 * Serves a Pub/Sub handler under functions-framework's `cloudEvent()`. A throw becomes a non-2xx
 * answer to the push subscription, which redelivers with backoff and dead-letters at the limit.
 */
export function toFrameworkCloudEvent(build: () => Promise<PubsubHandler>): (event: CloudEvent<unknown>) => Promise<void> {
  let handler: Promise<PubsubHandler> | undefined;
  return async (event) => {
    handler ??= build().catch((err: unknown) => {
      handler = undefined;
      throw err;
    });
    await (await handler)(event as unknown as PubsubCloudEvent);
  };
}
