import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoConfig } from '../../cli/local/demo-config.ts';
import type { ChildServer } from './load/child-server.ts';
import { measureLoadOnce, warmUp, type LoadRequest, type LoadResult, type LoadSettings } from './load/load.ts';
import { describeCpuRatio, pairRounds, runAlternating, type Contender } from './load/rounds.ts';
import { drainEarshot, frameworkBeaconSource, frameworkHelloSource, serverCpu, startBare204, startBeaconAlone, startEarshotServer, startFramework } from './load/servers.ts';
import type { BenchResult } from './report.ts';
import { median } from './stats.ts';

const pixelQuery = (platform: string) => `/beacon/p?platform=${platform}&show=bench-show&episode=bench-episode`;
const agent = { 'user-agent': 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)' };

interface Served {
  name: string;
  server: ChildServer;
  request: LoadRequest;
  settle?: () => Promise<void>;
}

/** A contender that loads a running server; a run with failures is an error, not a figure. */
function loadContender(served: Served, settings: LoadSettings): Contender<LoadResult> {
  return {
    name: served.name,
    pids: () => [served.server.pid],
    measure: async () => {
      const result = await measureLoadOnce(served.request, settings);
      if (result.failures > 0) throw new Error(`${served.server.url}: ${result.failures} failed requests under load\n${served.server.output().slice(-2000)}`);
      return result;
    },
    ...(served.settle ? { settle: served.settle } : {}),
  };
}

export interface RoundSettings extends LoadSettings {
  /** Alternating rounds; each figure is the median of as many runs. */
  rounds: number;
}

/**
 * Pixel intake (`GET /beacon/p`) under autocannon, each server in its own process on the same
 * core: `earshot start`, the beacon function alone on node:http and its cloud path
 * (functions-framework), and functions-framework's own hello world, each against bare node:http
 * answering 204. All servers run side by side and are loaded in alternating rounds, so each
 * round's ratio compares runs seconds apart; the figures are medians over the rounds.
 */
export async function benchPixelIntake(settings: RoundSettings): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const config = createDemoConfig();
  const cloudPlatform = config.platforms[0]?.id ?? '';
  const servers: Served[] = [];
  try {
    const bare = await startBare204();
    servers.push({ name: 'bare', server: bare, request: { url: bare.url + pixelQuery('p'), headers: agent } });
    const local = await startEarshotServer(dataDir);
    // What a run queued is worked off before the next run starts, or it would take the core from it.
    servers.push({ name: 'local', server: local.server, request: { url: local.server.url + pixelQuery(local.platform), headers: agent }, settle: () => drainEarshot(local.server.url, dataDir) });
    const alone = await startBeaconAlone(JSON.stringify(config));
    servers.push({ name: 'alone', server: alone, request: { url: alone.url + pixelQuery(cloudPlatform), headers: agent } });
    const cloud = await startFramework(frameworkBeaconSource, 'beacon', { EARSHOT_CONFIG: JSON.stringify(config) });
    servers.push({ name: 'cloud', server: cloud, request: { url: cloud.url + pixelQuery(cloudPlatform), headers: agent } });
    const hello = await startFramework(frameworkHelloSource, 'hello');
    servers.push({ name: 'hello', server: hello, request: { url: hello.url + '/' } });

    for (const s of servers) {
      await warmUp(s.request, settings);
      await s.settle?.();
    }
    const rounds = await runAlternating(settings.rounds, serverCpu, servers.map((s) => loadContender(s, settings)));
    const runs = (name: string) => (rounds.get(name) ?? []).map((r) => ({ value: r.value.rate, load: r.load }));
    const latency = (name: string) => {
      const all = (rounds.get(name) ?? []).map((r) => r.value);
      return `p50 ${median(all.map((r) => r.p50Ms))} ms, p99 ${median(all.map((r) => r.p99Ms))} ms`;
    };
    const figure = (id: string, name: string, goal?: BenchResult['goal']): BenchResult => {
      const paired = pairRounds(runs('bare'), runs(id));
      return {
        name,
        value: paired.value,
        unit: 'req/s',
        baseline: paired.baseline,
        baselineName: 'bare node:http 204',
        ratioSpread: paired.ratioSpread,
        ...(goal ? { goal } : {}),
        note: `${latency(id)}; median of ${settings.rounds} alternating runs${describeCpuRatio(paired)}; others on the core ${paired.othersRange}`,
      };
    };
    return [
      figure('local', 'pixel intake: earshot start GET /beacon/p', { ratioAtLeast: 0.5 }),
      figure('alone', 'pixel intake: beacon function alone on node:http'),
      figure('cloud', 'pixel intake: cloud path (functions-framework) GET /beacon/p'),
      figure('hello', 'functions-framework hello world'),
    ];
  } finally {
    await Promise.all(servers.map((s) => s.server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
