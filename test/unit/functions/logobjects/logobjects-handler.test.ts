import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../../functions/beacon/handler.ts';
import { createLogObjectsHandler, tryParseObjectName } from '../../../../functions/logobjects/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { cloudFrontPreamble, toCloudFrontLine } from '../../../../cli/simulate/log-lines.ts';
import { toMessagePublishedEvent } from '../../../../shared/platform/messaging/pubsub-event.ts';
import type { ObjectReader } from '../../../../shared/contracts/ports.ts';
import type { BeaconBatch } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { rssFeed } from '../../../support/feeds.ts';
import { RecordingBus, fixedClock, httpRequest, platformKey, quietLog, testConfig } from '../../../support/fixtures.ts';

const request = { ts: '2026-11-20T10:00:00Z', ip: '203.0.113.9', user_agent: 'Overcast/3.0', method: 'GET', status: 206, range: 'bytes=0-1999999', bytes_sent: 2_000_000, show_id: 'show-a', episode_id: 'ep-1', file_size: 48_000_000, duration_s: 3600 };
const feed = rssFeed([{ guid: 'ep-1', url: 'https://dts.podtrac.com/redirect.mp3/media.earshot-demo.example/show-a/ep-1.mp3', length: 48_000_000, duration: '3600' }]);
const notice = (name: string) => toMessagePublishedEvent('demo', 'log_objects', 'logobjects', 'm1', Buffer.from(JSON.stringify({ kind: 'storage#object', bucket: 'logs', name, size: '100' })), fixedClock.now());

async function setup(files: Record<string, Buffer>) {
  const state = new MemoryStateStore(Date.now);
  const bus = new RecordingBus();
  await createBeaconHandler({ config: testConfig, bus: new RecordingBus(), clock: fixedClock, log: quietLog, state })(
    httpRequest({ path: '/feeds', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/rss+xml' }, body: Buffer.from(feed) }),
  );
  const objects: ObjectReader = { read: async (bucket, name) => files[`${bucket}/${name}`] ?? Promise.reject(new Error('no such object')) };
  return { bus, handler: createLogObjectsHandler({ config: testConfig, bus, clock: fixedClock, log: quietLog, state, objects }) };
}

describe('logobjects: log files dropped into the logs bucket', () => {
  it.each([
    ['cloudfront/p1/E2X.2026-11-20-10.gz', { format: 'cloudfront', platform: 'p1' }],
    ['fastly/p1/2026/11/20/access.log', { format: 'combined', platform: 'p1' }],
    ['gcs/p1/usage_2026_11_20', { format: 'gcs', platform: 'p1' }],
    ['w3c/p1/x.log', { error: expect.stringMatching(/not under <format>\/<platform>\//) }],
    ['cloudfront/nobody/x.log', { error: expect.stringMatching(/names no configured platform/) }],
  ])('%s', (name, expected) => expect(tryParseObjectName(name, new Set(['p1']))).toEqual(expected));

  it('decodes a gzipped CloudFront file into catalog beacons', async () => {
    const text = [...cloudFrontPreamble(), toCloudFrontLine(request, 'r1'), toCloudFrontLine({ ...request, ts: '2026-11-20T10:00:05Z' }, 'r2')].join('\n') + '\n';
    const { bus, handler } = await setup({ 'logs/cloudfront/p1/E2X.2026-11-20-10.abcd.gz': gzipSync(text) });
    await handler(notice('cloudfront/p1/E2X.2026-11-20-10.abcd.gz'));
    const records = bus.payloads<BeaconBatch>('beacons').flatMap((b) => b.records);
    expect(records).toMatchObject([
      { platform: 'p1', show_id: 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b', episode_id: 'ep-1', range: 'bytes=0-1999999', bytes_sent: 2_000_000 },
      { ts: '2026-11-20T10:00:05Z' },
    ]);
  });

  it('dead-letters a file it can never read, and retries one the store could not give', async () => {
    const { bus, handler } = await setup({ 'logs/cloudfront/p1/broken.gz': Buffer.from([0x1f, 0x8b, 1, 2, 3]) });
    await handler(notice('cloudfront/p1/broken.gz'));
    await handler(notice('elsewhere/file.txt'));
    expect(bus.payloads<{ rows: Array<{ reason: string }> }>('facts').flatMap((f) => f.rows.map((r) => r.reason))).toEqual([expect.stringMatching(/not readable gzip/), expect.stringMatching(/not under/)]);
    await expect(handler(notice('cloudfront/p1/missing.gz'))).rejects.toThrow('no such object');
  });
});
