import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBatch, type CountedRequest } from '../../../../shared/application/counting/count-batch.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { CountingEngine } from '../../../../shared/domain/counting/engine/counting-engine.ts';
import { applyToWindow } from '../../../../shared/domain/counting/listener-window.ts';
import { isVerdict, prepareRequest, type CountableRecord, type CountingRules } from '../../../../shared/domain/counting/prepare-request.ts';
import type { ListenerWindow } from '../../../../shared/domain/counting/state/window-format.ts';
import { anyDay, computeWindowKey } from '../../../../shared/domain/counting/state/window-key.ts';
import type { Verdict } from '../../../../shared/domain/counting/verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds, type WindowMode } from '../../../../shared/domain/counting/windows.ts';
import type { EnrichedBeacon } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';
import { screenDatacenter } from '../../../../shared/domain/traffic/datacenter-rule.ts';
import { computeTrafficRules } from '../../../../shared/domain/traffic/traffic-rules.ts';
import { VolumeTallies } from '../../../../shared/domain/traffic/volume-anomalies.ts';

const judge = (ua: string) => ({ bot: /bot/i.test(ua), appleWatch: ua.startsWith('atc/') });

/**
 * The rules as plainly as they can be run: every window an array in a map by its full key, every
 * request through `applyToWindow`. Both ways the rules run must give exactly these verdicts: the
 * engine's packed windows, index and in-place steps (`earshot count`, benchmarks), and the count
 * function's batches over household documents in a state store (`count`, `earshot start`).
 */
class ReferenceCounter {
  readonly windows = new Map<string, ListenerWindow>();
  constructor(readonly rules: CountingRules) {}

  count(record: CountableRecord): Verdict {
    const request = prepareRequest(record, judge(record.user_agent), this.rules);
    if (isVerdict(request)) return request;
    const mode = this.rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : anyDay;
    const key = (householdKey: string) => computeWindowKey({ platform: record.platform, householdKey, userAgent: record.user_agent, episodeId: record.episode_id, day });
    const own = key(record.household_key);
    let window = this.windows.get(own);
    let carried = false;
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      window = this.windows.get(key(record.household_key_prev));
      carried = window !== undefined;
    }
    const outcome = applyToWindow(mode, window, request);
    if (outcome.window !== window || carried) this.windows.set(own, outcome.window);
    return outcome.verdict;
  }

  forgetBefore(ts: number): number {
    let forgotten = 0;
    for (const [key, [start = 0, last = 0]] of this.windows) {
      if (computeWindowExpiry(this.rules.window, start, last) - daySeconds >= ts) continue;
      this.windows.delete(key);
      forgotten++;
    }
    return forgotten;
  }
}

const base = Date.parse('2026-11-16T00:00:00Z');
const ad = (id: string, start: number, ghost: boolean) => ({ ad_id: id, campaign_id: 'c', creative_id: 'x', byte_start: start, byte_end: start + 99_999, ghost });

const record = fc.record({
  household: fc.constantFrom('h1', 'h2', 'h3'),
  previous: fc.option(fc.constantFrom('h0', 'h1'), { nil: undefined }),
  agent: fc.constantFrom('Overcast/3.0', 'AppleCoreMedia/1.0', 'Googlebot/2.1'),
  episode: fc.constantFrom('e1', 'e2'),
  // A small pool of ids, so records repeat (redeliveries) and sometimes collide in content.
  id: fc.integer({ min: 0, max: 40 }),
  seconds: fc.integer({ min: 0, max: 3 * daySeconds }),
  start: fc.constantFrom(0, 1, 400_000, 1_000_000, 2_000_000, 30_000_000),
  length: fc.constantFrom(2, 500_000, 1_000_000, 5_000_000, 60_000_000),
  ranged: fc.boolean(),
  // Arrangements (served files): two sizes, and any set of the ads, in either order.
  size: fc.constantFrom(60_000_000, 40_000_000),
  ads: fc.subarray([ad('pre', 0, false), ad('mid', 1_500_000, false), ad('ghost', 100_000, true)]),
  reversed: fc.boolean(),
  forget: fc.integer({ min: 0, max: 30 }),
});

type RecordDraw = typeof record extends fc.Arbitrary<infer T> ? T : never;

function toRecord(r: RecordDraw): CountableRecord {
  return {
    event_id: `ev-${r.id}`,
    type: 'download',
    ts: new Date(base + r.seconds * 1000).toISOString(),
    platform: 'p',
    episode_id: r.episode,
    household_key: r.household,
    ...(r.previous === undefined ? {} : { household_key_prev: r.previous }),
    user_agent: r.agent,
    ...(r.ranged ? { status: 206, range: `bytes=${r.start}-${r.start + r.length - 1}` } : {}),
    file_size: r.size,
    duration_s: 3600,
    ...(r.ads.length ? { ads: r.reversed ? [...r.ads].reverse() : r.ads } : {}),
  };
}

const classifier = loadDefaultClassifier();
// One household behind a hosting network (an address is one or the other), and thresholds low
// enough for the draws to cross them.
const toBeacon = (r: CountableRecord): EnrichedBeacon => ({ ...r, show_id: 's', received_at: r.ts, ...(r.household_key === 'h3' ? { datacenter: 'Hetzner' } : {}) }) as EnrichedBeacon;
const traffic = computeTrafficRules({ household_episode_max: 1, burst_episodes_max: 1, burst_window_s: 43_200 });

