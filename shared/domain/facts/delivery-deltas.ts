import { createHash } from 'node:crypto';
import type { Verdict } from '../counting/verdict.ts';
import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import type { DeliveryDeltaRow } from '../../contracts/schemas/rows.ts';
import type { UaClassification } from '../ua/classifier.ts';

/** What the deltas need to know of one counted request. */
export interface DeltaInput {
  beacon: EnrichedBeacon;
  agent: UaClassification;
  verdict: Verdict;
  fresh: boolean;
  firstSeen: boolean;
}

type Measures = Required<
  Pick<DeliveryDeltaRow, 'requests' | 'downloads' | 'listeners_first_seen' | 'ads_delivered' | 'ghost_ads_delivered' | 'bot_requests' | 'datacenter_requests' | 'anomalous_requests'>
>;
export type Dimensions = Omit<DeliveryDeltaRow, keyof Measures | 'insert_id' | 'batch_id'>;

const zero = (): Measures => ({
  requests: 0,
  downloads: 0,
  listeners_first_seen: 0,
  ads_delivered: 0,
  ghost_ads_delivered: 0,
  bot_requests: 0,
  datacenter_requests: 0,
  anomalous_requests: 0,
});
const anomalies: ReadonlySet<string> = new Set(['household_volume', 'address_burst']);

function hourOf(ts: string): string {
  const ms = Date.parse(ts);
  return new Date(ms - (ms % 3_600_000)).toISOString();
}

/** Every dimension, in the order of their names: the order a row key lists them in. */
export const dimensionNames = [
  'ad_id',
  'advertiser_id',
  'app',
  'campaign_id',
  'country',
  'creative_id',
  'device',
  'episode_id',
  'hour',
  'metro',
  'platform',
  'region',
  'show_id',
  'study_id',
] as const satisfies ReadonlyArray<keyof Dimensions>;

/**
 * The dimensions as JSON `[name, value]` pairs in name order: the key insert ids digest, so it must
 * stay this exact text (a batch redelivered after a deploy has to rewrite the same rows).
 */
export function dimensionsKey(dims: Dimensions): string {
  const pairs: Array<[string, string]> = [];
  for (const name of dimensionNames) {
    const value = dims[name];
    if (value !== undefined) pairs.push([name, value]);
  }
  return JSON.stringify(pairs);
}

/** A digest of a batch's event ids: the same batch, however often delivered, has the same id. */
export function computeBatchId(eventIds: readonly string[]): string {
  return createHash('sha256').update(eventIds.join('\n')).digest('base64url').slice(0, 22);
}

/**
 * Sums a batch into `delivery_deltas` rows per hour and dimensions. Keys are (batch, dimensions),
 * so a redelivered batch rewrites the same rows. A record seen before (not fresh: re-sent in
 * another batch, or twice in this one) adds nothing to any measure, requests and bot requests
 * included, and makes no row of its own: each event is counted once, whatever the batches.
 */
export function computeDeliveryDeltas(batchId: string, inputs: readonly DeltaInput[]): DeliveryDeltaRow[] {
  const rows = new Map<string, { dims: Dimensions; measures: Measures }>();
  const add = (dims: Dimensions, change: (m: Measures) => void) => {
    const key = dimensionsKey(dims);
    let entry = rows.get(key);
    if (!entry) rows.set(key, (entry = { dims, measures: zero() }));
    change(entry.measures);
  };
  for (const { beacon, agent, verdict, fresh, firstSeen } of inputs) {
    if (!fresh) continue;
    const base: Dimensions = { hour: hourOf(beacon.ts), platform: beacon.platform, show_id: beacon.show_id, episode_id: beacon.episode_id };
    if (beacon.country !== undefined) base.country = beacon.country;
    if (beacon.region !== undefined) base.region = beacon.region;
    if (beacon.metro !== undefined) base.metro = beacon.metro;
    if (agent.name !== null) base.app = agent.name;
    if (agent.device !== null) base.device = agent.device;
    add(base, (m) => {
      m.requests++;
      if (verdict.reason === 'bot') m.bot_requests++;
      if (verdict.reason === 'datacenter') m.datacenter_requests++;
      if (anomalies.has(verdict.reason)) m.anomalous_requests++;
      if (verdict.counted) m.downloads++;
      if (firstSeen) m.listeners_first_seen++;
    });
    for (const ad of beacon.ads ?? []) {
      const real = verdict.ads_delivered.includes(ad.ad_id);
      const ghost = verdict.ghost_ads_delivered.includes(ad.ad_id);
      if (!real && !ghost) continue;
      const dims: Dimensions = { ...base, campaign_id: ad.campaign_id, creative_id: ad.creative_id, ad_id: ad.ad_id };
      if (ad.advertiser_id !== undefined) dims.advertiser_id = ad.advertiser_id;
      if (ad.study_id !== undefined) dims.study_id = ad.study_id;
      add(dims, (m) => (real ? m.ads_delivered++ : m.ghost_ads_delivered++));
    }
  }
  return [...rows.entries()].map(([key, { dims, measures }]) => ({
    insert_id: `${batchId}/${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`,
    batch_id: batchId,
    ...dims,
    ...measures,
  }));
}
