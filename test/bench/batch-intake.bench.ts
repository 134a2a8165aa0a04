import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import { measureLoad, type LoadSettings } from './load/load.ts';
import { createDemoConfig } from '../../cli/local/demo-config.ts';
import type { ChildServer } from './load/child-server.ts';
import { startBeaconAlone, startEarshotServer } from './load/servers.ts';
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

/** Records per second that `JSON.parse` alone gets through the same NDJSON bodies (best of 5). */
function parseRate(bodies: readonly Buffer[]): number {
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    let records = 0;
    for (const body of bodies) for (const line of body.toString('utf8').split('\n')) records += JSON.parse(line) ? 1 : 0;
    best = Math.max(best, records / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return best;
}

/** Records per second a server takes through `POST /beacon/events`; failures make it an error. */
async function measureBatches(server: ChildServer, key: string, bodies: Buffer[], settings: LoadSettings): Promise<{ rate: number; p50Ms: number }> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' };
  const load = await measureLoad({ url: `${server.url}/beacon/events`, method: 'POST', headers, bodies, connections: 4 }, settings);
  if (load.failures > 0) throw new Error(`POST /beacon/events: ${load.failures} failed requests under load\n${server.output().slice(-2000)}`);
  return { rate: load.rate * recordsPerBody, p50Ms: load.p50Ms };
}

/**
 * Batch intake: records per second through `POST /beacon/events` with 1,000-record NDJSON bodies,
 * on `earshot start` (the pipeline behind intake shares its core) and on the beacon function
 * alone, against `JSON.parse` of the same bodies on one core in this process.
 */
export async function benchBatchIntake(settings: LoadSettings): Promise<BenchResult[]> {
  const bodies = buildNdjsonBodies(20);
  const baseline = { unit: 'records/s', baseline: parseRate(bodies), baselineName: 'JSON.parse of the same lines' };
  const kib = Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length / 1024);
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  let local: { rate: number; p50Ms: number };
  try {
    const { server, key } = await startEarshotServer(dataDir);
    local = await measureBatches(server, key, bodies, settings).finally(() => server.stop());
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const config = createDemoConfig();
  const server = await startBeaconAlone(JSON.stringify(config));
  const alone = await measureBatches(server, config.platforms[0]?.keys[0] ?? '', bodies, settings).finally(() => server.stop());
  return [
    { name: 'batch intake: earshot start POST /beacon/events, 1,000-record NDJSON', value: local.rate, ...baseline, goal: { ratioAtLeast: 0.25 }, note: `${kib} KiB bodies, 4 connections, p50 ${local.p50Ms} ms` },
    { name: 'batch intake: beacon function alone on node:http', value: alone.rate, ...baseline, note: `p50 ${alone.p50Ms} ms` },
  ];
}
