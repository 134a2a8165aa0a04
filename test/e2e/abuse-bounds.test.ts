import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEarshot, type RunningEarshot } from '../support/earshot-process.ts';
import { writeFixedConfig } from '../support/fixed-config.ts';

/** Resident memory of a process now and at its peak (Linux `VmRSS`, `VmHWM`), in MiB. */
function memoryMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { now: field('VmRSS'), peak: field('VmHWM') };
}

describe('earshot start under abusive uploads', () => {
  let server: RunningEarshot;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'earshot-abuse-'));
    server = await startEarshot(['--data', dataDir, '--config', writeFixedConfig(dataDir)]);
  });
  afterAll(() => server.stop('SIGTERM'));

  it('listens on loopback by default', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('holds no body of 40 concurrent 8 MiB unauthenticated uploads, nor of 40 to unknown routes', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 123);
    const before = memoryMiB(server.process.pid ?? 0);
    const upload = (path: string, authorization: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization }, body }).then((r) => r.status);
    const statuses = await Promise.all([
      ...Array.from({ length: 40 }, () => upload('/beacon/events', 'Bearer not-a-key')),
      ...Array.from({ length: 40 }, () => upload('/conversion/events', '')),
      ...Array.from({ length: 40 }, (_, i) => upload(`/unknown-${i}/upload`, 'Bearer not-a-key')),
    ]);
    expect(new Set(statuses)).toEqual(new Set([401, 404]));
    const after = memoryMiB(server.process.pid ?? 0);
    // 960 MiB were sent; a server that buffered them would grow by that much.
    expect(after.peak - before.now, `RSS ${before.now.toFixed(0)} -> peak ${after.peak.toFixed(0)} MiB`).toBeLessThan(150);
    expect(after.peak).toBeLessThan(700);
    expect((await fetch(`${server.url}/beacon/healthz`)).status).toBe(200);
  });
});
