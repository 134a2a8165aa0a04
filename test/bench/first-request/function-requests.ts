import { gzipSync } from 'node:zlib';
import { toDeadLetterRow } from '../../../shared/platform/messaging/dead-letter.ts';
import type { EnrichedConversion } from '../../../shared/contracts/schemas/conversion-message.ts';
import type { Topic } from '../../../shared/contracts/ports.ts';
import { enrichedBeacon } from '../../support/beacons.ts';
import { fixedConfig } from '../../support/fixed-config.ts';
import { computeTestSignature } from '../../support/webhooks.ts';

/** One real request a function serves, as its first after a cold start. */
export interface FirstRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const platformKey = fixedConfig.platforms[0]?.keys[0] ?? '';
const advertiserKey = fixedConfig.advertisers[0]?.keys[0] ?? '';
const vendorSecret = fixedConfig.vendors[0]?.secrets[0] ?? '';
export const analystKey = 'an_first_request_bench_key';
export const logsBucket = 'earshot-bench-logs';
export const logObjectName = 'combined/demo-platform/access.log.gz';

/** The fixed test config, with an analyst (reports) and the log-sink platform (cdnlogs). */
export const benchConfig = {
  ...fixedConfig,
  platforms: fixedConfig.platforms.map((p) => ({ ...p, log_sink: true })),
  analysts: [{ id: 'bench-analyst', keys: [analystKey] }],
};

/** A combined-format access log of one download, the object `logobjects` is told about. */
export function computeLogObject(now: Date): Buffer {
  const stamp = now.toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
  return gzipSync(`203.0.113.9 - - [${stamp}] "GET /shows/s1/e1.mp3 HTTP/1.1" 200 24000000 "-" "Overcast/3.0"\n`);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function push(project: string, topic: Topic, payload: unknown, now: Date): FirstRequest {
  const message = { data: json(payload).toString('base64'), messageId: `bench-${now.getTime()}`, publishTime: now.toISOString() };
  return {
    method: 'POST',
    path: `/projects/${project}/topics/${topic}`,
    headers: { 'content-type': 'application/json' },
    body: json({ message, subscription: `projects/${project}/subscriptions/${topic}-bench` }),
  };
}

function conversion(now: Date): EnrichedConversion {
  return {
    conversion_id: `o:bench-${now.getTime()}`,
    advertiser_id: 'demo-advertiser',
    event: 'purchase',
    ts: now.toISOString(),
    received_at: now.toISOString(),
    source: 'server',
    household_keys: ['householdbenchaaaaaaaa'],
    ua_hash: 12345,
    arms: [],
  };
}

/**
 * The request each function answers with a 2xx only after doing its real work on the emulators
 * (and the loopback BigQuery and Storage fakes): publishing, reading and writing state, inserting.
 */
export function computeFirstRequest(name: string, project: string, now: Date): FirstRequest {
  const ts = now.toISOString();
  switch (name) {
    case 'beacon': {
      const record = { type: 'download', ts, show_id: 's1', episode_id: 'e1', ip: '203.0.113.9', user_agent: 'Overcast/3.0' };
      return { method: 'POST', path: '/events', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/x-ndjson' }, body: json(record) };
    }
    case 'conversion': {
      const record = { event: 'purchase', ts, ip: '203.0.113.9', user_agent: 'Mozilla/5.0', order_id: `bench-${now.getTime()}`, value: 10, currency: 'USD' };
      return { method: 'POST', path: '/events', headers: { authorization: `Bearer ${advertiserKey}`, 'content-type': 'application/x-ndjson' }, body: json(record) };
    }
    case 'verification': {
      const body = json({ impression_id: 'e1', campaign_id: 'camp-meals', measured_at: ts, ivt: 'valid' });
      const id = `msg_bench_${now.getTime()}`;
      const timestamp = Math.floor(now.getTime() / 1000);
      const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': computeTestSignature(vendorSecret, id, timestamp, body) };
      return { method: 'POST', path: '/demo-vendor', headers, body };
    }
    case 'assign':
      return { method: 'GET', path: '/?study=demo-study&ip=203.0.113.9', headers: {} };
    case 'reports':
      return { method: 'GET', path: '/v1/delivery?from=2026-11-01&to=2026-11-30', headers: { authorization: `Bearer ${analystKey}` } };
    case 'count':
      return push(project, 'beacons', { records: [enrichedBeacon({ platform: 'demo-platform', ts, received_at: ts })] }, now);
    case 'attribute':
      return push(project, 'conversions', { conversions: [conversion(now)] }, now);
    case 'warehouse':
      return push(project, 'facts', { table: 'dead_letters', rows: [toDeadLetterRow('bench', `m-${now.getTime()}`, 'first-request bench', '{}', now)] }, now);
    case 'cdnlogs': {
      const entry = { insertId: `bench-${now.getTime()}`, timestamp: ts, resource: { type: 'http_load_balancer' }, httpRequest: { requestMethod: 'GET', requestUrl: 'https://media.example.com/e1.mp3', status: 200, responseSize: '1000300', userAgent: 'Overcast/3.0', remoteIp: '203.0.113.9' } };
      return push(project, 'cdn_logs', entry, now);
    }
    case 'logobjects':
      return push(project, 'log_objects', { bucket: logsBucket, name: logObjectName }, now);
    default:
      throw new Error(`no first request defined for function ${name}`);
  }
}
