import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchBatchIntake } from './batch-intake.bench.ts';
import { benchCloudPath, benchCloudRedirect } from './cloud-path.bench.ts';
import { benchColdStart, benchFirstRequest } from './cold-start.bench.ts';
import { benchCountingEngine } from './counting-engine.bench.ts';
import { benchEndToEnd } from './end-to-end.bench.ts';
import { benchFreshness } from './freshness.bench.ts';
import { benchGeoLookup } from './geo-lookup.bench.ts';
import { benchIngest, benchLogDecoders } from './log-intake.bench.ts';
import { pinSelf } from './load/child-server.ts';
import { benchPipelineUsage } from './pipeline-usage.bench.ts';
import { benchPixelIntake } from './pixel-intake.bench.ts';
import { report, type BenchResult } from './report.ts';

// `npm run bench [-- --only pixel,batch,freshness,cloud,redirect,...]` (a partial run writes results/partial.json): every benchmark, as ratios against baselines
// measured in the same run; about 8 minutes (the cloud path starts the emulators). EARSHOT_BENCH_FULL=1 runs the full sizes (1,000,000
// simulated beacons end to end, 10 s load runs), about 15 minutes.
const full = process.env.EARSHOT_BENCH_FULL === '1';
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only?.split(',');
const load = { connections: 50, pipelining: 1, durationS: full ? 10 : 5 };
// Intake runs in alternating rounds of shorter runs: the median of several says more than one long run.
const rounds = { ...load, durationS: full ? 5 : 3, rounds: full ? 9 : 5 };

const benches: Array<[string, () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['counting', () => benchCountingEngine(1_000_000)],
  ['usage', () => benchPipelineUsage(full ? 50 : 10)],
  ['pixel', () => benchPixelIntake(rounds)],
  ['batch', () => benchBatchIntake(rounds)],
  ['cold', async () => [...benchColdStart(full ? 9 : 5), ...(await benchFirstRequest(full ? 9 : 5))]],
  ['e2e', () => benchEndToEnd(full ? 1_000_000 : 50_000)],
  ['geo', () => benchGeoLookup(full ? 500_000 : 100_000)],
  ['freshness', () => benchFreshness({ seconds: full ? 30 : 10 })],
  ['cloud', () => benchCloudPath({ ...load, rounds: full ? 7 : 3, freshnessSeconds: full ? 30 : 10 })],
  // The cloud path's redirect alone (part of `cloud`): `--only redirect`.
  ['redirect', () => (only?.includes('redirect') ? benchCloudRedirect({ ...load, rounds: full ? 7 : 5, freshnessSeconds: 0 }) : [])],
  ['decoders', () => benchLogDecoders(full ? 500_000 : 100_000)],
  ['ingest', () => benchIngest(full ? 500_000 : 100_000)],
];

// The load generator gets one core, every server under test the other (load/servers.ts).
pinSelf(1);
const results: BenchResult[] = [];
for (const [name, bench] of benches) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  results.push(...(await bench()));
  console.error(`${name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
// A partial run keeps the last complete results, which the cost model reads.
const file = only ? 'partial' : full ? 'full' : 'latest';
report(results, fileURLToPath(new URL(`results/${file}.json`, import.meta.url)));
