import { CountingEngine } from '../../shared/domain/counting/engine/counting-engine.ts';
import type { CountableRecord } from '../../shared/domain/counting/prepare-request.ts';
import { isAppleWatch } from '../../shared/domain/ua/classifier.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import type { BenchResult } from './report.ts';
import { generateTraffic } from './traffic.ts';

const gcOnce = (globalThis as { gc?: () => void }).gc;
// One call may leave old-generation garbage; a few make heap readings stable.
const gc = gcOnce && (() => [1, 2, 3].forEach(() => gcOnce()));

function newEngine(): CountingEngine {
  const classifier = loadDefaultClassifier();
  return new CountingEngine({ window: 'calendar', keepFirstTwoBytes: false }, (ua) => ({ bot: classifier.classify(ua).bot, appleWatch: isAppleWatch(ua) }));
}

/**
 * Records per second of one pass, best of `rounds` after one pass untimed: the first pass pays for
 * compiling the code and for the pages the heap first takes from the system, which a long-running
 * counter pays once.
 */
function bestRate(records: readonly CountableRecord[], rounds: number, pass: () => (r: CountableRecord) => unknown): number {
  let best = 0;
  for (let round = -1; round < rounds; round++) {
    // The last round's windows are garbage now: collect them before timing, not during.
    gc?.();
    const step = pass();
    const started = process.hrtime.bigint();
    for (const record of records) step(record);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (round >= 0) best = Math.max(best, records.length / seconds);
  }
  return best;
}

/**
 * The counting engine on one core, against a baseline in the same run: the least any counter must
 * do per record, one Map read and write keyed by listener. Also the memory an open listener window
 * costs, from the heap and array buffers before and after filling windows (needs `--expose-gc`).
 */
export function benchCountingEngine(size: number): BenchResult[] {
  const records = generateTraffic(size, Math.floor(size / 1.6));
  const baseline = bestRate(records, 3, () => {
    const seen = new Map<string, number>();
    return (r) => seen.set(r.household_key, (seen.get(r.household_key) ?? 0) + 1);
  });
  const engine = bestRate(records, 3, () => {
    const e = newEngine();
    return (r) => e.count(r);
  });
  // The window index is a typed array outside the JavaScript heap: count those bytes too.
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  gc?.();
  const before = used();
  const filled = newEngine();
  for (const record of records) filled.count(record);
  gc?.();
  const bytesPerWindow = (used() - before) / filled.openWindows;
  // Keep the input alive until the heap was read, or its collection would hide the windows' cost.
  if (records.length === 0) throw new Error('no traffic');
  return [
    { name: 'counting engine: records/s on one core', value: engine, unit: 'records/s', baseline, baselineName: 'Map get+set per record', goal: { atLeast: 1_000_000 } },
    { name: 'counting engine: memory per open listener window', value: bytesPerWindow, unit: 'bytes', goal: { atMost: 200 }, note: `${filled.openWindows} windows${gc ? '' : ' (run with --expose-gc for an exact figure)'}` },
  ];
}
