import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cloudFrontPreamble, episodePath, mediaHost, toCloudFrontLine, toCombinedLine, toShowFeed, type LoggableRequest } from '../../cli/simulate/log-lines.ts';
import { simulateTraffic } from '../../cli/simulate/traffic.ts';
import { createLogDecoder } from '../../shared/domain/intake/logs/decoders.ts';
import { gcsUsageFields } from '../../shared/domain/intake/logs/gcs.ts';
import type { LogFormat } from '../../shared/domain/intake/logs/types.ts';
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

/** Lines per second of CPU time (this process's, GC threads included) for one pass of `step` over `lines`. */
function cpuRate(lines: readonly string[], step: (line: string) => unknown): number {
  const started = process.cpuUsage();
  for (const line of lines) step(line);
  const used = process.cpuUsage(started);
  return lines.length / ((used.user + used.system) / 1e6);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const range = (values: readonly number[]) => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;

/**
 * Rounds of the baseline and the subject taken in turn (after one untimed round of each), so a
 * machine that slows down slows both; CPU time, so other processes on a shared machine move
 * neither. Answers the median rates and every round's ratio.
 */
function alternatingRates(baseline: () => number, subject: () => number, rounds: number): { value: number; baseline: number; ratios: number[] } {
  baseline();
  subject();
  const values: number[] = [];
  const baselines: number[] = [];
  for (let round = 0; round < rounds; round++) {
    baselines.push(baseline());
    values.push(subject());
  }
  return { value: median(values), baseline: median(baselines), ratios: values.map((v, i) => v / (baselines[i] as number)) };
}

/**
 * Each decoder against `JSON.parse` of the NDJSON records its lines become, in the same run; then
 * `earshot ingest` of a CloudFront file into `earshot start` against posting the same records as
 * NDJSON to `POST /beacon/events` (same body size, two bodies in flight), each on a fresh server.
 */
export function benchLogDecoders(count: number): BenchResult[] {
  const requests = simulatedRequests(count);
  const records = requests.map(recordOf);
  const files: Record<LogFormat, string[]> = {
    cloudfront: requests.map((r, i) => toCloudFrontLine(r, `req${i}`)),
    combined: requests.map((r) => toCombinedLine(r)),
    'cloud-logging': requests.map(cloudLoggingLine),
    gcs: requests.map(gcsLine),
  };
  const results: BenchResult[] = [];
  for (const [format, lines] of Object.entries(files) as Array<[LogFormat, string[]]>) {
    const decode = () => {
      const decoder = createLogDecoder(format);
      if (format === 'gcs') decoder.decode(csv(gcsUsageFields));
      return cpuRate(lines, (line) => decoder.decode(line));
    };
    const measured = alternatingRates(() => cpuRate(records, (line) => JSON.parse(line)), decode, 7);
    results.push({
      name: `log decoder ${format}`,
      value: measured.value,
      unit: 'lines/s',
      baseline: measured.baseline,
      baselineName: 'JSON.parse of the NDJSON record',
      goal: { ratioAtLeast: 1 },
      note: `median of 7 alternating rounds, CPU time; per round ${range(measured.ratios)}`,
    });
  }
  return results;
}

/** Splits NDJSON records into bodies of about 2 MiB, as `earshot ingest` cuts its file. */
function ndjsonBodies(records: readonly string[]): string[] {
  const bodies: string[] = [];
  for (let i = 0, size = 0, start = 0; i <= records.length; i++) {
    if (i === records.length || size >= 2 * 1024 * 1024) {
      if (i > start) bodies.push(records.slice(start, i).join('\n'));
      start = i;
      size = 0;
    }
    size += (records[i]?.length ?? 0) + 1;
  }
  return bodies;
}

/** Seconds `earshot ingest` takes to send a CloudFront file into a fresh `earshot start` (feeds added first, not timed). */
async function timeIngest(dataDir: string, feeds: readonly string[], logFile: string): Promise<number> {
  const { server } = await startEarshotServer(dataDir);
  try {
    await run(process.execPath, [earshotBin, 'feeds', 'add', ...feeds, '--data', dataDir, '--url', server.url]);
    const started = process.hrtime.bigint();
    await run(process.execPath, [earshotBin, 'ingest', '--format', 'cloudfront', logFile, '--data', dataDir, '--url', server.url, '--quiet'], { maxBuffer: 64 << 20 });
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await server.stop();
  }
}

/** Seconds posting the bodies to a fresh `earshot start` takes, two in flight. */
async function timePost(dataDir: string, bodies: readonly string[]): Promise<number> {
  const { server, key } = await startEarshotServer(dataDir);
  try {
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          const response = await fetch(`${server.url}/beacon/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
          if (response.status !== 202) throw new Error(`POST /beacon/events answered ${response.status}`);
          await response.text();
        }
      }),
    );
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await server.stop();
  }
}

/**
 * `earshot ingest` into `earshot start` against the same records posted as NDJSON, in `pairs`
 * alternating runs, each on a fresh server (wall time: the CLI and the server run side by side).
 */
export async function benchIngest(count: number, pairs = 3): Promise<BenchResult[]> {
  const requests = simulatedRequests(count);
  const bodies = ndjsonBodies(requests.map(recordOf));
  const work = mkdtempSync(join(tmpdir(), 'earshot-bench-logs-'));
  try {
    const logFile = join(work, 'cloudfront.log');
    writeFileSync(logFile, [...cloudFrontPreamble(), ...requests.map((r, i) => toCloudFrontLine(r, `req${i}`))].join('\n') + '\n');
    const feeds = [...new Set(requests.map((r) => r.show_id))].map((show) => {
      const path = join(work, `${show}.xml`);
      const episodes = new Map(requests.filter((r) => r.show_id === show).map((r) => [r.episode_id, r]));
      writeFileSync(path, toShowFeed(show, [...episodes.values()]));
      return path;
    });
    const ingestRates: number[] = [];
    const postRates: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      ingestRates.push(count / (await timeIngest(join(work, `ingest-${pair}`), feeds, logFile)));
      postRates.push(count / (await timePost(join(work, `post-${pair}`), bodies)));
    }
    return [
      {
        name: 'earshot ingest --format cloudfront into earshot start',
        value: median(ingestRates),
        unit: 'lines/s',
        baseline: median(postRates),
        baselineName: 'same records as NDJSON to POST /beacon/events',
        goal: { ratioAtLeast: 0.8 },
        note: `${count} lines, median of ${pairs} alternating runs (per run ${range(ingestRates.map((r, i) => r / (postRates[i] as number)))}); ingest includes the CLI's start-up`,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
