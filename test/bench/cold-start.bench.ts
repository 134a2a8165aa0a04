import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './report.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Wall time of one `node` process evaluating `source` as an ES module, in ms. */
function nodeWallMs(source: string): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
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
    for (const name of names) loads.get(name)?.push(nodeWallMs(`await import(${JSON.stringify(`${root}dist/functions/${name}/index.js`)});`));
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
