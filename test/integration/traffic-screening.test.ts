import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBatch } from '../../shared/application/counting/count-batch.ts';
import type { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { BeaconRecord } from '../../shared/contracts/schemas/beacon-record.ts';
import { computeTrafficRules } from '../../shared/domain/traffic/traffic-rules.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { emulatorStateStore } from '../support/emulators.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

// The data-centre and volume rules with their tallies in real Firestore, as the count function runs them.
const keyer = new HouseholdKeyer(randomBytes(24).toString('base64')); // fresh household keys: no other test's documents
const classifier = loadDefaultClassifier();
const rules = { window: 'calendar' as const, keepFirstTwoBytes: false };
const traffic = computeTrafficRules({ household_episode_max: 3 });
const clock = { now: () => new Date('2026-11-20T12:00:00Z') };
const record = (n: number, ip: string): BeaconRecord => ({ event_id: `ev-${n}`, type: 'download', ts: `2026-11-20T10:${String(n).padStart(2, '0')}:00Z`, show_id: 's', episode_id: 'e', ip, user_agent: `Overcast/3.${n}`, file_size: 1000 });

describe('traffic screening on the Firestore emulator', () => {
  let store: FirestoreStateStore;
  beforeAll(() => void (store = emulatorStateStore(() => clock.now().getTime())));
  afterAll(() => store.close());

  const screened = async (beacons: ReturnType<typeof toEnrichedBeacon>[], batchId: string) => {
    const counted = await countBatch(beacons, batchId, { state: store, rules, traffic, classifier, clock });
    return counted.map((c) => c.verdict.reason);
  };

  it('flags a crowd past the threshold and gives a redelivery the same verdicts', async () => {
    const crowd = [1, 2, 3, 4, 5].map((n) => toEnrichedBeacon(record(n, '73.15.1.1'), 'p1', clock.now().toISOString(), keyer, sharedIpLookup()));
    const expected = ['counted', 'counted', 'counted', 'household_volume', 'household_volume'];
    expect(await screened(crowd, 'crowd')).toEqual(expected);
    expect(await screened(crowd, 'crowd')).toEqual(expected);
  });

  it('keeps a server in a data centre apart, next to a home', async () => {
    const beacons = [toEnrichedBeacon(record(30, '65.21.1.1'), 'p1', clock.now().toISOString(), keyer, sharedIpLookup()), toEnrichedBeacon(record(31, '68.80.1.1'), 'p1', clock.now().toISOString(), keyer, sharedIpLookup())];
    expect(await screened(beacons, 'mixed')).toEqual(['datacenter', 'counted']);
  });
});
