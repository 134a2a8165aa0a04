import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBatch } from '../../../../shared/application/counting/count-batch.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { CountingEngine } from '../../../../shared/domain/counting/engine/counting-engine.ts';
import type { CountingRules } from '../../../../shared/domain/counting/prepare-request.ts';
import { computeBatchId, computeDeliveryDeltas } from '../../../../shared/domain/facts/delivery-deltas.ts';
import type { EnrichedBeacon } from '../../../../shared/contracts/schemas/beacon-message.ts';
import type { InsertedAd } from '../../../../shared/contracts/schemas/beacon-record.ts';
import { isAppleWatch } from '../../../../shared/domain/ua/classifier.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';
import { fixedClock } from '../../../support/fixtures.ts';

/*
 * Totals do not depend on the order records arrive in, nor on how they are cut into batches, nor
 * on records re-sent: the count function (on the in-memory state store) and the engine, fed the
 * same records shuffled and re-batched, give the same downloads, ads, ghost ads and first-seen
 * listeners. Calendar windows only: a rolling or extending window starts at its first request, so
 * there order is part of the rule (IAB v2.x §5.5.1), and records older than the open window are late.
 */

const classifier = loadDefaultClassifier();
const rules: CountingRules = { window: 'calendar', keepFirstTwoBytes: false };
const day = Date.parse('2026-11-16T00:00:00Z');

const placed = (ad_id: string, byte_start: number, ghost = false): InsertedAd => ({ ad_id, campaign_id: 'camp', creative_id: 'cr', byte_start, byte_end: byte_start + 99_999, ...(ghost ? { ghost } : {}) });
/** Served files of an episode: two with ads (one ad in both, in other places), one without, smaller. */
const files: Array<{ size: number; ads: InsertedAd[] }> = [
  { size: 60_000_000, ads: [placed('pre-a', 0), placed('mid-a', 30_000_000), placed('shared', 59_900_000)] },
  { size: 60_000_000, ads: [placed('shared', 0), placed('mid-b', 30_000_000), placed('ghost-b', 100_000, true)] },
  { size: 40_000_000, ads: [] },
];

const draw = fc.record({
  household: fc.constantFrom('household-aaaaaaaaaaaaaa', 'household-bbbbbbbbbbbbbb'),
  agent: fc.constantFrom('Overcast/3.0 (+http://overcast.fm/; iOS podcast app)', 'AppleCoreMedia/1.0.0.20G75 (iPhone; U; CPU OS 16_6 like Mac OS X; en_us)', 'Googlebot/2.1 (+http://www.google.com/bot.html)'),
  episode: fc.constantFrom('ep-1', 'ep-2', 'ep-3'),
  file: fc.integer({ min: 0, max: files.length - 1 }),
  day: fc.integer({ min: 0, max: 1 }),
  second: fc.integer({ min: 0, max: 86_399 }),
  range: fc.option(fc.tuple(fc.constantFrom(0, 100_000, 500_000, 1_000_000, 29_900_000, 59_800_000), fc.constantFrom(2, 150_000, 600_000, 1_500_000)), { nil: undefined }),
  kind: fc.constantFrom('download', 'download', 'download', 'download', 'head', 'impression'),
});
type Draw = typeof draw extends fc.Arbitrary<infer T> ? T : never;

function toBeacon(d: Draw, i: number): EnrichedBeacon {
  const file = files[d.file] as (typeof files)[number];
  const ts = new Date(day + (d.day * 86_400 + d.second) * 1000).toISOString();
  return {
    event_id: `ev-${i}`,
    type: d.kind === 'impression' ? 'impression' : 'download',
    ts,
    received_at: ts,
    platform: 'p1',
    show_id: d.episode === 'ep-3' ? 'show-2' : 'show-1',
    episode_id: d.episode,
    household_key: d.household,
    user_agent: d.agent,
    ...(d.kind === 'head' ? { method: 'HEAD' } : {}),
    ...(d.range ? { status: 206, range: `bytes=${d.range[0]}-${d.range[0] + d.range[1] - 1}` } : {}),
    file_size: file.size,
    duration_s: 3600,
    ...(file.ads.length ? { ads: file.ads } : {}),
  };
}

interface Totals {
  requests: number;
  bots: number;
  downloads: number;
  ads: number;
  ghosts: number;
  firstSeen: number;
}

