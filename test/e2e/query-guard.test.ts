import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedConfig, writeFixedConfig } from '../support/fixed-config.ts';
import { runEarshot, startEarshot, type RunningEarshot } from '../support/earshot-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'earshot-e2e-guard-'));
const query = (sql: string, ...flags: string[]) => runEarshot(['query', sql, '--data', dataDir, ...flags]);
const record = { type: 'download', ts: new Date().toISOString(), show_id: 's1', episode_id: 'e1', ip: '203.0.113.9', user_agent: 'Overcast/3.0' };

// Statements that must fail through the server and on the file alike, leaving everything as it was.
const refused: Record<string, string> = {
  DELETE: 'DELETE FROM beacon_events',
  'COPY TO a file': `COPY beacon_events TO '${join(dataDir, 'stolen.csv')}'`,
  read_text: "SELECT * FROM read_text('/etc/hostname')",
  ATTACH: `ATTACH '${join(dataDir, 'other.duckdb')}' AS other`,
  'DROP TABLE': 'DROP TABLE beacon_events',
  'SET a setting back': 'SET enable_external_access = true',
};

async function expectRefusals(): Promise<void> {
  for (const [name, sql] of Object.entries(refused)) {
    const result = await query(sql);
    expect(result.code, name).toBe(2);
    expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
  }
  expect(existsSync(join(dataDir, 'stolen.csv'))).toBe(false);
  expect(existsSync(join(dataDir, 'other.duckdb'))).toBe(false);
  expect(JSON.parse((await query('SELECT count(*) AS n FROM beacon_events', '--json')).stdout)).toEqual([{ n: 1 }]);
}

describe('earshot start --host ::1 --config FILE, and a read-only, bounded earshot query', () => {
  let server: RunningEarshot;
  let base = '';
  beforeAll(async () => {
    server = await startEarshot(['--data', dataDir, '--host', '::1', '--config', writeFixedConfig(dataDir)]);
    base = `http://[::1]:${new URL(server.url).port}`;
  });
  afterAll(async () => void (server?.process.exitCode === null && (await server.stop('SIGKILL'))));

  it('prints no secret of a config it was given', () => {
    const banner = server.stderr();
    expect(banner).toContain('platform demo-platform');
    for (const secret of [fixedConfig.platforms[0]?.keys[0], fixedConfig.vendors[0]?.secrets[0], fixedConfig.advertisers[0]?.keys[0]]) {
      expect(banner).not.toContain(String(secret));
    }
  });

  it('queries a server listening on ::1', async () => {
    expect(JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'))).toMatchObject({ host: '::1' });
    const key = fixedConfig.platforms[0]?.keys[0] ?? '';
    const posted = await fetch(`${base}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify([record]) });
    expect(posted.status).toBe(202);
    const result = await query('SELECT show_id FROM beacon_events', '--json');
    expect(result).toMatchObject({ code: 0, stdout: '[{"show_id":"s1"}]\n' });
  });

  it('refuses writes, file access and setting changes through the server', expectRefusals);

  it('answers batches of empty records briefly, and a gzip of 10 MiB of them with 413 at once', async () => {
    const post = (body: Buffer, headers: Record<string, string> = {}) =>
      fetch(`${base}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${fixedConfig.platforms[0]?.keys[0]}`, ...headers }, body });
    const lines = Buffer.from('{}\n'.repeat(100_000));
    const reply = await post(lines);
    expect(reply.status).toBe(202);
    const text = await reply.text();
    expect(text.length).toBeLessThan(lines.length / 4);
    expect(JSON.parse(text)).toMatchObject({ accepted: 0, rejected_count: 100_000, rejected_by_rule: { required: 100_000 } });
    const started = performance.now();
    const bomb = await post(gzipSync(Buffer.from('{}\n'.repeat(3_495_253))), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await fetch(`${base}/beacon/healthz`)).status).toBe(200);
  });

  it('stops a huge cross join at the time limit and keeps serving', async () => {
    const started = performance.now();
    const result = await query('SELECT count(*) FROM range(1000000) a, range(1000000) b', '--timeout-ms', '1000');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ran over 1000 ms/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await fetch(`${base}/beacon/healthz`)).status).toBe(200);
  });

  it('truncates a huge result with a notice on stderr', async () => {
    const result = await query('SELECT a.range AS x, b.range AS y FROM range(1000000) a, range(1000000) b', '--json', '--max-rows', '50');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(50);
    expect(result.stderr).toMatch(/only the first 50 rows/);
    const capped = await query('SELECT range FROM range(10000000)', '--json');
    expect(JSON.parse(capped.stdout)).toHaveLength(100_000);
  });

  it('prints control characters of a cell escaped', async () => {
    const result = await query("SELECT chr(27) || '[2J' || chr(155) || 'x' AS cell");
    expect(result.stdout).toContain('\\x1b[2J\\x9bx');
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stdout).not.toContain('\x9b');
  });

  it('refuses the same with the file opened read-only after the server stops', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    await expectRefusals();
  });
});
