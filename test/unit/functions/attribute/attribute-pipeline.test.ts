import { describe, expect, it } from 'vitest';
import { createAttributeHandler } from '../../../../functions/attribute/handler.ts';
import { countBatch } from '../../../../shared/application/counting/count-batch.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { toEnrichedBeacon } from '../../../../shared/domain/intake/enrich-beacon.ts';
import { toEnrichedConversion } from '../../../../shared/domain/intake/enrich-conversion.ts';
import { toMessagePublishedEvent } from '../../../../shared/platform/messaging/pubsub-event.ts';
import { HouseholdKeyer } from '../../../../shared/domain/privacy/household-key.ts';
import type { EarshotConfig } from '../../../../shared/contracts/schemas/config.ts';
import type { ConversionBatch, EnrichedConversion } from '../../../../shared/contracts/schemas/conversion-message.ts';
import type { ConversionRecord } from '../../../../shared/contracts/schemas/conversion-record.ts';
import type { AttributedConversionRow, ConversionRow } from '../../../../shared/contracts/schemas/conversion-rows.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';
import { RecordingBus, quietLog, testConfig } from '../../../support/fixtures.ts';
import { sharedIpLookup } from '../../../../shared/adapters/data/packaged-ip-lookup.ts';

// The whole path of an exposure: a beacon enriched as intake does (household key of its month),
// counted by the `count` function's code into the state store, then a conversion enriched as the
// `conversion` function does, attributed by the `attribute` handler reading that same store.
const classifier = loadDefaultClassifier();
const keyer = new HouseholdKeyer(testConfig.privacy.master_key);
const podcastApp = 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)';
const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1';
const ip = '198.51.100.23';

const config: EarshotConfig = {
  ...testConfig,
  advertisers: [
    { id: 'adv', keys: [], lookback_days: 30, model: 'last_touch', campaigns: [{ id: 'camp-1', spend: 500 }] },
    { id: 'adv-short', keys: [], lookback_days: 1, model: 'last_touch' },
  ],
};

const ad = (advertiser: string) => ({ ad_id: `pre-${advertiser}`, campaign_id: 'camp-1', creative_id: 'cr-1', advertiser_id: advertiser, byte_start: 0, byte_end: 99_999 });

async function recordExposure(state: MemoryStateStore, ts: string, advertiser: string, eventId: string): Promise<void> {
  const record = { event_id: eventId, type: 'download' as const, ts, show_id: 's', episode_id: 'e', ip, user_agent: podcastApp, file_size: 60_000_000, duration_s: 3600, ads: [ad(advertiser)] };
  const beacon = toEnrichedBeacon(record, 'p1', ts, keyer, sharedIpLookup());
  const clock = { now: () => new Date(ts) };
  const [counted] = await countBatch([beacon], `batch-${eventId}`, { state, rules: { window: 'calendar', keepFirstTwoBytes: false }, classifier, clock });
  expect(counted?.verdict.ads_delivered).toEqual([`pre-${advertiser}`]);
}

function conversion(advertiser: string, ts: string, overrides: Partial<ConversionRecord> = {}, receivedAt = ts): EnrichedConversion {
  const record: ConversionRecord = { event: 'purchase', ts, ip, user_agent: podcastApp, order_id: 'order-1', value: 80, ...overrides };
  const lookbackDays = config.advertisers.find((a) => a.id === advertiser)?.lookback_days ?? 30;
  return toEnrichedConversion(record, { advertiser, lookbackDays, studies: [], source: 'server', receivedAt }, keyer);
}

function setup(state = new MemoryStateStore(() => Date.parse('2026-12-02T12:00:00Z'))) {
  const bus = new RecordingBus();
  const handler = createAttributeHandler({ config, bus, state, clock: { now: () => new Date('2026-12-02T12:00:00Z') }, log: quietLog });
  let messages = 0;
  const deliver = (batch: EnrichedConversion[], messageId = `m-${messages++}`) =>
    handler(toMessagePublishedEvent('p', 'conversions', 'attribute', messageId, Buffer.from(JSON.stringify({ conversions: batch } satisfies ConversionBatch)), new Date()));
  const rows = <T>(table: string) => bus.payloads<{ table: string; rows: T[] }>('facts').filter((m) => m.table === table).flatMap((m) => m.rows);
  return { state, bus, deliver, conversions: () => rows<ConversionRow>('conversions'), attributed: () => rows<AttributedConversionRow>('attributed_conversions') };
}

