import { describe, expect, it } from 'vitest';
import { DeliveryDeltaRow } from '../../../../shared/contracts/schemas/rows.ts';
import { dimensionNames, dimensionsKey, type Dimensions } from '../../../../shared/domain/facts/delivery-deltas.ts';

// The key insert ids were first digested from; a deployed key must read the same dimensions to the same text.
const entriesKey = (dims: Dimensions) => JSON.stringify(Object.entries(dims).sort(([a], [b]) => a.localeCompare(b)));

const request: Dimensions = { hour: '2026-11-16T03:00:00.000Z', platform: 'acme', show_id: 'show-1', episode_id: 'ep-1' };

describe('dimensionsKey', () => {
  it('names every dimension column of delivery_deltas, in the order of their names', () => {
    const measures = ['requests', 'downloads', 'listeners_first_seen', 'ads_delivered', 'ghost_ads_delivered', 'bot_requests', 'datacenter_requests', 'anomalous_requests'];
    const columns = Object.keys(DeliveryDeltaRow.properties).filter((c) => !['insert_id', 'batch_id', ...measures].includes(c));
    expect([...dimensionNames].sort()).toEqual([...columns].sort());
    expect([...dimensionNames]).toEqual([...dimensionNames].sort((a, b) => a.localeCompare(b)));
  });

  it.each<[string, Dimensions]>([
    ['a request row', request],
    ['with geography and agent', { ...request, country: 'US', region: 'CA', metro: '807', app: 'Apple Podcasts', device: 'iPhone' }],
    ['an ad row', { ...request, campaign_id: 'c1', creative_id: 'cr1', ad_id: 'a1', advertiser_id: 'adv', study_id: 's1' }],
    ['values JSON must escape', { ...request, show_id: 'sh"ow\\1', episode_id: 'ep\n\u00e9\u2028', app: 'App "Quoted"' }],
    ['members in another order', { episode_id: 'e', device: 'd', show_id: 's', platform: 'p', hour: 'h', app: 'a' }],
  ])('%s: the same text as the sorted entries', (_, dims) => {
    expect(dimensionsKey(dims)).toBe(entriesKey(dims));
  });
});
