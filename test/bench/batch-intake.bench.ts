import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import { measureLoadOnce, warmUp, type LoadRequest, type LoadSettings } from './load/load.ts';
import { describeCpuRatio, pairRounds, runAlternating } from './load/rounds.ts';
import type { RoundSettings } from './pixel-intake.bench.ts';
import { median } from './stats.ts';
import { createDemoConfig } from '../../cli/local/demo-config.ts';
import type { ChildServer } from './load/child-server.ts';
import { drainEarshot, measureJsonParseRate, serverCpu, startBeaconAlone, startEarshotServer, startJsonParseRate } from './load/servers.ts';
import type { BenchResult } from './report.ts';

const recordsPerBody = 1000;

/** Realistic NDJSON bodies of 1,000 beacon records each, from the simulator's traffic. */
export function buildNdjsonBodies(count: number): Buffer[] {
  const traffic = simulateTraffic({ listeners: count * 300, days: 1, seed: 8, start: new Date('2026-11-16T00:00:00Z'), assignStudy: () => undefined });
  const beacons: SimulatedBeacon[] = traffic.next().value?.beacons ?? [];
  const bodies: Buffer[] = [];
  for (let i = 0; i + recordsPerBody <= beacons.length && bodies.length < count; i += recordsPerBody) {
    bodies.push(Buffer.from(beacons.slice(i, i + recordsPerBody).map((b) => JSON.stringify(b)).join('\n')));
  }
  if (bodies.length < count) throw new Error(`the simulator gave only ${bodies.length} bodies of ${recordsPerBody} records`);
  return bodies;
}

/** Records per second a server takes through `POST /beacon/events` in one run; failures make it an error. */
async function measureBatches(server: ChildServer, key: string, bodies: Buffer[], settings: LoadSettings): Promise<{ rate: number; p50Ms: number }> {
  const load = await measureLoadOnce(batchRequest(server, key, bodies), settings);
  if (load.failures > 0) throw new Error(`POST /beacon/events: ${load.failures} failed requests under load\n${server.output().slice(-2000)}`);
  return { rate: load.rate * recordsPerBody, p50Ms: load.p50Ms };
}

const batchRequest = (server: ChildServer, key: string, bodies: Buffer[]): LoadRequest => ({
  url: `${server.url}/beacon/events`,
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
  bodies,
  connections: 4,
});

/**
 * Batch intake: records per second through `POST /beacon/events` with 1,000-record NDJSON bodies,
 * on `earshot start` (the pipeline behind intake shares its core) and on the beacon function
 * alone, against `JSON.parse` of the same bodies. The baseline runs in a process of its own on
 * the servers' core, for as long as a load run, and all three take turns in alternating rounds.
 */
export async function benchBatchIntake(settings: RoundSettings): Promise<BenchResult[]> {
  const bodies = buildNdjsonBodies(20);
  const kib = Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length / 1024);
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const config = createDemoConfig();
  const servers: ChildServer[] = [];
  try {
    const parser = await startJsonParseRate();
    servers.push(parser);
    const local = await startEarshotServer(dataDir);
    servers.push(local.server);
    const alone = await startBeaconAlone(JSON.stringify(config));
    servers.push(alone);
    const aloneKey = config.platforms[0]?.keys[0] ?? '';

    await measureJsonParseRate(parser, 1);
    await warmUp(batchRequest(local.server, local.key, bodies), settings);
    await drainEarshot(local.server.url, dataDir);
    await warmUp(batchRequest(alone, aloneKey, bodies), settings);

    const rounds = await runAlternating<{ rate: number; p50Ms: number }>(settings.rounds, serverCpu, [
      { name: 'parse', pids: () => [parser.pid], measure: async () => ({ rate: await measureJsonParseRate(parser, settings.durationS), p50Ms: 0 }) },
      // What a run queued is worked off before the next run starts, or it would take the core from it.
      { name: 'local', pids: () => [local.server.pid], measure: () => measureBatches(local.server, local.key, bodies, settings), settle: () => drainEarshot(local.server.url, dataDir) },
      { name: 'alone', pids: () => [alone.pid], measure: () => measureBatches(alone, aloneKey, bodies, settings) },
    ]);
    const runs = (name: string) => (rounds.get(name) ?? []).map((r) => ({ value: r.value.rate, load: r.load }));
    const p50 = (name: string) => median((rounds.get(name) ?? []).map((r) => r.value.p50Ms));
    const figure = (id: string, name: string, note: string, goal?: BenchResult['goal']): BenchResult => {
      const paired = pairRounds(runs('parse'), runs(id));
      return {
        name,
        value: paired.value,
        unit: 'records/s',
        baseline: paired.baseline,
        baselineName: 'JSON.parse of the same lines',
        ratioSpread: paired.ratioSpread,
        ...(goal ? { goal } : {}),
        note: `${note}p50 ${p50(id)} ms; median of ${settings.rounds} alternating runs${describeCpuRatio(paired)}; others on the core ${paired.othersRange}`,
      };
    };
    return [
      figure('local', 'batch intake: earshot start POST /beacon/events, 1,000-record NDJSON', `${kib} KiB bodies, 4 connections, `, { ratioAtLeast: 0.25 }),
      figure('alone', 'batch intake: beacon function alone on node:http', ''),
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
