import { stringify } from 'safe-stable-stringify';
import type { BeaconRecord } from '../schemas/beacon-record.ts';
import type { EnrichedBeacon } from '../schemas/beacon-message.ts';
import { computeKeyMonth, computePreviousKeyMonth, type HouseholdKeyer } from '../privacy/household-key.ts';
import { daySeconds } from '../counting/windows.ts';

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
  const at = new Date(record.ts);
  const previousMonth = computePreviousKeyMonth(at, daySeconds * 1000);
  const months = previousMonth ? [computeKeyMonth(at), previousMonth] : [computeKeyMonth(at)];
  const [householdKey, previousKey] = keyer.tryHouseholdKeys(ip, months) ?? [];
  // The schema's `ip` format already guarantees an address; reaching this is a bug, not bad input.
  if (householdKey === undefined) throw new Error('validated record has an unusable ip');
  const enriched: EnrichedBeacon = { ...rest, event_id: event_id ?? computeContentEventId(record, keyer), platform, received_at: receivedAt, household_key: householdKey };
  if (previousKey !== undefined) enriched.household_key_prev = previousKey;
  return enriched;
}
