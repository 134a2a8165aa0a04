import type { Verdict } from '../counting/verdict.ts';
import type { EnrichedBeacon } from '../schemas/beacon-message.ts';
import type { BeaconEventRow } from '../schemas/rows.ts';
import type { UaClassification } from '../ua/classifier.ts';

/** The `beacon_events` row of a request with its verdict; its key is the platform and event id. */
export function toBeaconEventRow(beacon: EnrichedBeacon, verdict: Verdict, agent: UaClassification): BeaconEventRow {
  const { playback, method, status, household_key_prev: _previousKey, ...rest } = beacon;
  const row: BeaconEventRow = {
    ...rest,
    insert_id: `${beacon.platform}/${beacon.event_id}`,
    method: method ?? 'GET',
    status: status ?? 200,
    counted: verdict.counted,
    reason: verdict.reason,
    ads_delivered: verdict.ads_delivered,
    ghost_ads_delivered: verdict.ghost_ads_delivered,
    ua_type: agent.type,
    bot: agent.bot,
  };
  if (agent.name !== null) row.ua_name = agent.name;
  if (agent.device !== null) row.device = agent.device;
  if (playback) {
    row.playback_event = playback.event;
    if (playback.ad_id !== undefined) row.playback_ad_id = playback.ad_id;
    if (playback.campaign_id !== undefined) row.playback_campaign_id = playback.campaign_id;
  }
  return row;
}