/**
 * Uploads the batches in turn to the count function, each under its id as the handler computes
 * it, and sums the `delivery_deltas` rows deduplicated by key, as the warehouse does: a batch
 * given twice is a redelivery, and rewrites its rows.
 */
async function countTotals(batches: ReadonlyArray<readonly EnrichedBeacon[]>): Promise<Totals> {
  const deps = { state: new MemoryStateStore(() => fixedClock.now().getTime()), rules, classifier, clock: fixedClock };
  const rows = new Map<string, ReturnType<typeof computeDeliveryDeltas>[number]>();
  for (const batch of batches) {
    const id = computeBatchId(batch.map((r) => `${r.platform}/${r.event_id}`));
    for (const row of computeDeliveryDeltas(id, await countBatch(batch, id, deps))) rows.set(row.insert_id, row);
  }
  const totals: Totals = { requests: 0, bots: 0, downloads: 0, ads: 0, ghosts: 0, firstSeen: 0 };
  for (const row of rows.values()) {
    totals.requests += row.requests;
    totals.bots += row.bot_requests;
    totals.downloads += row.downloads;
    totals.ads += row.ads_delivered;
    totals.ghosts += row.ghost_ads_delivered;
    totals.firstSeen += row.listeners_first_seen;
  }
  return totals;
}

/** The engine over the records in turn; a re-sent record replays its verdict, so each event is summed once. */
function engineTotals(records: readonly EnrichedBeacon[]): Omit<Totals, 'requests' | 'bots'> {
  const engine = new CountingEngine(rules, (ua) => ({ bot: classifier.classify(ua).bot, appleWatch: isAppleWatch(ua) }));
  const seen = new Set<string>();
  const listenerDays = new Set<string>();
  const totals = { downloads: 0, ads: 0, ghosts: 0, firstSeen: 0 };
  for (const record of records) {
    const verdict = engine.count(record);
    if (seen.has(record.event_id)) continue;
    seen.add(record.event_id);
    totals.ads += verdict.ads_delivered.length;
    totals.ghosts += verdict.ghost_ads_delivered.length;
    if (!verdict.counted) continue;
    totals.downloads++;
    listenerDays.add([record.show_id, record.household_key, record.user_agent, record.ts.slice(0, 10)].join('\n'));
  }
  return { ...totals, firstSeen: listenerDays.size };
}

/** Cuts `records` into batches at the given sizes (the rest in a last one). */
function cut(records: readonly EnrichedBeacon[], sizes: readonly number[]): EnrichedBeacon[][] {
  const batches: EnrichedBeacon[][] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= records.length) break;
    batches.push(records.slice(at, at + size));
    at += size;
  }
  if (at < records.length) batches.push(records.slice(at));
  return batches;
}

const input = fc.record({
  draws: fc.array(draw, { minLength: 1, maxLength: 40 }),
  // A permutation by sort keys, batch sizes for each upload, and which records are re-sent.
  keys: fc.array(fc.double({ noNaN: true }), { minLength: 40, maxLength: 40 }),
  sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
  otherSizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
  resent: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
});

describe('totals independent of arrival order and batches (calendar windows)', () => {
  it('the count function and the engine agree on shuffled, re-batched and re-sent records', async () => {
    await fc.assert(
      fc.asyncProperty(input, async ({ draws, keys, sizes, otherSizes, resent }) => {
        const records = draws.map(toBeacon);
        const shuffled = records.map((r, i) => ({ r, key: keys[i] ?? 0 })).sort((a, b) => a.key - b.key).map(({ r }) => r);
        // The shuffled upload, then some records re-sent (copies) among them in other boundaries.
        const again = [...shuffled, ...records.filter((_, i) => resent[i]).map((r) => ({ ...r }))].reverse();

        const inOrder = await countTotals(cut(records, sizes));
        expect(await countTotals(cut(shuffled, otherSizes))).toEqual(inOrder);
        expect(await countTotals([...cut(shuffled, otherSizes), ...cut(again, sizes)])).toEqual(inOrder);
        // Every batch delivered twice, as Pub/Sub may: the same totals.
        expect(await countTotals([...cut(records, sizes), ...cut(records, sizes)])).toEqual(inOrder);

        const { requests: _requests, bots: _bots, ...counted } = inOrder;
        expect(engineTotals(records)).toEqual(counted);
        expect(engineTotals(again)).toEqual(counted);
      }),
      { numRuns: 150 },
    );
  });
});
