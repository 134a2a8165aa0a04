import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoConfig } from '../../cli/local/demo-config.ts';
import type { ChildServer } from './load/child-server.ts';
import { measureLoad, type LoadRequest, type LoadResult, type LoadSettings } from './load/load.ts';
import { frameworkBeaconSource, frameworkHelloSource, startBare204, startBeaconAlone, startEarshotServer, startFramework } from './load/servers.ts';
import type { BenchResult } from './report.ts';

const pixelQuery = (platform: string) => `/beacon/p?platform=${platform}&show=bench-show&episode=bench-episode`;
const agent = { 'user-agent': 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)' };

/** Measures a server started by `start`, then stops it; a run with failures is an error, not a figure. */
async function measureServer(start: () => Promise<ChildServer>, request: (server: ChildServer) => LoadRequest, settings: LoadSettings): Promise<LoadResult> {
  const server = await start();
  try {
    const result = await measureLoad(request(server), settings);
    if (result.failures > 0) throw new Error(`${server.url}: ${result.failures} failed requests under load\n${server.output().slice(-2000)}`);
    return result;
  } finally {
    await server.stop();
  }
}

const latency = (r: LoadResult) => `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`;

/**
 * Pixel intake (`GET /beacon/p`) under autocannon, each server in its own process on its own core:
 * `earshot start` and the beacon function's cloud path (functions-framework) against bare
 * node:http answering 204, and functions-framework's own hello world against the same baseline.
 */
export async function benchPixelIntake(settings: LoadSettings): Promise<BenchResult[]> {
  const bare = await measureServer(startBare204, (s) => ({ url: s.url + pixelQuery('p'), headers: agent }), settings);

  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  let platform = '';
  const local = await measureServer(
    async () => {
      const started = await startEarshotServer(dataDir);
      platform = started.platform;
      return started.server;
    },
    (s) => ({ url: s.url + pixelQuery(platform), headers: agent }),
    settings,
  ).finally(() => rmSync(dataDir, { recursive: true, force: true }));

  const hello = await measureServer(() => startFramework(frameworkHelloSource, 'hello'), (s) => ({ url: s.url + '/' }), settings);
  const config = createDemoConfig();
  const cloudPlatform = config.platforms[0]?.id ?? '';
  const cloud = await measureServer(
    () => startFramework(frameworkBeaconSource, 'beacon', { EARSHOT_CONFIG: JSON.stringify(config) }),
    (s) => ({ url: s.url + pixelQuery(cloudPlatform), headers: agent }),
    settings,
  );

  const alone = await measureServer(() => startBeaconAlone(JSON.stringify(config)), (s) => ({ url: s.url + pixelQuery(cloudPlatform), headers: agent }), settings);

  const baseline = { baseline: bare.rate, baselineName: 'bare node:http 204', unit: 'req/s' };
  return [
    { name: 'pixel intake: earshot start GET /beacon/p', value: local.rate, ...baseline, goal: { ratioAtLeast: 0.5 }, note: latency(local) },
    { name: 'pixel intake: beacon function alone on node:http', value: alone.rate, ...baseline, note: latency(alone) },
    { name: 'pixel intake: cloud path (functions-framework) GET /beacon/p', value: cloud.rate, ...baseline, note: latency(cloud) },
    { name: 'functions-framework hello world', value: hello.rate, ...baseline, note: latency(hello) },
  ];
}
