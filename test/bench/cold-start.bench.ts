import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpFunctions, type HttpFunctionName } from '../../shared/composition/function-catalog.ts';
import { computeBigQuerySchema } from '../../shared/contracts/schemas/bigquery-schema.ts';
import { Tables } from '../../shared/contracts/schemas/rows.ts';
import { startEmulators, type RunningEmulators } from '../support/emulator-processes.ts';
import { FakeBigQueryServer } from '../support/fake-bigquery-server.ts';
import { FakeStorageServer } from './first-request/fake-storage.ts';
import { timeFirstRequest, unzipArchives, writeHelloWorld } from './first-request/function-processes.ts';
import { benchConfig, computeFirstRequest, computeLogObject, logObjectName, logsBucket } from './first-request/function-requests.ts';
import type { BenchResult } from './report.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Wall time of one `node` process evaluating `source` as an ES module, in ms. */
function nodeWallMs(source: string, env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`node -e failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Cold start: the median wall time of a fresh `node` importing each function bundle that
 * `npm run build` writes (dist/functions/<name>/index.js, what the deploy ships), minus the
 * median of a bare `node` start measured alongside, interleaved so load on the machine hits both.
 */
export function benchColdStart(runs: number): BenchResult[] {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const names = readdirSync(`${root}dist/functions`).sort();
  const bare: number[] = [];
  const loads = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let run = 0; run < runs; run++) {
    bare.push(nodeWallMs(''));
    // A function is given its configuration as in the cloud (an intake function refuses to start without its master key).
    for (const name of names) loads.get(name)?.push(nodeWallMs(`await import(${JSON.stringify(`${root}dist/functions/${name}/index.js`)});`, { EARSHOT_CONFIG: JSON.stringify(benchConfig) }));
  }
  const bareMs = median(bare);
  return names.map((name) => ({
    name: `cold start: ${name} bundle module load`,
    value: median(loads.get(name) ?? []) - bareMs,
    unit: 'ms',
    baseline: bareMs,
    baselineName: 'bare node start',
    goal: { atMost: 150 },
    note: `median of ${runs}, bare start subtracted`,
  }));
}

/** The topics the functions publish to and are pushed from, created on the emulator. */
async function createTopics(emulators: RunningEmulators): Promise<void> {
  for (const topic of ['beacons', 'facts', 'conversions', 'cdn_logs', 'log_objects']) {
    const response = await fetch(`http://${emulators.pubsubHost}/v1/projects/${emulators.project}/topics/${topic}`, { method: 'PUT' });
    if (!response.ok && response.status !== 409) throw new Error(`creating topic ${topic}: ${response.status} ${await response.text()}`);
  }
}

/**
 * Cold start as a listener or vendor meets it: from process start of each unzipped function
 * archive under functions-framework to the 2xx of a real request on the Pub/Sub and Firestore
 * emulators (BigQuery and Cloud Storage: loopback fakes of their REST APIs). The baseline is a
 * functions-framework hello world timed the same way, interleaved with the functions.
 * Expects `npm run build` to have run (benchColdStart does). `builds` may add other builds'
 * `dist` folders (an earlier commit's), measured in the same rounds under their label.
 */
export async function benchFirstRequest(runs: number, builds: ReadonlyArray<{ label: string; dist: string }> = [{ label: '', dist: `${root}dist` }]): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-first-request-'));
  const emulators = await startEmulators(`bench-${Date.now().toString(36)}`);
  const now = new Date();
  const bigquery = await FakeBigQueryServer.start({
    projectId: emulators.project,
    datasetId: 'earshot',
    tables: { dead_letters: computeBigQuerySchema(Tables.dead_letters) },
    answerQuery: () => ({ fields: [], rows: [] }),
  });
  const storage = await FakeStorageServer.start(new Map([[`${logsBucket}/${logObjectName}`, computeLogObject(now)]]));
  try {
    await createTopics(emulators);
    const targets = builds.flatMap(({ label, dist }) =>
      unzipArchives(root, dist, join(dir, label || 'this')).map((name) => ({ name, label, dir: join(dir, label || 'this', name), key: label ? `${name} (${label})` : name })),
    );
    const hello = writeHelloWorld(root, dir);
    const env = {
      GOOGLE_CLOUD_PROJECT: emulators.project,
      PUBSUB_EMULATOR_HOST: emulators.pubsubHost,
      FIRESTORE_EMULATOR_HOST: emulators.firestoreHost,
      BIGQUERY_EMULATOR_HOST: bigquery.url,
      STORAGE_EMULATOR_HOST: storage.url,
      EARSHOT_CONFIG: JSON.stringify(benchConfig),
    };
    const times = new Map<string, number[]>([['hello', []], ...targets.map((t): [string, number[]] => [t.key, []])]);
    // Round 0 is not kept: it pays for the page cache and the emulators' own warm-up (their JVMs
    // compile what the first requests run), which no deployed function waits for.
    for (let run = 0; run <= runs; run++) {
      const kept = (name: string, ms: number) => run > 0 && times.get(name)?.push(ms);
      kept('hello', await timeFirstRequest(hello, 'hello', {}, { method: 'GET', path: '/', headers: {} }));
      for (const t of targets) kept(t.key, await timeFirstRequest(t.dir, t.name, env, computeFirstRequest(t.name, emulators.project, new Date())));
    }
    // EARSHOT_BENCH_CPU_PROF=<dir>: one more round under --cpu-prof, not timed, one profile per function.
    const profileDir = process.env.EARSHOT_BENCH_CPU_PROF;
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      for (const t of targets) await timeFirstRequest(t.dir, t.name, env, computeFirstRequest(t.name, emulators.project, new Date()), join(profileDir, t.label || 'this'));
    }
    const helloMs = median(times.get('hello') ?? []);
    return targets.map(({ name, label, key }) => {
      const all = times.get(key) ?? [];
      return {
        ...(label ? {} : { id: `first_request_ms_${name}` }),
        name: `cold start: ${key} first real request`,
        value: median(all),
        unit: 'ms',
        baseline: helloMs,
        baselineName: 'functions-framework hello world',
        goal: { atMost: httpFunctions.includes(name as HttpFunctionName) ? 400 : 600 },
        note: `median of ${runs} (${Math.round(Math.min(...all))}-${Math.round(Math.max(...all))}), process start to 2xx`,
      };
    });
  } finally {
    await Promise.all([bigquery.close(), storage.close(), emulators.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
