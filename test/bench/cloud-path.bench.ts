import { cloudTarget } from './cloud/cloud-target.ts';
import { startCloudStack, type CloudStack } from './cloud/cloud-stack.ts';
import { freshnessResults } from './freshness.bench.ts';
import { measureCapacity, measureFreshness, sendAndWait } from './freshness/freshness-driver.ts';
import { BeaconProbes, ConversionProbes, exposureBeacons } from './freshness/probe-traffic.ts';
import type { ChildServer } from './load/child-server.ts';
import { measureLoadOnce, warmUp, type LoadRequest, type LoadResult, type LoadSettings } from './load/load.ts';
import { startBare302 } from './load/servers.ts';
import type { BenchResult } from './report.ts';
import { computeSpread, median } from './stats.ts';

const redirectPath = '/beacon/e/dts.example.com/shows/bench/episode-1.mp3';
const agent = { 'user-agent': 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)' };

export interface CloudPathSettings extends LoadSettings {
  /** Alternating rounds of the redirect against the bare 302 at half the redirect's capacity. */
  rounds: number;
  /** Seconds of load for the pipeline's capacity and for its freshness. */
  freshnessSeconds: number;
}

async function loadOnce(request: LoadRequest, settings: LoadSettings, server: ChildServer): Promise<LoadResult> {
  // A 302 is not 2xx to autocannon: failures here are errors and timeouts only.
  const result = await measureLoadOnce(request, settings);
  if (result.failures > result.redirects) throw new Error(`${server.url}: ${result.failures - result.redirects} failed requests under load\n${server.output().slice(-2000)}`);
  return result;
}

/**
 * The prefix redirect on the cloud path: the beacon function under functions-framework, its
 * beacon published to the Pub/Sub emulator before the 302. Capacity first (closed loop, the
 * standard connections), then alternating rounds at half of it against bare node:http answering
 * the same 302 at the same rate; the figure is the median p99 over the rounds.
 */
async function benchRedirect(stack: CloudStack, settings: CloudPathSettings): Promise<BenchResult[]> {
  const beacon = stack.functions.beacon;
  const bare = await startBare302();
  try {
    const redirect: LoadRequest = { url: beacon.url + redirectPath, headers: agent };
    await warmUp(redirect, settings);
    const capacity = (await loadOnce(redirect, settings, beacon)).redirectRate;
    const half = { rate: Math.max(1, Math.round(capacity / 2)) };
    const bareRequest: LoadRequest = { url: bare.url + redirectPath, headers: agent, ...half };
    await warmUp(bareRequest, settings);
    const p99s = { bare: [] as number[], redirect: [] as number[] };
    const p50s = { bare: [] as number[], redirect: [] as number[] };
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'redirect'] as const) : (['redirect', 'bare'] as const);
      for (const which of order) {
        const result = which === 'bare' ? await loadOnce(bareRequest, settings, bare) : await loadOnce({ ...redirect, ...half }, settings, beacon);
        p99s[which].push(result.p99Ms);
        p50s[which].push(result.p50Ms);
      }
    }
    const spread = computeSpread(p99s.redirect);
    return [
      { name: 'redirect: cloud path capacity GET /beacon/e/... (publish to the Pub/Sub emulator, then 302)', value: capacity, unit: 'req/s', note: `${settings.connections} connections, closed loop` },
      {
        name: 'redirect: cloud path p99 at half capacity',
        value: spread.median,
        unit: 'ms',
        baseline: median(p99s.bare),
        baselineName: 'bare node:http 302 p99 at the same rate',
        goal: { atMost: 50 },
        note: `p99 ${spread.min}-${spread.max} ms over ${spread.runs} alternating runs at ${half.rate} req/s; p50 ${median(p50s.redirect)} ms (bare ${median(p50s.bare)} ms)`,
      },
    ];
  } finally {
    await bare.stop();
  }
}

/** Freshness on the emulators, as `benchFreshness` measures `earshot start`; a row counts when its insert call reaches BigQuery. */
async function benchCloudFreshness(stack: CloudStack, settings: CloudPathSettings): Promise<BenchResult[]> {
  const pollMs = 10;
  const recordsPerBody = 20;
  const target = cloudTarget(stack, pollMs);
  const advertiser = stack.config.advertisers[0];
  const platform = stack.config.platforms[0]?.id ?? '';
  // The first message pays seconds for loading SDKs and connecting; the exposures take it.
  await sendAndWait(target, exposureBeacons(platform, advertiser?.id ?? '', advertiser?.campaigns?.[0]?.id ?? ''), 120_000);
  const beacons = new BeaconProbes(platform);
  // Warm: the conversion path pays its first message too.
  await measureFreshness(target, { beacons, conversions: new ConversionProbes() }, { recordsPerSecond: 100, seconds: 2, recordsPerBody: 10, conversionEvery: 2 });
  const capacity = await measureCapacity(target, beacons, { seconds: settings.freshnessSeconds, recordsPerBody, concurrency: 1 });
  const figures = await measureFreshness(target, { beacons, conversions: new ConversionProbes() }, { recordsPerSecond: capacity / 2, seconds: settings.freshnessSeconds, recordsPerBody, conversionEvery: 5 });
  const note = `at ${Math.round(figures.sentRate)} records/s, half the capacity of ${Math.round(capacity)}; to the insertAll call (BigQuery is not emulated)`;
  return [
    { name: 'freshness: emulators capacity, POST /beacon/events to the beacon_events insert', value: capacity, unit: 'records/s', note: `${recordsPerBody}-record bodies, 1 connection (4 stalled the emulated pipeline); every function under functions-framework, Pub/Sub and Firestore emulators` },
    ...freshnessResults('emulators', figures, { value: pollMs, name: 'arrivals read every (ms)' }, note),
  ];
}

/** The cloud path on this machine's emulators: redirect latency, then the pipeline's freshness. */
export async function benchCloudPath(settings: CloudPathSettings): Promise<BenchResult[]> {
  const stack = await startCloudStack();
  try {
    return [...(await benchRedirect(stack, settings)), ...(await benchCloudFreshness(stack, settings))];
  } finally {
    await stack.stop();
  }
}
