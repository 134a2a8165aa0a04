import type { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import type { AttributedConversionRow, ConversionRow } from '../../shared/contracts/schemas/conversion-rows.ts';
import type { BeaconEventRow, DeliveryDeltaRow, VerificationEventRow } from '../../shared/contracts/schemas/rows.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { testConfig } from './fixtures.ts';

/**
 * Two platforms, two advertisers (each with its campaign and study) and an analyst, and a few days
 * of every table the reports read: each platform delivers both advertisers' ads on its own show.
 */
export const tenants = {
  platforms: { p1: 'pk_report_platform_one_key', p2: 'pk_report_platform_two_key' },
  advertisers: { a1: 'ak_report_advertiser_one', a2: 'ak_report_advertiser_two' },
  analyst: 'nk_report_analyst_key_000',
} as const;

export const campaignOf = { a1: 'c1', a2: 'c2' } as const;
export const showOf = { p1: 'show-p1', p2: 'show-p2' } as const;
export const studyOf = { a1: 'study-a1', a2: 'study-a2' } as const;
export const seedDays = ['2026-11-10', '2026-11-11', '2026-11-12'];

export const reportConfig: EarshotConfig = {
  ...testConfig,
  platforms: Object.entries(tenants.platforms).map(([id, key]) => ({ id, keys: [key] })),
  advertisers: Object.entries(tenants.advertisers).map(([id, key]) => ({
    id,
    keys: [key],
    lookback_days: 30,
    model: 'last_touch' as const,
    campaigns: [{ id: campaignOf[id as 'a1' | 'a2'], spend: 100 }],
  })),
  analysts: [{ id: 'n1', keys: [tenants.analyst] }],
};

type Platform = keyof typeof tenants.platforms;
type Advertiser = keyof typeof tenants.advertisers;
const platforms: Platform[] = ['p1', 'p2'];
const advertisers: Advertiser[] = ['a1', 'a2'];

const adOf = (a: Advertiser, ghost = false) => ({
  ad_id: `${campaignOf[a]}-${ghost ? 'ghost' : 'ad'}`,
  campaign_id: campaignOf[a],
  creative_id: `${campaignOf[a]}-cr`,
  advertiser_id: a,
  study_id: studyOf[a],
  byte_start: ghost ? 100 : 0,
  byte_end: ghost ? 199 : 99,
  ...(ghost ? { ghost: true } : {}),
});

/** Seeds `warehouse`, on `days` (UTC, `YYYY-MM-DD`; by default `seedDays`). */
export async function seedReports(warehouse: DuckDbWarehouse, days: readonly string[] = seedDays): Promise<void> {
  const beacons: BeaconEventRow[] = [];
  const deltas: DeliveryDeltaRow[] = [];
  const verifications: VerificationEventRow[] = [];
  const conversions: ConversionRow[] = [];
  const credits: AttributedConversionRow[] = [];
  days.forEach((day, d) => {
    for (const p of platforms) {
      deltas.push({
        insert_id: `dl/${p}/${day}`, batch_id: `b-${day}`, hour: `${day}T10:00:00Z`, platform: p, show_id: showOf[p], episode_id: `${showOf[p]}-ep`,
        requests: 10 + d, downloads: 8, listeners_first_seen: 5, ads_delivered: 0, ghost_ads_delivered: 0, bot_requests: 1,
      } as DeliveryDeltaRow);
      for (const a of advertisers) {
        deltas.push({
          insert_id: `dl/${p}/${a}/${day}`, batch_id: `b-${day}`, hour: `${day}T11:00:00Z`, platform: p, show_id: showOf[p], episode_id: `${showOf[p]}-ep`,
          campaign_id: campaignOf[a], creative_id: `${campaignOf[a]}-cr`, ad_id: `${campaignOf[a]}-ad`, advertiser_id: a,
          requests: 4, downloads: 4, listeners_first_seen: 0, ads_delivered: 3 + d, ghost_ads_delivered: 1, bot_requests: 0,
        } as DeliveryDeltaRow);
        for (let h = 0; h < 3; h++) {
          const id = `${p}-${a}-${day}-${h}`;
          const household = `hh-${p}-${a}-${h}`;
          const ghost = h === 2;
          beacons.push({
            insert_id: `${p}/${id}`, event_id: id, platform: p, type: 'download', ts: `${day}T11:0${h}:00Z`, received_at: `${day}T11:0${h}:01Z`,
            show_id: showOf[p], episode_id: `${showOf[p]}-ep`, household_key: household, user_agent: 'Overcast/3.0', method: 'GET', status: 200,
            counted: true, reason: 'counted', ads: [adOf(a, ghost)], ads_delivered: ghost ? [] : [adOf(a).ad_id], ghost_ads_delivered: ghost ? [adOf(a, true).ad_id] : [],
            ua_type: 'app', bot: false,
          } as BeaconEventRow);
          verifications.push({
            insert_id: `v/${id}`, vendor: 'vendor-x', webhook_id: `wh-${id}`, campaign_id: campaignOf[a], impression_id: id, measured_at: `${day}T11:30:00Z`,
            ivt: h === 1 ? 'givt' : 'valid', reasons: h === 1 ? ['known_crawler'] : [], received_at: `${day}T11:31:00Z`,
          } as VerificationEventRow);
          if (d === 0) {
            const conversion = `o:${id}`;
            conversions.push({
              insert_id: `${a}/${conversion}`, conversion_id: conversion, advertiser_id: a, event: 'purchase', ts: `${day}T20:00:00Z`, received_at: `${day}T20:00:01Z`,
              source: 'server', value: 50, currency: 'USD', household_key: household, attribution: ghost ? 'not_exposed' : 'attributed', model: 'last_touch',
              lookback_days: 30, exposures: ghost ? 0 : 1, ghost_exposures: ghost ? 1 : 0, busiest_day_agents: 1,
              arms: [{ study_id: studyOf[a], arm: ghost ? 'control' : 'test', bucket: 7 }],
            } as ConversionRow);
            if (!ghost) {
              credits.push({
                insert_id: `${a}/${conversion}/${id}`, conversion_id: conversion, advertiser_id: a, event: 'purchase', ts: `${day}T20:00:00Z`, received_at: `${day}T20:00:01Z`,
                household_key: household, campaign_id: campaignOf[a], creative_id: `${campaignOf[a]}-cr`, ad_id: adOf(a).ad_id, exposed_at: `${day}T11:0${h}:00Z`,
                model: 'last_touch', credit: 1, revenue: 50, currency: 'USD', cross_device: false, seconds_to_convert: 32400, campaign_spend: 100,
              } as AttributedConversionRow);
            }
          }
        }
      }
    }
  });
  // Traffic the data-centre and volume rules set apart (docs/methodology.md): kept, never counted.
  for (const [i, reason] of (['datacenter', 'household_volume', 'address_burst'] as const).entries()) {
    const day = days[0] ?? seedDays[0];
    beacons.push({
      insert_id: `p1/excluded-${i}`, event_id: `excluded-${i}`, platform: 'p1', type: 'download', ts: `${day}T13:0${i}:00Z`, received_at: `${day}T13:0${i}:01Z`,
      show_id: showOf.p1, episode_id: `${showOf.p1}-ep`, household_key: `hh-excluded-${i}`, user_agent: 'Overcast/3.0', method: 'GET', status: 200,
      counted: false, reason, ads: [], ads_delivered: [], ghost_ads_delivered: [], ua_type: 'app', bot: false,
      country: 'DE', ...(reason === 'datacenter' ? { datacenter: 'Hetzner Online GmbH' } : {}),
    } as BeaconEventRow);
  }
  // Ads a platform labelled a1: an unlisted campaign is a1's; a2's listed campaign stays a2's.
  for (const [campaign, n] of [['c-unlisted', 1], [campaignOf.a2, 2]] as const) {
    deltas.push({
      insert_id: `dl/label/${campaign}`, batch_id: 'b-label', hour: `${days[0] ?? seedDays[0]}T12:00:00Z`, platform: 'p1', show_id: showOf.p1, episode_id: `${showOf.p1}-ep`,
      campaign_id: campaign, creative_id: 'cr-x', ad_id: `${campaign}-x`, advertiser_id: 'a1',
      requests: n, downloads: n, listeners_first_seen: 0, ads_delivered: n, ghost_ads_delivered: 0, bot_requests: 0,
    } as DeliveryDeltaRow);
  }
  const keyed = <T extends { insert_id: string }>(rows: T[]) => rows.map((json) => ({ insertId: json.insert_id, json: json as unknown as Record<string, unknown> }));
  await warehouse.insert('delivery_deltas', keyed(deltas));
  await warehouse.insert('beacon_events', keyed(beacons));
  await warehouse.insert('verification_events', keyed(verifications));
  await warehouse.insert('conversions', keyed(conversions));
  await warehouse.insert('attributed_conversions', keyed(credits));
}
