import { randomUUID } from 'node:crypto';

/**
 * The id of a pixel or redirect request that names neither its id nor its time: one event per
 * request. Its time is then the arrival time, so its content repeats only within a millisecond,
 * where a content id would merge two listeners behind one address and app. A client that sends
 * `ts` gets a content id instead, so its retries dedupe.
 */
export function createRequestEventId(): string {
  return `r_${randomUUID()}`;
}
