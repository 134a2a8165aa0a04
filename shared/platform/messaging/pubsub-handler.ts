import { isUtf8 } from 'node:buffer';
import type { Logger } from '../logging/logger.ts';
import type { DeadLetterRow } from '../../contracts/schemas/rows.ts';
import type { Validator } from '../../contracts/schemas/validator.ts';
import type { Clock } from '../../contracts/ports.ts';
import { toDeadLetterRow } from './dead-letter.ts';
import { tryDecodeWireMessage } from './message-encoding.ts';
import { computeMessageBytes, hasMessageData, messagePublishedType, type PubsubHandler } from './pubsub-event.ts';

export interface MessageContext {
  messageId: string;
}

export interface PubsubHandlerOptions<T> {
  /** The function's name, recorded as the source of its dead letters. */
  source: string;
  /** The message schema's validator, declared where the function's module loads (`validatorFor`). */
  validate: Validator<T>;
  clock: Clock;
  log: Logger;
  /** Processes a valid message; throwing means a transient fault and the message is retried. */
  process: (payload: NoInfer<T>, context: MessageContext) => Promise<void>;
  /** Durably records a poison message; the message is then acknowledged, never retried. */
  deadLetter: (row: DeadLetterRow) => Promise<void>;
}

/**
 * Decodes and validates a Pub/Sub CloudEvent. A message that can never succeed (not JSON, not
 * the schema) goes to the dead-letter path with its reason instead of being retried forever.
 */
export function createPubsubHandler<T>(options: PubsubHandlerOptions<T>): PubsubHandler {
  const { validate } = options;
  return async (event) => {
    const message = event.data?.message;
    // A message always has an id; the event's (the same one for a push) stands in for a malformed one.
    const messageId = message?.messageId || event.id;
    const delivered = computeMessageBytes(message);
    const decoded = tryDecodeWireMessage(delivered, message?.attributes);
    const bytes = decoded.ok ? decoded.bytes : delivered;
    const text = bytes.toString('utf8');
    const poison = async (reason: string) => {
      options.log.warn('dead-lettered message', { source: options.source, message_id: messageId, reason });
      // Bytes that are not UTF-8 (or not readable gzip) are kept as base64, so the original can always be recovered.
      const payload = decoded.ok && isUtf8(bytes) ? text : `base64:${bytes.toString('base64')}`;
      await options.deadLetter(toDeadLetterRow(options.source, messageId, reason, payload, options.clock.now()));
    };
    if (event.type !== messagePublishedType) return poison(`not a Pub/Sub messagePublished event (type ${event.type})`);
    // Pub/Sub delivers messages with attributes only; none of ours is one, so it can never succeed.
    if (!hasMessageData(message)) return poison('message has no data');
    if (!decoded.ok) return poison(decoded.reason);
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (err) {
      return poison(`message is not JSON: ${(err as Error).message}`);
    }
    const checked = validate(payload);
    if (!checked.ok) {
      return poison('message does not match its schema: ' + checked.errors.map((e) => `${e.path} ${e.message}`).join('; '));
    }
    await options.process(checked.value, { messageId });
  };
}
