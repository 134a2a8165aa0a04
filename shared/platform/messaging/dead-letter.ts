import type { DeadLetterRow } from '../../contracts/schemas/rows.ts';

const maxPayload = 64 * 1024;

/** A `dead_letters` row: keyed by source and message id, so a redelivered poison message is one row. */
export function toDeadLetterRow(source: string, messageId: string, reason: string, payload: string, failedAt: Date): DeadLetterRow {
  return {
    insert_id: `${source}/${messageId}`,
    failed_at: failedAt.toISOString(),
    source,
    message_id: messageId,
    reason,
    payload: payload.length > maxPayload ? payload.slice(0, maxPayload) : payload,
  };
}
