import type { Verdict } from '../counting/verdict.ts';
import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import type { BeaconEventRow } from '../../contracts/schemas/rows.ts';
import type { UaClassification } from '../ua/classifier.ts';
import { copyWithout } from '../../platform/objects/copy-without.ts';

// Set below from the beacon (playback is flattened) or not a column at all (the previous month's key).
const notColumns = new Set(['playback', 'method', 'status', 'household_key_prev']);

/** The `beacon_events` row of a request with its verdict; its key is the platform and event id. */
export function toBeaconEventRow(beacon: EnrichedBeacon, verdict: Verdict, agent: UaClassification): BeaconEventRow {
  const { playback, method, status } = beacon;
  const row = copyWithout(beacon, notColumns) as BeaconEventRow;
  row.insert_id = `${beacon.platform}/${beacon.event_id}`;
  row.method = method ?? 'GET';
  row.status = status ?? 200;
  row.counted = verdict.counted;
  row.reason = verdict.reason;
  row.ads_delivered = verdict.ads_delivered.slice();
  row.ghost_ads_delivered = verdict.ghost_ads_delivered.slice();
  row.ua_type = agent.type;
  row.bot = agent.bot;
  if (agent.name !== null) row.ua_name = agent.name;
  if (agent.device !== null) row.device = agent.device;
  if (playback) {
    row.playback_event = playback.event;
    if (playback.ad_id !== undefined) row.playback_ad_id = playback.ad_id;
    if (playback.campaign_id !== undefined) row.playback_campaign_id = playback.campaign_id;
  }
  return row;
}
