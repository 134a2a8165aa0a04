import { describe, expect, it } from 'vitest';
import { countBatch } from '../../../../shared/application/counting/count-batch.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { CountingRules } from '../../../../shared/domain/counting/prepare-request.ts';
import { householdDocVersion } from '../../../../shared/domain/counting/state/household-doc.ts';
import { readExposures } from '../../../../shared/domain/counting/state/read-exposures.ts';
import { computeHouseholdDocId, countingCollection } from '../../../../shared/domain/counting/state/state-ids.ts';
import { computeDeliveryDeltas } from '../../../../shared/domain/facts/delivery-deltas.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';
import { enrichedBeacon } from '../../../support/beacons.ts';
import { fixedClock } from '../../../support/fixtures.ts';
import { WatchedState } from '../../../support/watched-state.ts';

const classifier = loadDefaultClassifier();
const calendar: CountingRules = { window: 'calendar', keepFirstTwoBytes: false };
const ads = [
  { ad_id: 'pre-1', campaign_id: 'camp-1', creative_id: 'cr-1', advertiser_id: 'adv-1', byte_start: 0, byte_end: 99_999 },
  { ad_id: 'ghost-1', campaign_id: 'camp-2', creative_id: 'cr-2', byte_start: 100_000, byte_end: 199_999, ghost: true },
];

const summary = (results: Awaited<ReturnType<typeof countBatch>>) =>
  results.map((r) => ({ reason: r.verdict.reason, fresh: r.fresh, firstSeen: r.firstSeen, ads: r.verdict.ads_delivered }));

