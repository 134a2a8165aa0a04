import { readFileSync } from 'node:fs';
import { pubsubFunctions } from '../../shared/composition/function-catalog.ts';
import { PullSubscription } from '../support/pubsub-pull.ts';
import { cloudTarget } from './cloud/cloud-target.ts';
import { startCloudStack, type CloudStack } from './cloud/cloud-stack.ts';
import { freshnessResults } from './freshness.bench.ts';
import { measureCapacity, measureFreshness, sendAndWait } from './freshness/freshness-driver.ts';
import { BeaconProbes, ConversionProbes, exposureBeacons } from './freshness/probe-traffic.ts';
import type { ChildServer } from './load/child-server.ts';
import { measureLoadOnce, warmUp, type LoadRequest, type LoadResult, type LoadSettings } from './load/load.ts';
import { measureOpenLoop, type OpenLoopResult } from './load/open-loop.ts';
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

/** What the redirect may wait for its publish before answering anyway (`redirectPublishWaitMs`). */
const publishWaitMs = 100;

/**
 * The prefix redirect on the cloud path: the beacon function under functions-framework, its
 * beacon published to the Pub/Sub emulator before the 302 (the count, attribute and warehouse
 * functions take the messages on the same core). Capacity first (closed loop, the standard
 * connections), then alternating rounds at half of it, with listeners arriving independently
 * (open loop, Poisson, the same arrivals for both), against bare node:http answering the same
 * 302; the figure is the median p99 over the rounds.
 */
async function benchRedirect(stack: CloudStack, settings: CloudPathSettings): Promise<BenchResult[]> {
  const beacon = stack.functions.beacon;
  const bare = await startBare302();
  try {
    const redirect: LoadRequest = { url: beacon.url + redirectPath, headers: agent };
    await warmUp(redirect, settings);
    const capacity = (await loadOnce(redirect, settings, beacon)).redirectRate;
    const rate = Math.max(1, Math.round(capacity / 2));
    const open = (url: string, round: number) => measureOpenLoop({ url: url + redirectPath, headers: agent, rate, durationS: settings.durationS, seed: round + 1 }, publishWaitMs);
    await open(bare.url, -1);
    await open(beacon.url, -1);
    const runs = { bare: [] as OpenLoopResult[], redirect: [] as OpenLoopResult[] };
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'redirect'] as const) : (['redirect', 'bare'] as const);
      for (const which of order) {
        const result = await open(which === 'bare' ? bare.url : beacon.url, round);
        if (result.failures) throw new Error(`${which}: ${result.failures} failed requests under load\n${(which === 'bare' ? bare : beacon).output().slice(-2000)}`);
        console.error(`  round ${round + 1} ${which}: ${JSON.stringify(result)}; load average ${loadAverage()}`);
        runs[which].push(result);
      }
    }
    const perMessage = await recordsPerMessage(stack, () => open(beacon.url, settings.rounds));
    const p99 = computeSpread(runs.redirect.map((r) => r.p99Ms));
    const slow = runs.redirect.reduce((n, r) => n + r.slow, 0);
    const sent = runs.redirect.reduce((n, r) => n + r.sent, 0);
    return [
      { name: 'redirect: cloud path capacity GET /beacon/e/... (publish to the Pub/Sub emulator, then 302)', value: capacity, unit: 'req/s', note: `${settings.connections} connections, closed loop` },
      {
        name: 'redirect: cloud path p99 at half capacity',
        value: p99.median,
        unit: 'ms',
        baseline: median(runs.bare.map((r) => r.p99Ms)),
        baselineName: 'bare node:http 302 p99 at the same arrivals',
        goal: { atMost: 50 },
        note:
          `p99 ${p99.min}-${p99.max} ms over ${p99.runs} alternating runs of Poisson arrivals at ${rate} req/s; p50 ${median(runs.redirect.map((r) => r.p50Ms))} ms ` +
          `(bare ${median(runs.bare.map((r) => r.p50Ms))} ms); ${slow} of ${sent} took ${publishWaitMs} ms or more, the publish wait's bound (only these can have been answered before their beacon was published); load average ${loadAverage()}`,
      },
      {
        name: 'redirect: records per count message at half capacity',
        value: perMessage.records / Math.max(1, perMessage.messages),
        unit: 'records',
        note: `${perMessage.records} redirect beacons in ${perMessage.messages} messages on beacons, one more round at ${rate} req/s (each message is a count invocation; docs/cost.md prices 1,000-record bodies)`,
      },
    ];
  } finally {
    await bare.stop();
  }
}

/**
 * Messages and records the beacon function publishes during one more round, read from a pull
 * subscription of its own on `beacons`, made after the timed rounds so it never slows them.
 */
async function recordsPerMessage(stack: CloudStack, round: () => Promise<OpenLoopResult>): Promise<{ messages: number; records: number }> {
  const tap = await PullSubscription.create(stack.pubsub, pubsubFunctions.count);
  try {
    await round();
    // Redirects answered at the publish wait's bound may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, 2 * publishWaitMs));
    const messages = await tap.drain();
    const records = messages.reduce((n, m) => n + (JSON.parse(m.data.toString('utf8')) as { records: unknown[] }).records.length, 0);
    return { messages: messages.length, records };
  } finally {
    await tap.close();
  }
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
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

/** The redirect alone on this machine's emulators (`--only redirect`). */
export async function benchCloudRedirect(settings: CloudPathSettings): Promise<BenchResult[]> {
  const stack = await startCloudStack();
  try {
    return await benchRedirect(stack, settings);
  } finally {
    await stack.stop();
  }
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
