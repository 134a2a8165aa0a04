import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCapacity, measureFreshness, sendAndWait, type FreshnessFigures } from './freshness/freshness-driver.ts';
import { earshotTarget } from './freshness/local-target.ts';
import { BeaconProbes, ConversionProbes, exposureBeacons } from './freshness/probe-traffic.ts';
import { drainEarshot, startEarshotServer } from './load/servers.ts';
import type { BenchResult } from './report.ts';
import { median } from './stats.ts';

export interface FreshnessSettings {
  /** Seconds of load for the capacity and for the freshness measurement. */
  seconds: number;
}

/** The freshness rows of one pipeline: p99 with the goal, p50 beside it, for beacons and conversions. */
export function freshnessResults(where: string, figures: FreshnessFigures, baseline: { value: number; name: string }, note: string, goal?: number): BenchResult[] {
  const row = (what: string, f: FreshnessFigures['beacon']): BenchResult => ({
    name: `freshness: ${where}, 202 to ${what}, p99`,
    value: f.p99,
    unit: 'ms',
    baseline: baseline.value,
    baselineName: baseline.name,
    ...(goal ? { goal: { atMost: goal } } : {}),
    note: `p50 ${Math.round(f.p50)} ms over ${f.samples} probes; ${note}`,
  });
  return [row('beacon_events', figures.beacon), row('attributed_conversions', figures.conversion)];
}

/**
 * Freshness of `earshot start`: its capacity first (records per second from the first request
 * until every row is queryable, closed loop), then open-loop load at half of it, timing probes
 * from their 202 until `/_local/query` returns their rows, against the query's own round trip.
 */
export async function benchFreshness(settings: FreshnessSettings): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  try {
    const { server, platform } = await startEarshotServer(dataDir);
    try {
      const pollMs = 50;
      const recordsPerBody = 20;
      const target = earshotTarget(server.url, dataDir, pollMs);
      const config = JSON.parse(readFileSync(`${dataDir}/config.json`, 'utf8')) as { advertisers: Array<{ id: string; campaigns: Array<{ id: string }> }> };
      const advertiser = config.advertisers[0];
      const beacons = new BeaconProbes(platform);
      await sendAndWait(target, exposureBeacons(platform, advertiser?.id ?? '', advertiser?.campaigns[0]?.id ?? ''), 60_000);
      const capacity = await measureCapacity(target, beacons, { seconds: settings.seconds, recordsPerBody, concurrency: 4 });
      await drainEarshot(server.url, dataDir);
      target.queryMs().length = 0;
      const figures = await measureFreshness(target, { beacons, conversions: new ConversionProbes() }, { recordsPerSecond: capacity / 2, seconds: settings.seconds, recordsPerBody, conversionEvery: 5 });
      const note = `at ${Math.round(figures.sentRate)} records/s, half the capacity of ${Math.round(capacity)}; polled every ${pollMs} ms`;
      return [
        { name: 'freshness: earshot start capacity, POST /beacon/events to beacon_events', value: capacity, unit: 'records/s', note: `${recordsPerBody}-record bodies, 4 connections, until every row is queryable` },
        ...freshnessResults('earshot start', figures, { value: median(target.queryMs()), name: 'the query alone (median)' }, note, 2000),
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