/** The plain rules followed by the data-centre and volume rules, as `earshot count` applies them. */
class ScreenedReference {
  readonly windows: ReferenceCounter;
  readonly tallies = new VolumeTallies(traffic);
  constructor(rules: CountingRules) {
    this.windows = new ReferenceCounter(rules);
  }

  count(beacon: EnrichedBeacon): Verdict {
    const windowed = screenDatacenter(this.windows.count(beacon), beacon.datacenter, classifier.classify(beacon.user_agent).name, traffic);
    return windowed.counted ? this.tallies.screen(windowed, { ...beacon, ts: Date.parse(beacon.ts) / 1000 }) : windowed;
  }
}

describe('the count function against the plain rules', () => {
  for (const window of ['calendar', 'rolling', 'extending'] as WindowMode[]) {
    it(`${window}: same verdicts over batches of household documents, data-centre and volume rules included, and a redelivered batch gets them again`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(record, fc.integer({ min: 1, max: 8 }), fc.boolean()), { maxLength: 60 }), async (draws) => {
          const rules = { window, keepFirstTwoBytes: false };
          const reference = new ScreenedReference(rules);
          const deps = { state: new MemoryStateStore(() => base), rules, traffic, classifier, clock: { now: () => new Date(base) } };
          // Unique event ids: the count function takes a record re-sent in another batch as a duplicate, the plain rules replay it.
          const beacons = draws.map(([r], i) => toBeacon({ ...toRecord(r), event_id: `ev-${i}` }));
          const verdicts = (counted: CountedRequest[]) => counted.map((c) => c.verdict);
          for (let from = 0, n = 0; from < beacons.length; n++) {
            const [, size, redeliver] = draws[from]!;
            const batch = beacons.slice(from, from + size);
            from += size;
            const counted = await countBatch(batch, `batch-${n}`, deps);
            // The function takes a batch in time order, then position.
            const inOrder = batch.map((b, i) => i).sort((a, b) => Date.parse(batch[a]!.ts) - Date.parse(batch[b]!.ts) || a - b);
            const expected: Verdict[] = new Array<Verdict>(batch.length);
            for (const i of inOrder) expected[i] = reference.count(batch[i]!);
            expect(verdicts(counted)).toEqual(expected);
            if (redeliver) expect(verdicts(await countBatch(batch, `batch-${n}`, deps))).toEqual(expected);
          }
        }),
        { numRuns: 150 },
      );
    }, 30_000);
  }
});

describe('the counting engine against the plain rules', () => {
  for (const window of ['calendar', 'rolling', 'extending'] as WindowMode[]) {
    it(`${window}: same verdicts and the same forgetting, record by record`, () => {
      fc.assert(
        fc.property(fc.array(record, { maxLength: 120 }), (records) => {
          const rules = { window, keepFirstTwoBytes: false };
          const engine = new CountingEngine(rules, judge);
          const reference = new ReferenceCounter(rules);
          for (const r of records) {
            const input = toRecord(r);
            expect(engine.count(input)).toEqual(reference.count(input));
            if (r.forget === 0) {
              const ts = (base + r.seconds * 1000) / 1000;
              expect(engine.forgetBefore(ts)).toBe(reference.forgetBefore(ts));
            }
          }
          expect(engine.openWindows).toBe(reference.windows.size);
        }),
        { numRuns: 400 },
      );
    }, 30_000);
  }

  it('keeps counting through compactions and a window longer than a chunk', () => {
    const rules: CountingRules = { window: 'calendar', keepFirstTwoBytes: false };
    const engine = new CountingEngine(rules, judge);
    const reference = new ReferenceCounter(rules);
    // 7,500 small requests with gaps between them by one listener (a window past a chunk's 8,192
    // numbers each day), among 7,500 others over two days, forgetting as it goes; each grown window
    // leaves its old copy for compaction.
    for (let i = 0; i < 15_000; i++) {
      const heavy = i % 2 === 0;
      const input: CountableRecord = {
        event_id: `ev-${i}`,
        type: 'download',
        ts: new Date(base + i * 12_000).toISOString(),
        platform: 'p',
        episode_id: heavy ? 'long' : `e${i % 50}`,
        household_key: heavy ? 'heavy' : `h${Math.floor(i / 7) % 900}`,
        user_agent: 'Overcast/3.0',
        status: 206,
        range: heavy ? `bytes=${i * 10}-${i * 10 + 9}` : `bytes=${(i % 3) * 1_000_000}-${(i % 3) * 1_000_000 + 999_999}`,
        file_size: 60_000_000,
        duration_s: 3600,
      };
      expect(engine.count(input)).toEqual(reference.count(input));
      if (i % 1000 === 999) expect(engine.forgetBefore(base / 1000 + i * 12 - daySeconds)).toBe(reference.forgetBefore(base / 1000 + i * 12 - daySeconds));
    }
    expect(engine.openWindows).toBe(reference.windows.size);
    // 15,000 records through both: seconds alone, more on a machine shared with other runs.
  }, 30_000);
});
