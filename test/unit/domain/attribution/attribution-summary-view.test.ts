import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import type { AttributedConversionRow } from '../../../../shared/contracts/schemas/conversion-rows.ts';
import type { BeaconEventRow } from '../../../../shared/contracts/schemas/rows.ts';

const ads = [
  { ad_id: 'a1', campaign_id: 'camp-1', creative_id: 'x', advertiser_id: 'adv', byte_start: 0, byte_end: 9 },
  { ad_id: 'a2', campaign_id: 'camp-2', creative_id: 'x', advertiser_id: 'adv', byte_start: 10, byte_end: 19 },
  { ad_id: 'a3', campaign_id: 'camp-3', creative_id: 'x', byte_start: 20, byte_end: 29 },
  { ad_id: 'g1', campaign_id: 'camp-1', creative_id: 'x', advertiser_id: 'adv', byte_start: 30, byte_end: 39, ghost: true },
];

let events = 0;
function delivery(household: string, delivered: string[], ghost: string[] = []): BeaconEventRow {
  const id = `ev-${events++}`;
  return {
    insert_id: `p/${id}`, event_id: id, platform: 'p', type: 'download', ts: '2026-11-16T10:00:00Z', received_at: '2026-11-16T10:00:00Z',
    show_id: 's', episode_id: 'e', household_key: household, user_agent: 'A', method: 'GET', status: 200, counted: true, reason: 'counted',
    ads, ads_delivered: delivered, ghost_ads_delivered: ghost, ua_type: 'app', bot: false,
  };
}

function credit(conversion: string, household: string, campaign: string, share: number, extra: Partial<AttributedConversionRow> = {}): AttributedConversionRow {
  return {
    insert_id: `adv/${conversion}/${campaign}`, conversion_id: conversion, advertiser_id: 'adv', event: 'purchase', ts: '2026-11-20T10:00:00Z',
    received_at: '2026-11-20T10:00:00Z', household_key: household, campaign_id: campaign, creative_id: 'x', ad_id: 'a', exposed_at: '2026-11-16T10:00:00Z',
    model: 'linear', credit: share, currency: 'USD', cross_device: false, seconds_to_convert: 345_600, ...extra,
  };
}

describe('attribution_summary', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const beacons = [
      delivery('h1', ['a1']), delivery('h1', ['a1', 'a2']), delivery('h2', ['a1']), delivery('h3', ['a1']),
      delivery('h5', ['a3']),
      // A ghost delivery is not a reach.
      delivery('h6', [], ['g1']),
    ];
    const credits = [
      // h1 bought for 100, credited half to each campaign (linear); spend of camp-1 was 1000 then 1200.
      credit('o:1', 'h1', 'camp-1', 0.5, { revenue: 50, campaign_spend: 1000, received_at: '2026-11-19T10:00:00Z' }),
      credit('o:1', 'h1', 'camp-2', 0.5, { revenue: 50, received_at: '2026-11-19T10:00:00Z' }),
      // h2 bought for 40 on another device.
      credit('o:2', 'h2', 'camp-1', 1, { revenue: 40, campaign_spend: 1200, cross_device: true, model: 'last_touch' }),
      // h1 also visited: another event, no value.
      credit('e:v1', 'h1', 'camp-1', 1, { event: 'visit', campaign_spend: 1200, model: 'last_touch' }),
    ];
    await warehouse.insert('beacon_events', beacons.map((json) => ({ insertId: json.insert_id, json })));
    await warehouse.insert('attributed_conversions', credits.map((json) => ({ insertId: json.insert_id, json })));
  });
  afterAll(async () => warehouse.close());

  it('summarises reach, attributed visitors, conversions, revenue, cost per visitor and ROAS per campaign and event', async () => {
    const { rows } = await warehouse.query('SELECT * FROM attribution_summary ORDER BY campaign_id, event NULLS LAST');
    expect(rows).toEqual([
      {
        advertiser_id: 'adv', campaign_id: 'camp-1', event: 'purchase', households_reached: 3, attributed_visitors: 2, attributed_conversions: 1.5,
        cross_device_conversions: 1, revenue: 90, currency: 'USD', spend: 1200, cost_per_visitor: 600, roas: 0.075,
      },
      {
        advertiser_id: 'adv', campaign_id: 'camp-1', event: 'visit', households_reached: 3, attributed_visitors: 1, attributed_conversions: 1,
        cross_device_conversions: 0, revenue: null, currency: 'USD', spend: 1200, cost_per_visitor: 1200, roas: null,
      },
      {
        advertiser_id: 'adv', campaign_id: 'camp-2', event: 'purchase', households_reached: 1, attributed_visitors: 1, attributed_conversions: 0.5,
        cross_device_conversions: 0, revenue: 50, currency: 'USD', spend: null, cost_per_visitor: null, roas: null,
      },
      {
        advertiser_id: null, campaign_id: 'camp-3', event: null, households_reached: 1, attributed_visitors: 0, attributed_conversions: 0,
        cross_device_conversions: 0, revenue: null, currency: null, spend: null, cost_per_visitor: null, roas: null,
      },
    ]);
  });
});