describe('countBatch with the state store', () => {
  const batch = [
    enrichedBeacon({ status: 206, range: 'bytes=0-499999', ads }),
    enrichedBeacon({ status: 206, range: 'bytes=500000-1999999', ads }),
    enrichedBeacon({ user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
    enrichedBeacon({ episode_id: 'ep-2', ts: '2026-11-16T09:00:00Z' }),
  ];

  it('counts in time order and gives a redelivered batch the same verdicts and contributions', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    const first = await countBatch(batch, 'batch-1', deps);
    expect(summary(first)).toEqual([
      { reason: 'below_minimum', fresh: true, firstSeen: false, ads: [] },
      { reason: 'counted', fresh: true, firstSeen: false, ads: ['pre-1'] },
      { reason: 'bot', fresh: true, firstSeen: false, ads: [] },
      { reason: 'counted', fresh: true, firstSeen: true, ads: [] },
    ]);
    const again = await countBatch(batch, 'batch-1', deps);
    expect(summary(again)).toEqual(summary(first));
    expect(computeDeliveryDeltas('batch-1', again)).toEqual(computeDeliveryDeltas('batch-1', first));
  });

  it('adds nothing for records re-sent in another batch', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    await countBatch(batch, 'batch-1', deps);
    const resent = await countBatch(batch.slice(0, 2), 'batch-2', deps);
    expect(resent.map((r) => [r.verdict.reason, r.fresh])).toEqual([
      ['duplicate_event', false],
      ['duplicate_event', false],
    ]);
    const deltas = computeDeliveryDeltas('batch-2', resent);
    expect(deltas.reduce((n, d) => n + d.downloads + d.ads_delivered + d.listeners_first_seen, 0)).toBe(0);
  });

  it('counts each event once in delivery_deltas, requests and bot requests included, whatever the batch boundaries', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    const records = [
      ...batch,
      enrichedBeacon({ method: 'HEAD' }),
      enrichedBeacon({ type: 'impression' }),
      enrichedBeacon({ range: 'bytes=0-1', status: 206 }),
      enrichedBeacon({ user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', episode_id: 'ep-2' }),
    ];
    const total = (rows: ReturnType<typeof computeDeliveryDeltas>) =>
      rows.reduce((t, d) => ({ requests: t.requests + d.requests, bots: t.bots + d.bot_requests, downloads: t.downloads + d.downloads, ads: t.ads + d.ads_delivered }), { requests: 0, bots: 0, downloads: 0, ads: 0 });
    const upload = async (batches: Array<typeof records>, prefix: string) => {
      const rows = [];
      for (const [i, b] of batches.entries()) rows.push(...computeDeliveryDeltas(`${prefix}-${i}`, await countBatch(b, `${prefix}-${i}`, deps)));
      return total(rows);
    };
    expect(await upload([records.slice(0, 4), records.slice(4)], 'first')).toEqual({ requests: 8, bots: 2, downloads: 2, ads: 1 });
    // Re-uploaded in other boundaries, and once more as one batch: every record is a duplicate.
    expect(await upload([records.slice(0, 2), records.slice(2, 6), records.slice(6)], 'again')).toEqual({ requests: 0, bots: 0, downloads: 0, ads: 0 });
    const resent = await countBatch(records, 'whole', deps);
    expect(resent.map((r) => r.verdict.reason)).toEqual(records.map(() => 'duplicate_event'));
    expect(computeDeliveryDeltas('whole', resent)).toEqual([]);
  });

  it('takes an event twice in one batch once, and a redelivery of that batch gives the same rows', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    const bot = enrichedBeacon({ user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    const whole = enrichedBeacon();
    const twice = [whole, bot, { ...bot }, { ...whole }];
    const first = await countBatch(twice, 'b', deps);
    expect(first.map((r) => [r.verdict.reason, r.fresh])).toEqual([
      ['counted', true],
      ['bot', true],
      ['duplicate_event', false],
      ['duplicate_event', false],
    ]);
    const rows = computeDeliveryDeltas('b', first);
    const sum = (key: 'requests' | 'bot_requests' | 'downloads') => rows.reduce((n, r) => n + r[key], 0);
    expect([sum('requests'), sum('bot_requests'), sum('downloads')]).toEqual([2, 1, 1]);
    expect(computeDeliveryDeltas('b', await countBatch(twice, 'b', deps))).toEqual(rows);
  });

  it('dedupes late records of a rolling window across batches', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: { window: 'rolling', keepFirstTwoBytes: false } as const, classifier, clock: fixedClock };
    await countBatch([enrichedBeacon({ ts: '2026-11-16T10:00:00Z' })], 'open', deps);
    const late = enrichedBeacon({ ts: '2026-11-16T09:00:00Z' });
    const reasons = async (id: string) => (await countBatch([late], id, deps)).map((r) => [r.verdict.reason, r.fresh]);
    expect(await reasons('late')).toEqual([['late_event', true]]);
    expect(await reasons('late')).toEqual([['late_event', true]]);
    expect(await reasons('other')).toEqual([['duplicate_event', false]]);
  });

  it('records each exposure once, ghost ones flagged, with the agent hash', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    await countBatch(batch, 'batch-1', deps);
    await countBatch(batch, 'batch-1', deps);
    const exposures = (await readExposures(state, ['household-aaaaaaaaaaaaa'], fixedClock.now())).get('household-aaaaaaaaaaaaa');
    expect(exposures?.map((x) => [x.ad_id, x.campaign_id, x.ghost, x.advertiser_id])).toEqual([
      ['pre-1', 'camp-1', false, 'adv-1'],
      ['ghost-1', 'camp-2', true, undefined],
    ]);
  });

  it('keeps exposures in time order, and a late upload of an old request never shortens their life', async () => {
    let now = fixedClock.now().getTime();
    const state = new MemoryStateStore(() => now);
    const deps = { state, rules: calendar, classifier, clock: fixedClock };
    const whole = { ads: [ads[0] as (typeof ads)[number]] };
    await countBatch([enrichedBeacon({ ...whole, episode_id: 'new', ts: '2026-11-16T10:00:00Z' })], 'b1', deps);
    await countBatch([enrichedBeacon({ ...whole, episode_id: 'old', ts: '2026-11-10T10:00:00Z' })], 'b2', deps);
    const read = async () => (await state.getMany<{ x: Array<{ ts: number }> }>(countingCollection, [computeHouseholdDocId('household-aaaaaaaaaaaaa')]))[0];
    expect((await read())?.x.map((x) => new Date(x.ts * 1000).toISOString())).toEqual(['2026-11-10T10:00:00.000Z', '2026-11-16T10:00:00.000Z']);
    // 91 days after the old request, the newer exposure is still inside its lookback.
    now = Date.parse('2026-11-10T10:00:00Z') + 92 * 86_400_000;
    expect(await read()).toBeDefined();
    now = Date.parse('2026-11-16T10:00:00Z') + 92 * 86_400_000;
    expect(await read()).toBeUndefined();
  });

  it('counts a listener once per show and day as first seen', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const results = await countBatch(
      [enrichedBeacon({ episode_id: 'a' }), enrichedBeacon({ episode_id: 'b' }), enrichedBeacon({ episode_id: 'c', show_id: 'show-2' })],
      'b',
      { state, rules: calendar, classifier, clock: fixedClock },
    );
    expect(results.map((r) => [r.verdict.reason, r.firstSeen])).toEqual([
      ['counted', true],
      ['counted', false],
      ['counted', true],
    ]);
  });

  it('replays a batch that replaced its listener\'s window twice, ads included', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: { window: 'extending', keepFirstTwoBytes: false } as const, classifier, clock: fixedClock };
    const days = ['2026-11-14T10:00:00Z', '2026-11-15T11:00:00Z', '2026-11-16T12:00:00Z'].map((ts) => enrichedBeacon({ ts, ads }));
    const first = await countBatch(days, 'three-days', deps);
    expect(summary(first).map((r) => [r.reason, r.ads])).toEqual([['counted', ['pre-1']], ['counted', ['pre-1']], ['counted', ['pre-1']]]);
    expect(first.map((r) => r.verdict.ghost_ads_delivered)).toEqual([['ghost-1'], ['ghost-1'], ['ghost-1']]);
    expect(await countBatch(days, 'three-days', deps)).toEqual(first);
    expect((await countBatch(days.slice(0, 1), 'resent', deps)).map((r) => r.verdict.reason)).toEqual(['duplicate_event']);
  });

  it("continues a rolling window across the month boundary under last month's key", async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: { window: 'rolling', keepFirstTwoBytes: false } as const, classifier, clock: fixedClock };
    await countBatch([enrichedBeacon({ ts: '2026-11-30T23:00:00Z', household_key: 'nov-key-aaaaaaaaaaaaaa' })], 'n', deps);
    const december = enrichedBeacon({ ts: '2026-12-01T01:00:00Z', household_key: 'dec-key-aaaaaaaaaaaaaa', household_key_prev: 'nov-key-aaaaaaaaaaaaaa' });
    expect((await countBatch([december], 'd', deps))[0]?.verdict.reason).toBe('already_counted');
  });

  it("carries an extending window over to this month's key, past the first day of the month", async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const deps = { state, rules: { window: 'extending', keepFirstTwoBytes: false } as const, classifier, clock: fixedClock };
    const [nov, dec] = ['nov-key-aaaaaaaaaaaaaa', 'dec-key-aaaaaaaaaaaaaa'];
    await countBatch([enrichedBeacon({ ts: '2026-11-30T23:00:00Z', household_key: nov })], 'n', deps);
    // Only the first day of December brings November's key along; each request extends the window.
    const firstDay = [enrichedBeacon({ ts: '2026-12-01T20:00:00Z', household_key: dec, household_key_prev: nov })];
    const later = [enrichedBeacon({ ts: '2026-12-02T19:00:00Z', household_key: dec }), enrichedBeacon({ ts: '2026-12-03T18:00:00Z', household_key: dec })];
    const reasons = async (batch: typeof later, id: string) => (await countBatch(batch, id, deps)).map((r) => r.verdict.reason);
    expect(await reasons(firstDay, 'd1')).toEqual(['already_counted']);
    expect(await reasons(later, 'd2')).toEqual(['already_counted', 'already_counted']);
    // Redelivered, the first day's batch gets its verdict again from the carried window.
    expect(await reasons(firstDay, 'd1')).toEqual(['already_counted']);
  });

  it('handles a batch spread over many transactions', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const transactions: number[] = [];
    const counted = new WatchedState(state, (ids) => transactions.push(ids.length));
    const many = Array.from({ length: 1000 }, (_, i) => enrichedBeacon({ household_key: `household-${String(i).padStart(13, '0')}` }));
    const results = await countBatch(many, 'big', { state: counted, rules: calendar, classifier, clock: fixedClock });
    expect(results.filter((r) => r.verdict.counted)).toHaveLength(1000);
    // A household document each, at most 300 a transaction.
    expect(transactions).toEqual([300, 300, 300, 100]);
    expect(await countBatch(many, 'big', { state: counted, rules: calendar, classifier, clock: fixedClock })).toEqual(results);
  });

  it('reads and writes one document per household of a batch, in one transaction', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const reads: string[][] = [];
    const writes: string[][] = [];
    const watched = new WatchedState(state, (ids, written) => {
      reads.push([...ids]);
      writes.push([...written]);
    });
    const two = [...batch, enrichedBeacon({ household_key: 'household-bbbbbbbbbbbbb', episode_id: 'ep-3' })];
    await countBatch(two, 'b', { state: watched, rules: calendar, classifier, clock: fixedClock });
    const households = [computeHouseholdDocId('household-aaaaaaaaaaaaa'), computeHouseholdDocId('household-bbbbbbbbbbbbb')];
    expect(reads).toEqual([households]);
    expect(writes).toEqual([households]);
    // A redelivery changes nothing, so it writes nothing.
    await countBatch(two, 'b', { state: watched, rules: calendar, classifier, clock: fixedClock });
    expect(writes[1]).toEqual([]);
  });

  it('credits a second file of the same day only with the ads its own bytes carried', async () => {
    const placed = (id: string, start: number) => ({ ad_id: id, campaign_id: 'c', creative_id: 'x', byte_start: start, byte_end: start + 99_999 });
    const fileA = [placed('a-pre', 0), placed('a-mid', 30_000_000), placed('a-post', 59_900_000)];
    const fileB = [placed('b-pre', 0), placed('b-mid', 30_000_000), placed('b-post', 59_900_000)];
    const whole = enrichedBeacon({ ads: fileA });
    const partial = enrichedBeacon({ ads: fileB, status: 206, range: 'bytes=0-1999999', ts: '2026-11-16T11:00:00Z' });
    for (const batches of [[[whole, partial]], [[whole], [partial]], [[partial], [whole]]]) {
      const state = new MemoryStateStore(() => fixedClock.now().getTime());
      const deps = { state, rules: calendar, classifier, clock: fixedClock };
      const delivered = [];
      for (const [i, b] of batches.entries()) delivered.push(...(await countBatch(b, `b${i}`, deps)).flatMap((r) => r.verdict.ads_delivered));
      expect(delivered.sort()).toEqual(['a-mid', 'a-post', 'a-pre', 'b-pre']);
    }
  });

  it('refuses a household document of an unknown version, naming it', async () => {
    const state = new MemoryStateStore(() => fixedClock.now().getTime());
    const id = computeHouseholdDocId('household-aaaaaaaaaaaaa');
    await state.createIfAbsent(countingCollection, id, { v: householdDocVersion + 1, w: {}, l: {}, x: [] });
    await expect(countBatch(batch, 'b', { state, rules: calendar, classifier, clock: fixedClock })).rejects.toThrow(`household document ${id} has version ${householdDocVersion + 1}`);
  });
});
