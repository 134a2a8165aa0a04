import type { Request, Response } from '@google-cloud/functions-framework';
import { describeFailure } from '../logging/describe-failure.ts';
import type { Logger } from '../logging/logger.ts';
import type { PubsubHandler } from './pubsub-event.ts';
import { toPubsubEvent } from './push-request.ts';

/**
 * Serves a Pub/Sub handler to its push subscription under functions-framework's `http()`. Not
 * `cloudEvent()`: there a throw reaches the framework, which prints the stack to stderr as many
 * lines of text; here a failure is logged as one Cloud Logging entry (severity ERROR, the stack
 * in the message) and answered 500, and Pub/Sub redelivers with backoff and dead-letters at the
 * limit. 204 acknowledges.
 */
export function toFrameworkPubsub(name: string, handler: PubsubHandler, log: Logger): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const raw = req.rawBody ?? Buffer.alloc(0);
    let body: unknown = req.body;
    if (!body || Buffer.isBuffer(body) || typeof body === 'string') {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const event = toPubsubEvent(body, raw, req.originalUrl ?? req.url);
    try {
      await handler(event);
      res.status(204).end();
    } catch (err) {
      log.error(describeFailure(`${name} failed on message ${event.id}`, err), { message_id: event.id });
      res.status(500).json({ error: 'temporarily unavailable', details: [{ path: '/', message: 'retry later' }] });
    }
  };
}
