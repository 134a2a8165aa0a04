import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeBatch } from '../../shared/application/attribution/attribute-batch.ts';
import { countBatch } from '../../shared/application/counting/count-batch.ts';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { computeAttributionRules } from '../../shared/domain/attribution/attribution-rules.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { toEnrichedConversion } from '../../shared/domain/intake/enrich-conversion.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { emulatorStateStore } from '../support/emulators.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

// The exposure index through real Firestore: what the count function writes is what attribute reads.
const keyer = new HouseholdKeyer(randomBytes(24).toString('base64')); // fresh household keys: no other test's documents
const agent = 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)';
const ip = '198.51.100.77';
const rules = computeAttributionRules({ id: 'adv', keys: [], lookback_days: 30, model: 'linear' });

describe('attribution on the Firestore emulator', () => {
  let store: FirestoreStateStore;
  beforeAll(() => void (store = emulatorStateStore(() => Date.parse('2026-12-02T12:00:00Z'))));
  afterAll(() => store.close());

  it('finds exposures counted under last month\'s key and attributes a redelivery identically', async () => {
    const classifier = loadDefaultClassifier();
    for (const [ts, id] of [['2026-11-28T20:00:00Z', 'nov'], ['2026-12-01T07:00:00Z', 'dec']] as const) {
      const ad = { ad_id: `ad-${id}`, campaign_id: 'camp-1', creative_id: 'cr', advertiser_id: 'adv', byte_start: 0, byte_end: 99_999 };
      const beacon = toEnrichedBeacon({ event_id: `ev-${id}`, type: 'download', ts, show_id: 's', episode_id: 'e', ip, user_agent: agent, file_size: 60_000_000, duration_s: 3600, ads: [ad] }, 'p1', ts, keyer, sharedIpLookup());
      const [counted] = await countBatch([beacon], `b-${id}`, { state: store, rules: { window: 'calendar', keepFirstTwoBytes: false }, classifier, clock: { now: () => new Date(ts) } });
      expect(counted?.verdict.ads_delivered).toEqual([`ad-${id}`]);
    }
    const conversion = toEnrichedConversion(
      { event: 'purchase', ts: '2026-12-02T09:00:00Z', ip, user_agent: 'Mozilla/5.0 Safari', order_id: `o-${randomBytes(4).toString('hex')}`, value: 60 },
      { advertiser: 'adv', lookbackDays: 30, studies: [], source: 'server', receivedAt: '2026-12-02T09:00:01Z' },
      keyer,
    );
    const deps = { state: store, now: new Date('2026-12-02T12:00:00Z'), rulesOf: (id: string) => (id === 'adv' ? rules : undefined) };
    const first = await attributeBatch([conversion], deps);
    expect(first.conversions).toMatchObject([{ attribution: 'attributed', exposures: 2 }]);
    expect(first.attributed.map((r) => [r.ad_id, r.credit, r.revenue, r.cross_device])).toEqual([
      ['ad-nov', 0.5, 30, true],
      ['ad-dec', 0.5, 30, true],
    ]);
    expect(await attributeBatch([conversion], deps)).toEqual(first);
  });
});
