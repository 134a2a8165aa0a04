import { Type, type Static } from '@sinclair/typebox';
import { BeaconRecord } from './beacon-record.ts';
import { Id, Timestamp } from './common.ts';

const HouseholdKey = Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$', description: 'HMAC of the truncated IP' });

/**
 * A beacon record after intake: the raw IP replaced by a keyed hash (docs/architecture.md, Privacy), the
 * platform taken from the caller's key and a deterministic event id filled in. In the first day of
 * a month the previous month's key comes along too, so a 24-hour window that began last month
 * still finds its listener (keys rotate per calendar month).
 */
export const EnrichedBeacon = Type.Composite(
  [
    Type.Omit(BeaconRecord, ['ip', 'event_id', 'platform']),
    Type.Object({
      event_id: Id,
      platform: Id,
      received_at: Timestamp,
      household_key: HouseholdKey,
      household_key_prev: Type.Optional(HouseholdKey),
      // Optional only for messages published before listener keys existed.
      listener_key: Type.Optional({ ...HouseholdKey, description: 'HMAC of the truncated IP and the User-Agent under the month listener key' }),
      // Looked up from the IP before it is hashed (shared/domain/geo/); optional: messages published before them lack them.
      region: Type.Optional(Type.String({ maxLength: 200, description: 'First-level subdivision of the address, as the geo database names it' })),
      metro: Type.Optional(Type.String({ pattern: '^[0-9]{3}$', description: 'US metro (Nielsen DMA code) of the address, when the geo database gives one' })),
      asn: Type.Optional(Type.Integer({ minimum: 0, description: 'Autonomous system announcing the address' })),
      datacenter: Type.Optional(Type.String({ maxLength: 200, description: 'Hosting provider of that network, when it is a hosting or cloud network' })),
      geo_db: Type.Optional(Type.String({ maxLength: 300, description: 'Databases the geography and network came from (package@version ...)' })),
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
