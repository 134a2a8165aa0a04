import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { runEarshot, startEarshot, type RunningEarshot } from '../support/earshot-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
const records = [
  { type: 'download', ts: '2026-11-20T10:00:00Z', show_id: 's1', episode_id: 'e1', ip: '203.0.113.9', user_agent: 'Overcast/3.0' },
  { event_id: 'ev-2', type: 'download', ts: '2026-11-20T11:00:00Z', show_id: 's1', episode_id: 'e2', ip: '2001:db8::1', user_agent: 'AppleCoreMedia/1.0' },
];

describe('earshot start + earshot query', () => {
  let server: RunningEarshot;
  let key = '';
  afterAll(async () => void (server?.process.exitCode === null && (await server.stop('SIGKILL'))));

  it('starts with a demo config that it writes and prints', async () => {
    server = await startEarshot(['--data', dataDir]);
    const config = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as EarshotConfig;
    key = config.platforms[0]?.keys[0] ?? '';
    expect(server.stderr()).toContain(key);
    const health = await fetch(`${server.url}/beacon/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('makes POSTed records queryable exactly once, while it runs', async () => {
    const post = (body: Buffer, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body });
    const ndjson = Buffer.from(records.map((r) => JSON.stringify(r)).join('\n'));
    expect((await post(ndjson)).status).toBe(202);
    expect((await post(gzipSync(JSON.stringify(records)), { 'content-encoding': 'gzip' })).status).toBe(202);
    const result = await runEarshot(['query', 'SELECT episode_id, count(*) AS n FROM beacon_events GROUP BY 1 ORDER BY 1', '--data', dataDir, '--json']);
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toEqual([
      { episode_id: 'e1', n: 1 },
      { episode_id: 'e2', n: 1 },
    ]);
  });

  it('returns repeated columns as JSON arrays, under the BigQuery name too', async () => {
    const result = await runEarshot(['query', 'SELECT episode_id, ads, ads_delivered, ARRAY_LENGTH(ghost_ads_delivered) AS ghosts FROM earshot.beacon_events ORDER BY 1', '--data', dataDir, '--json']);
    expect(JSON.parse(result.stdout)).toEqual([
      { episode_id: 'e1', ads: [], ads_delivered: [], ghosts: 0 },
      { episode_id: 'e2', ads: [], ads_delivered: [], ghosts: 0 },
    ]);
  });

  it('answers bad input with 4xx JSON and never stores it', async () => {
    const response = await fetch(`${server.url}/beacon/events`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '[]' });
    expect(response.status).toBe(401);
    const huge = await fetch(`${server.url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: 'body too large' });
  });

  it('reports a bad query on one line with exit code 2', async () => {
    const result = await runEarshot(['query', 'SELECT nope FROM beacon_events', '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('flushes and exits 0 on SIGTERM, leaving the rows readable', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);
    const result = await runEarshot(['query', 'SELECT count(*) AS n FROM beacon_events', '--data', dataDir, '--json']);
    expect(JSON.parse(result.stdout)).toEqual([{ n: 2 }]);
    const lists = await runEarshot(['query', 'SELECT DISTINCT ads_delivered FROM earshot.beacon_events', '--data', dataDir, '--json']);
    expect(JSON.parse(lists.stdout)).toEqual([{ ads_delivered: [] }]);
  });

  it('never writes a raw IP to the warehouse or the logs', async () => {
    const dump = await runEarshot(['query', 'SELECT * FROM beacon_events', '--data', dataDir, '--json']);
    for (const text of [dump.stdout, server.stderr()]) {
      expect(text).not.toContain('203.0.113.9');
      expect(text).not.toContain('2001:db8');
    }
  });
});
