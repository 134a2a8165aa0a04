import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBatch } from '../../shared/application/counting/count-batch.ts';
import type { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { householdDocVersion, type HouseholdDoc } from '../../shared/domain/counting/state/household-doc.ts';
import { computeHouseholdDocId, countingCollection } from '../../shared/domain/counting/state/state-ids.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { enrichedBeacon } from '../support/beacons.ts';
import { emulatorStateStore } from '../support/emulators.ts';
import { fixedClock } from '../support/fixtures.ts';
import { WatchedState } from '../support/watched-state.ts';

// Household documents through real Firestore: maps of entries, arrays of numbers, the TTL field.
describe('household documents on the Firestore emulator', () => {
  let store: FirestoreStateStore;
  beforeAll(() => void (store = emulatorStateStore(() => fixedClock.now().getTime())));
  afterAll(() => store.close());

  it('count a batch of several households once, and a redelivery the same, writing nothing', async () => {
    const households = [0, 1, 2].map(() => `hh-${randomBytes(12).toString('base64url')}`);
    const ads = [
      { ad_id: 'pre', campaign_id: 'c', creative_id: 'x', advertiser_id: 'adv', byte_start: 0, byte_end: 99_999 },
      { ad_id: 'ghost', campaign_id: 'c2', creative_id: 'y', byte_start: 100_000, byte_end: 199_999, ghost: true },
    ];
    const batch = households.flatMap((household_key, i) => [
      enrichedBeacon({ household_key, status: 206, range: 'bytes=0-499999', ads }),
      enrichedBeacon({ household_key, status: 206, range: 'bytes=500000-1999999', ads, ts: '2026-11-16T10:01:00Z' }),
      enrichedBeacon({ household_key, user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', episode_id: `ep-${i}` }),
    ]);
    let written: string[] = [];
    const state = new WatchedState(store, (_, ids) => written.push(...ids));
    const deps = { state, rules: { window: 'calendar', keepFirstTwoBytes: false } as const, classifier: loadDefaultClassifier(), clock: fixedClock };
    const first = await countBatch(batch, 'b1', deps);
    expect(first.map((r) => r.verdict.reason)).toEqual(households.flatMap(() => ['below_minimum', 'counted', 'bot']));
    expect(first.map((r) => r.verdict.ghost_ads_delivered)).toEqual(households.flatMap(() => [[], ['ghost'], []]));
    const ids = households.map(computeHouseholdDocId);
    expect(written.sort()).toEqual([...ids].sort());

    written = [];
    expect(await countBatch(batch, 'b1', deps)).toEqual(first);
    expect(written).toEqual([]);
    expect((await countBatch(batch, 'b2', deps)).map((r) => r.verdict.reason)).toEqual(batch.map(() => 'duplicate_event'));

    const docs = await store.getMany<HouseholdDoc>(countingCollection, ids);
    for (const doc of docs) {
      expect(doc?.v).toBe(householdDocVersion);
      expect(Object.keys(doc?.w ?? {})).toHaveLength(2);
      expect(Object.keys(doc?.l ?? {})).toHaveLength(1);
      expect(doc?.x.map((x) => [x.ad_id, x.ghost])).toEqual([
        ['pre', false],
        ['ghost', true],
      ]);
    }
  });
});
