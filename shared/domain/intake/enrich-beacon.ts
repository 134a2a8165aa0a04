import { stringify } from 'safe-stable-stringify';
import type { BeaconRecord } from '../../contracts/schemas/beacon-record.ts';
import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import { computeKeyMonth, computePreviousKeyMonth, type BatchHouseholdKeyer } from '../privacy/household-key.ts';
import { daySeconds } from '../counting/windows.ts';
import { copyWithout } from '../../platform/objects/copy-without.ts';
import type { IpLookup } from '../geo/network-facts.ts';

/**
 * A deterministic id from a record's content, so a re-upload of the same record dedupes. Keyed:
 * a plain hash of a record that holds an IP could be reversed by trying every address.
 */
export function computeContentEventId(record: BeaconRecord, keyer: BatchHouseholdKeyer): string {
  return 'h_' + keyer.contentDigest(stringify(record) ?? '');
}

/**
 * The record as it travels on: the IP replaced by its household key (so no raw IP is ever
 * published or stored), its geography and network looked up first (a country the platform sent
 * wins over the database's), the caller's platform and the intake time added.
 */
export function toEnrichedBeacon(
  record: BeaconRecord,
  platform: string,
  receivedAt: string,
  keyer: BatchHouseholdKeyer,
  network: IpLookup,
): EnrichedBeacon {
  const at = new Date(record.ts);
  const previousMonth = computePreviousKeyMonth(at, daySeconds * 1000);
  const month = computeKeyMonth(at);
  const months = previousMonth ? [month, previousMonth] : [month];
  const [householdKey, previousKey] = keyer.tryHouseholdKeys(record.ip, months) ?? [];
  const listenerKey = keyer.tryListenerKey(record.ip, record.user_agent, month);
  // The schema's `ip` format already guarantees an address; reaching this is a bug, not bad input.
  if (householdKey === undefined || listenerKey === undefined) throw new Error('validated record has an unusable ip');
  const enriched = copyWithout(record, dropped) as EnrichedBeacon;
  enriched.event_id = record.event_id ?? computeContentEventId(record, keyer);
  enriched.platform = platform;
  enriched.received_at = receivedAt;
  enriched.household_key = householdKey;
  enriched.listener_key = listenerKey;
  if (previousKey !== undefined) enriched.household_key_prev = previousKey;
  const facts = network.lookup(record.ip, householdKey);
  if (record.country === undefined && facts.country !== undefined) enriched.country = facts.country;
  // A region or metro is only kept where it lies in the country the row names.
  if (facts.region !== undefined && enriched.country === facts.country) enriched.region = facts.region;
  if (facts.metro !== undefined && enriched.country === facts.country) enriched.metro = facts.metro;
  if (facts.asn !== undefined) enriched.asn = facts.asn;
  if (facts.datacenter !== undefined) enriched.datacenter = facts.datacenter;
  enriched.geo_db = network.version;
  return enriched;
}

// The address never travels; the id and platform are set anew (the platform is the caller's).
const dropped = new Set(['ip', 'event_id', 'platform']);
