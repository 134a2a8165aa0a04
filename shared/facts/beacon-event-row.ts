import type { EnrichedBeacon } from '../schemas/beacon-message.ts';
import type { BeaconEventRow } from '../schemas/rows.ts';

/** What counting decided about one request. */
export interface Verdict {
  counted: boolean | undefined;
  reason: string;
}

/** The `beacon_events` row of a request; its key is the platform and event id. */
export function toBeaconEventRow(beacon: EnrichedBeacon, verdict: Verdict): BeaconEventRow {
  const { playback, method, status, ...rest } = beacon;
  const row: BeaconEventRow = {
    ...rest,
    insert_id: `${beacon.platform}/${beacon.event_id}`,
    method: method ?? 'GET',
    status: status ?? 200,
    reason: verdict.reason,
  };
  if (verdict.counted !== undefined) row.counted = verdict.counted;
  if (playback) {
    row.playback_event = playback.event;
    if (playback.ad_id !== undefined) row.playback_ad_id = playback.ad_id;
    if (playback.campaign_id !== undefined) row.playback_campaign_id = playback.campaign_id;
  }
  return row;
}
