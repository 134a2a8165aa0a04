import { Type, type Static } from '@sinclair/typebox';
import { BeaconRecord } from './beacon-record.ts';
import { Id, Timestamp } from './common.ts';

/**
 * A beacon record after intake: the raw IP replaced by a keyed hash (DESIGN.md §7 privacy), the
 * platform taken from the caller's key and a deterministic event id filled in.
 */
export const EnrichedBeacon = Type.Composite(
  [
    Type.Omit(BeaconRecord, ['ip', 'event_id', 'platform']),
    Type.Object({
      event_id: Id,
      platform: Id,
      received_at: Timestamp,
      household_key: Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$', description: 'HMAC of the truncated IP' }),
    }),
  ],
  { additionalProperties: false },
);
export type EnrichedBeacon = Static<typeof EnrichedBeacon>;

/** Payload of one message on topic `beacons`: a batch, so invocations scale with batches. */
export const BeaconBatch = Type.Object(
  { records: Type.Array(EnrichedBeacon, { minItems: 1 }) },
  { additionalProperties: false },
);
export type BeaconBatch = Static<typeof BeaconBatch>;
