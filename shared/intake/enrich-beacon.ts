import { stringify } from 'safe-stable-stringify';
import type { BeaconRecord } from '../schemas/beacon-record.ts';
import type { EnrichedBeacon } from '../schemas/beacon-message.ts';
import type { HouseholdKeyer } from '../privacy/household-key.ts';

/**
 * A deterministic id from a record's content, so a re-upload of the same record dedupes. Keyed:
 * a plain hash of a record that holds an IP could be reversed by trying every address.
 */
export function computeContentEventId(record: BeaconRecord, keyer: HouseholdKeyer): string {
  return 'h_' + keyer.contentDigest(stringify(record) ?? '');
}

/**
 * The record as it travels on: the IP replaced by its household key (so no raw IP is ever
 * published or stored), the caller's platform and the intake time added.
 */
export function toEnrichedBeacon(record: BeaconRecord, platform: string, receivedAt: string, keyer: HouseholdKeyer): EnrichedBeacon {
  const { ip, event_id, platform: _claimed, ...rest } = record;
  const householdKey = keyer.tryHouseholdKey(ip, new Date(record.ts));
  // The schema's `ip` format already guarantees an address; reaching this is a bug, not bad input.
  if (householdKey === undefined) throw new Error('validated record has an unusable ip');
  return { ...rest, event_id: event_id ?? computeContentEventId(record, keyer), platform, received_at: receivedAt, household_key: householdKey };
}
