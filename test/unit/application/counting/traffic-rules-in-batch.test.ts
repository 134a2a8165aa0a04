import { describe, expect, it } from 'vitest';
import { countBatch } from '../../../../shared/application/counting/count-batch.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { CountingRules } from '../../../../shared/domain/counting/prepare-request.ts';
import { computeDeliveryDeltas } from '../../../../shared/domain/facts/delivery-deltas.ts';
import type { EnrichedBeacon } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { computeTrafficRules } from '../../../../shared/domain/traffic/traffic-rules.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';
import { enrichedBeacon } from '../../../support/beacons.ts';
import { fixedClock } from '../../../support/fixtures.ts';

const classifier = loadDefaultClassifier();
const calendar: CountingRules = { window: 'calendar', keepFirstTwoBytes: false };
const traffic = computeTrafficRules({ household_episode_max: 2, burst_episodes_max: 3 });

async function count(state: MemoryStateStore, batch: EnrichedBeacon[], id: string) {
  return countBatch(batch, id, { state, rules: calendar, traffic, classifier, clock: fixedClock });
}
const reasons = (counted: Awaited<ReturnType<typeof count>>) => counted.map((c) => c.verdict.reason);

describe('the data-centre and volume rules in countBatch (the count function)', () => {
  // Four listeners (User-Agents) of one household, one episode, one day.
  const crowd = [1, 2, 3, 4].map((n) => enrichedBeacon({ event_id: `crowd-${n}`, user_agent: `Overcast/3.${n}`, ts: `2026-11-16T10:0${n}:00Z` }));

  it('flags the downloads past the household threshold, in time order', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    expect(reasons(await count(state, [...crowd].reverse(), 'b1'))).toEqual(['household_volume', 'household_volume', 'counted', 'counted']);
  });

  it('gives a redelivered batch the same verdicts and deltas', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const first = await count(state, crowd, 'b1');
    const again = await count(state, crowd, 'b1');
    expect(reasons(again)).toEqual(reasons(first));
    expect(computeDeliveryDeltas('b1', again)).toEqual(computeDeliveryDeltas('b1', first));
  });

  it('keeps the verdicts when the same requests come in several batches', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const split = [...reasons(await count(state, crowd.slice(0, 3), 'b1')), ...reasons(await count(state, crowd.slice(3), 'b2'))];
    expect(split).toEqual(['counted', 'counted', 'household_volume', 'household_volume']);
    // Each a duplicate now: it adds nothing, whatever its first verdict was.
    expect(reasons(await count(state, crowd, 'b3'))).toEqual(['duplicate_event', 'duplicate_event', 'duplicate_event', 'duplicate_event']);
  });

  it('flags a burst across episodes and counts it apart in the deltas', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const burst = [1, 2, 3, 4, 5].map((n) => enrichedBeacon({ event_id: `burst-${n}`, episode_id: `ep-${n}`, ts: `2026-11-16T10:0${n}:00Z` }));
    const counted = await count(state, burst, 'b1');
    expect(reasons(counted)).toEqual(['counted', 'counted', 'counted', 'address_burst', 'address_burst']);
    const rows = computeDeliveryDeltas('b1', counted);
    expect(rows.reduce((n, r) => n + r.downloads, 0)).toBe(3);
    expect(rows.reduce((n, r) => n + (r.anomalous_requests ?? 0), 0)).toBe(2);
    // One show: the first counted download is the listener's first of the day, the flagged ones are none.
    expect(counted.map((c) => c.firstSeen)).toEqual([true, false, false, false, false]);
  });

  it('sets data-centre traffic apart before the volume rules, and not allow-listed apps', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const batch = [
      enrichedBeacon({ event_id: 'dc-1', datacenter: 'Hetzner', household_key: 'server-aaaaaaaaaaaaaaaa' }),
      enrichedBeacon({ event_id: 'dc-bot', datacenter: 'Hetzner', household_key: 'server-aaaaaaaaaaaaaaaa', user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
      enrichedBeacon({ event_id: 'home', household_key: 'home-aaaaaaaaaaaaaaaaaa' }),
    ];
    const counted = await count(state, batch, 'b1');
    expect(reasons(counted)).toEqual(['datacenter', 'bot', 'counted']);
    const rows = computeDeliveryDeltas('b1', counted);
    expect(rows.reduce((n, r) => n + (r.datacenter_requests ?? 0), 0)).toBe(1);
    expect(rows.reduce((n, r) => n + r.downloads, 0)).toBe(1);
  });

  it('decides a household larger than one transaction over several, in order', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const wide = computeTrafficRules({ household_episode_max: 1, burst_episodes_max: 200, burst_window_s: 86_400 });
    const many = Array.from({ length: 400 }, (_, n) => enrichedBeacon({ event_id: `w-${n}`, episode_id: `ep-${n}`, ts: new Date(Date.parse('2026-11-16T00:00:00Z') + n * 1000).toISOString() }));
    const counted = await countBatch(many, 'big', { state, rules: calendar, traffic: wide, classifier, clock: fixedClock });
    expect(counted.filter((c) => c.verdict.reason === 'counted')).toHaveLength(200);
    expect(counted.slice(200).every((c) => c.verdict.reason === 'address_burst')).toBe(true);
  });
});
