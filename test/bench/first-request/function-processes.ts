import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { frameworkMain, freePort } from '../../support/built-function.ts';
import type { FirstRequest } from './function-requests.ts';

/**
 * Unzips each archive `npm run build` wrote into `dir/<name>/`, as the deploy unpacks it; its
 * dependencies resolve to this checkout's node_modules (the very versions its lock pins).
 */
export function unzipArchives(root: string, dist: string, dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dist, 'functions.json'), 'utf8')) as Record<string, { archive: string }>;
  for (const [name, { archive }] of Object.entries(manifest)) {
    mkdirSync(join(dir, name), { recursive: true });
    execFileSync('unzip', ['-q', join(dist, archive), '-d', join(dir, name)]);
    symlinkSync(`${root}node_modules`, join(dir, name, 'node_modules'));
  }
  return Object.keys(manifest).sort();
}

/** The smallest function functions-framework serves, the baseline of every first request. */
export function writeHelloWorld(root: string, dir: string): string {
  const out = join(dir, 'hello');
  mkdirSync(out);
  writeFileSync(join(out, 'package.json'), JSON.stringify({ name: 'hello', type: 'module', main: 'index.js' }));
  writeFileSync(join(out, 'index.js'), "import { http } from '@google-cloud/functions-framework';\nhttp('hello', (req, res) => res.status(200).send('ok'));\n");
  symlinkSync(`${root}node_modules`, join(out, 'node_modules'));
  return out;
}

/**
 * Milliseconds from spawning functions-framework on the function folder (as Cloud Run starts the
 * container's process) to the 2xx answer of `request`, sent as soon as the port accepts it.
 * With `cpuProfileDir`, the process runs under `--cpu-prof` and is stopped with SIGINT (so V8
 * writes the profile) instead of SIGKILL.
 */
export async function timeFirstRequest(dir: string, target: string, env: Record<string, string>, request: FirstRequest, cpuProfileDir?: string): Promise<number> {
  const port = await freePort();
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, `--cpu-prof-name=${target}-${Date.now()}.cpuprofile`] : [];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...profile, frameworkMain, `--target=${target}`, `--port=${port}`, `--source=${dir}`], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // What it logged (JSON lines on stdout, the framework's text on stderr), for a failure's message.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`${target} exited before answering: ${output}`);
      let response: Response;
      try {
        response = await fetch(`http://127.0.0.1:${port}${request.path}`, { method: request.method, headers: request.headers, ...(request.body ? { body: request.body } : {}) });
      } catch {
        await sleep(2); // not listening yet
        continue;
      }
      const text = await response.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status < 200 || response.status > 299) throw new Error(`${target} answered ${response.status}: ${text.slice(0, 500)} ${output}`);
      return ms;
    }
  } finally {
    child.kill(cpuProfileDir ? 'SIGINT' : 'SIGKILL');
    await exit;
  }
}
