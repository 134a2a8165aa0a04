import type { WireMessage } from '../../platform/messaging/message-encoding.ts';

/** One way of sending publish requests to Pub/Sub. */
export interface PublishTransport {
  /**
   * Publishes `messages` (one request's worth) to `topic`, a full topic name
   * (`projects/P/topics/T`); resolves only once Pub/Sub holds them all. Transient failures are
   * retried; a refusal is a `GoogleApiError`.
   */
  send(topic: string, messages: readonly WireMessage[]): Promise<void>;
  /** Lets go of connections once the calls on them are answered; a later `send` opens others. */
  close(): void;
}
