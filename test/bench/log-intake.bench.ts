import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cloudFrontPreamble, episodePath, mediaHost, toCloudFrontLine, toCombinedLine, toShowFeed, type LoggableRequest } from '../../cli/simulate/log-lines.ts';
import { simulateTraffic } from '../../cli/simulate/traffic.ts';
import { createLogDecoder } from '../../shared/intake/logs/decoders.ts';
import { gcsUsageFields } from '../../shared/intake/logs/gcs.ts';
import type { LogFormat } from '../../shared/intake/logs/types.ts';
import { earshotBin } from '../support/earshot-process.ts';
import { startEarshotServer } from './load/servers.ts';
import type { BenchResult } from './report.ts';

const run = promisify(execFile);

function simulatedRequests(count: number): LoggableRequest[] {
  const out: LoggableRequest[] = [];
  for (const day of simulateTraffic({ listeners: Math.ceil(count / 4), days: 3, seed: 11, start: new Date('2026-11-16T00:00:00Z'), assignStudy: () => undefined })) {
    for (const { ads: _ads, id3_size: _id3, event_id: _id, ...r } of day.beacons) out.push({ ...r, ts: `${r.ts.slice(0, 19)}Z` });
    if (out.length >= count) break;
  }
  return out.slice(0, count);
}

const cloudLoggingLine = (r: LoggableRequest, i: number) =>
  JSON.stringify({
    insertId: `ins${i}`,
    httpRequest: { requestMethod: r.method, requestUrl: `https://${mediaHost}${episodePath(r)}`, status: r.status, responseSize: String(r.bytes_sent + 380), userAgent: r.user_agent, remoteIp: r.ip, serverIp: '10.0.0.5', latency: '0.012s', cacheHit: true },
    resource: { type: 'http_load_balancer', labels: { project_id: 'demo', url_map_name: 'earshot-cdn', zone: 'global' } },
    timestamp: r.ts,
    severity: 'INFO',
    logName: 'projects/demo/logs/requests',
    receiveTimestamp: r.ts,
  });
const csv = (fields: readonly string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
const gcsLine = (r: LoggableRequest, i: number) =>
  csv([String(Date.parse(r.ts) * 1000), r.ip, '1', '', r.method, episodePath(r), String(r.status), '0', String(r.bytes_sent), '12000', mediaHost, '', r.user_agent, `req${i}`, 'GET_Object', 'earshot-demo', episodePath(r).slice(1)]);

/** The NDJSON record each line becomes: what `JSON.parse` of the equivalent record must read. */
const recordOf = (r: LoggableRequest, i: number) =>
  JSON.stringify({ event_id: `l_${String(i).padStart(30, '0')}`, type: 'download', ts: r.ts, show_id: r.show_id, episode_id: r.episode_id, ip: r.ip, user_agent: r.user_agent, method: r.method, status: r.status, ...(r.range ? { range: r.range } : {}), bytes_sent: r.bytes_sent, file_size: r.file_size, duration_s: r.duration_s });

/** Lines per second of `each` over `lines`, best of 5 after a warm-up. */
function bestRate(lines: readonly string[], each: () => (line: string) => unknown): number {
  let best = 0;
  for (let round = -1; round < 5; round++) {
    const step = each();
    const started = process.hrtime.bigint();
    for (const line of lines) step(line);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (round >= 0) best = Math.max(best, lines.length / seconds);
  }
  return best;
}

/**
 * Each decoder against `JSON.parse` of the NDJSON records its lines become, in the same run; then
 * `earshot ingest` of a CloudFront file into `earshot start` against posting the same records as
 * NDJSON to `POST /beacon/events` (same body size, two bodies in flight), each on a fresh server.
 */
export function benchLogDecoders(count: number): BenchResult[] {
  const requests = simulatedRequests(count);
  const records = requests.map(recordOf);
  const parseRate = bestRate(records, () => (line) => JSON.parse(line));
  const files: Record<LogFormat, string[]> = {
    cloudfront: requests.map((r, i) => toCloudFrontLine(r, `req${i}`)),
    combined: requests.map((r) => toCombinedLine(r)),
    'cloud-logging': requests.map(cloudLoggingLine),
    gcs: requests.map(gcsLine),
  };
  const results: BenchResult[] = [];
  for (const [format, lines] of Object.entries(files) as Array<[LogFormat, string[]]>) {
    const rate = bestRate(lines, () => {
      const decoder = createLogDecoder(format);
      if (format === 'gcs') decoder.decode(csv(gcsUsageFields));
      return (line) => decoder.decode(line);
    });
    results.push({ name: `log decoder ${format}`, value: rate, unit: 'lines/s', baseline: parseRate, baselineName: 'JSON.parse of the NDJSON record', goal: { ratioAtLeast: 1 } });
  }
  return results;
}

export async function benchIngest(count: number): Promise<BenchResult[]> {
  const requests = simulatedRequests(count);
  const records = requests.map(recordOf);
  const cloudfrontLines = requests.map((r, i) => toCloudFrontLine(r, `req${i}`));
  const results: BenchResult[] = [];

  const work = mkdtempSync(join(tmpdir(), 'earshot-bench-logs-'));
  try {
    const logFile = join(work, 'cloudfront.log');
    writeFileSync(logFile, [...cloudFrontPreamble(), ...cloudfrontLines].join('\n') + '\n');
    const feeds = [...new Set(requests.map((r) => r.show_id))].map((show) => {
      const path = join(work, `${show}.xml`);
      const episodes = new Map(requests.filter((r) => r.show_id === show).map((r) => [r.episode_id, r]));
      writeFileSync(path, toShowFeed(show, [...episodes.values()]));
      return path;
    });

    const ingestData = join(work, 'ingest');
    const ingestServer = await startEarshotServer(ingestData);
    let ingestSeconds: number;
    try {
      await run(process.execPath, [earshotBin, 'feeds', 'add', ...feeds, '--data', ingestData, '--url', ingestServer.server.url]);
      const started = process.hrtime.bigint();
      await run(process.execPath, [earshotBin, 'ingest', '--format', 'cloudfront', logFile, '--data', ingestData, '--url', ingestServer.server.url, '--quiet'], { maxBuffer: 64 << 20 });
      ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await ingestServer.server.stop();
    }

    const postData = join(work, 'post');
    const postServer = await startEarshotServer(postData);
    let postSeconds: number;
    try {
      const bodies: string[] = [];
      for (let i = 0, size = 0, start = 0; i <= records.length; i++) {
        if (i === records.length || size >= 2 * 1024 * 1024) {
          if (i > start) bodies.push(records.slice(start, i).join('\n'));
          start = i;
          size = 0;
        }
        size += (records[i]?.length ?? 0) + 1;
      }
      const started = process.hrtime.bigint();
      let next = 0;
      await Promise.all(
        [0, 1].map(async () => {
          while (next < bodies.length) {
            const body = bodies[next++] as string;
            const response = await fetch(`${postServer.server.url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${postServer.key}` }, body });
            if (response.status !== 202) throw new Error(`POST /beacon/events answered ${response.status}`);
            await response.text();
          }
        }),
      );
      postSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await postServer.server.stop();
    }
    results.push({
      name: 'earshot ingest --format cloudfront into earshot start',
      value: count / ingestSeconds,
      unit: 'lines/s',
      baseline: count / postSeconds,
      baselineName: 'same records as NDJSON to POST /beacon/events',
      goal: { ratioAtLeast: 0.8 },
      note: `${count} lines; ingest includes the CLI's start-up`,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
