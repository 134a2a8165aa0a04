import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudFrontPreamble, toCloudFrontLine, toCombinedLine, toShowFeed } from '../../cli/simulate/log-lines.ts';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { runEarshot, startEarshot } from '../support/earshot-process.ts';

const work = mkdtempSync(join(tmpdir(), 'earshot-logs-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// One day of simulated downloads, with what a log line carries: no ads, no ID3 size, whole seconds.
const beacons: SimulatedBeacon[] = [...simulateTraffic({ listeners: 150, days: 1, seed: 7, start: new Date('2026-11-01T00:00:00Z'), assignStudy: () => undefined })].flatMap((d) => d.beacons);
const requests = beacons.map(({ ads: _ads, id3_size: _id3, event_id: _id, ...r }) => ({ ...r, ts: `${r.ts.slice(0, 19)}Z` }));

const reasonsQuery = 'SELECT show_id, episode_id, reason, count(*) AS n FROM beacon_events GROUP BY ALL ORDER BY ALL';

/** Starts a fresh `earshot start`, feeds it, sends the traffic one way, and answers its verdicts by reason. */
async function countThrough(name: string, send: (url: string, key: string, data: string) => Promise<void>): Promise<unknown> {
  const data = join(work, name);
  const server = await startEarshot(['--data', data]);
  try {
    const key = (JSON.parse(readFileSync(join(data, 'config.json'), 'utf8')) as EarshotConfig).platforms[0]?.keys[0] ?? '';
    await send(server.url, key, data);
    const result = await runEarshot(['query', reasonsQuery, '--data', data, '--json']);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  } finally {
    await server.stop('SIGTERM');
  }
}

describe('CDN logs and JSON records of the same traffic', () => {
  const shows = new Map<string, Map<string, (typeof requests)[number]>>();
  for (const r of requests) shows.set(r.show_id, (shows.get(r.show_id) ?? new Map()).set(r.episode_id, r));
  const feeds = [...shows].map(([show, episodes]) => {
    const path = join(work, `${show}.xml`);
    writeFileSync(path, toShowFeed(show, [...episodes.values()]));
    return path;
  });
  const cloudfront = join(work, 'traffic-cloudfront.log');
  writeFileSync(cloudfront, [...cloudFrontPreamble(), ...requests.map((r, i) => toCloudFrontLine(r, `req-${i}`))].join('\n') + '\n');
  const combined = join(work, 'traffic-combined.log.gz');
  writeFileSync(combined, gzipSync(requests.map((r) => toCombinedLine(r)).join('\n') + '\n'));

  it('give the same downloads and verdict reasons', async () => {
    const viaJson = await countThrough('json', async (url, key) => {
      const response = await fetch(`${url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: requests.map((r) => JSON.stringify(r)).join('\n') });
      expect(await response.json()).toMatchObject({ accepted: requests.length });
    });
    const ingest = (format: string, file: string) => async (_url: string, _key: string, data: string) => {
      const added = await runEarshot(['feeds', 'add', ...feeds, '--data', data]);
      expect(added.code).toBe(0);
      const ingested = await runEarshot(['ingest', '--format', format, file, '--data', data, '--quiet']);
      expect(ingested.code).toBe(0);
      expect(JSON.parse(ingested.stdout)).toMatchObject({ lines: requests.length, accepted: requests.length, rejected: 0 });
    };
    const viaCloudFront = await countThrough('cloudfront', ingest('cloudfront', cloudfront));
    const viaCombined = await countThrough('combined', ingest('combined', combined));
    expect(viaJson).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'counted' })]));
    expect(viaCloudFront).toEqual(viaJson);
    expect(viaCombined).toEqual(viaJson);
  });

  it('resumes an ingest where it stopped and does not ingest a finished file twice', async () => {
    const data = join(work, 'resume');
    const server = await startEarshot(['--data', data]);
    try {
      expect((await runEarshot(['feeds', 'add', ...feeds, '--data', data])).code).toBe(0);
      // An interrupted run left its position after line 300 (the two header lines and 298 requests).
      const stat = (await import('node:fs')).statSync(cloudfront);
      writeFileSync(join(data, 'ingest-state.json'), JSON.stringify({ [cloudfront]: { size: stat.size, mtime_ms: stat.mtimeMs, format: 'cloudfront', line: 300, done: false } }));
      const resumed = JSON.parse((await runEarshot(['ingest', '--format', 'cloudfront', cloudfront, '--data', data, '--quiet'])).stdout) as Record<string, unknown>;
      expect(resumed).toMatchObject({ lines: requests.length - 298, accepted: requests.length - 298, resumed_after_lines: 300 });
      const again = JSON.parse((await runEarshot(['ingest', '--format', 'cloudfront', cloudfront, '--data', data, '--quiet'])).stdout) as Record<string, unknown>;
      expect(again).toMatchObject({ lines: 0, already_ingested: 1 });
    } finally {
      await server.stop('SIGTERM');
    }
  });
});