describe('attribute: exposures as count records them', () => {
  it('matches a Dec 2 conversion to a Nov 28 exposure through the previous month key', async () => {
    const { state, deliver, conversions, attributed } = setup();
    await recordExposure(state, '2026-11-28T20:00:00Z', 'adv', 'ev-nov');
    const converted = conversion('adv', '2026-12-02T09:00:00Z');
    expect(converted.household_keys).toHaveLength(2);
    await deliver([converted]);
    expect(conversions()).toMatchObject([{ attribution: 'attributed', exposures: 1, ghost_exposures: 0, model: 'last_touch', lookback_days: 30, household_key: converted.household_keys[0] }]);
    expect(attributed()).toMatchObject([
      { ad_id: 'pre-adv', campaign_id: 'camp-1', credit: 1, revenue: 80, currency: 'USD', cross_device: false, exposed_at: '2026-11-28T20:00:00.000Z', seconds_to_convert: 3 * 86_400 + 13 * 3600, campaign_spend: 500 },
    ]);
  });

  it('does not reach into last month when the lookback does not', async () => {
    const { state, deliver, conversions } = setup();
    await recordExposure(state, '2026-11-30T20:00:00Z', 'adv-short', 'ev-late-nov');
    const converted = conversion('adv-short', '2026-12-02T09:00:00Z');
    expect(converted.household_keys).toHaveLength(1);
    await deliver([converted]);
    expect(conversions()).toMatchObject([{ attribution: 'not_exposed', exposures: 0 }]);
  });

  it('flags a conversion on another device of the household', async () => {
    const { state, deliver, attributed } = setup();
    await recordExposure(state, '2026-12-01T08:00:00Z', 'adv', 'ev-dec');
    await deliver([conversion('adv', '2026-12-02T09:00:00Z', { user_agent: browser })]);
    expect(attributed()).toMatchObject([{ cross_device: true }]);
  });

  it('never credits an exposure recorded after the conversion', async () => {
    const { state, deliver, conversions, attributed } = setup();
    await recordExposure(state, '2026-12-02T10:00:00Z', 'adv', 'ev-after');
    await deliver([conversion('adv', '2026-12-02T09:00:00Z')]);
    expect(conversions()).toMatchObject([{ attribution: 'not_exposed' }]);
    expect(attributed()).toEqual([]);
  });
});

describe('attribute: at-least-once delivery', () => {
  it('writes the same rows with the same keys for a redelivered message, even after new exposures arrived', async () => {
    const first = setup();
    await recordExposure(first.state, '2026-11-28T20:00:00Z', 'adv', 'ev-1');
    const batch = [conversion('adv', '2026-12-02T09:00:00Z')];
    await first.deliver(batch, 'm-1');
    // A late upload records an exposure between the first delivery and the redelivery.
    await recordExposure(first.state, '2026-12-01T20:00:00Z', 'adv', 'ev-late');
    const before = { conversions: first.conversions(), attributed: first.attributed() };
    first.bus.messages.length = 0;
    await first.deliver(batch, 'm-1');
    expect({ conversions: first.conversions(), attributed: first.attributed() }).toEqual(before);
  });

  it('keeps another report of the same order as a duplicate row, crediting nothing again', async () => {
    const { state, deliver, conversions, attributed } = setup();
    await recordExposure(state, '2026-11-28T20:00:00Z', 'adv', 'ev-1');
    await deliver([conversion('adv', '2026-12-02T09:00:00Z', {}, '2026-12-02T09:00:01Z')]);
    // The pixel reported the same order a minute later, and again within one message.
    const pixel = conversion('adv', '2026-12-02T09:00:00Z', {}, '2026-12-02T09:01:00Z');
    await deliver([pixel, pixel]);
    await deliver([pixel]);
    const rows = conversions();
    expect(rows.map((r) => r.attribution)).toEqual(['attributed', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(rows.map((r) => r.insert_id)).size).toBe(2);
    expect(rows[0]?.insert_id).toBe('adv/o:order-1');
    expect(attributed()).toHaveLength(1);
  });

  it('dedupes per advertiser: the same order id of two advertisers is two conversions', async () => {
    const { deliver, conversions } = setup();
    await deliver([conversion('adv', '2026-12-02T09:00:00Z'), conversion('adv-short', '2026-12-02T09:00:00Z')]);
    expect(conversions().map((r) => [r.advertiser_id, r.attribution])).toEqual([
      ['adv', 'not_exposed'],
      ['adv-short', 'not_exposed'],
    ]);
  });

  it('keeps a conversion of an advertiser no longer configured, with the reason', async () => {
    const { deliver, conversions } = setup();
    await deliver([conversion('gone', '2026-12-02T09:00:00Z')]);
    expect(conversions()).toMatchObject([{ advertiser_id: 'gone', attribution: 'unknown_advertiser' }]);
  });

  it('dead-letters a message that is not a conversion batch instead of retrying it', async () => {
    const { bus } = setup();
    const handler = createAttributeHandler({ config, bus, state: new MemoryStateStore(), clock: { now: () => new Date() }, log: quietLog });
    await handler(toMessagePublishedEvent('p', 'conversions', 'attribute', 'bad', Buffer.from('{"conversions":[{"ip":"1.2.3.4"}]}'), new Date()));
    expect(bus.payloads<{ table: string; rows: Array<{ reason: string }> }>('facts')).toMatchObject([{ table: 'dead_letters', rows: [{ reason: expect.stringContaining('schema') as unknown }] }]);
  });
});
