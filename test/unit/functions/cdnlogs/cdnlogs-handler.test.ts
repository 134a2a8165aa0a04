import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../../functions/beacon/handler.ts';
import { createCdnLogsHandler } from '../../../../functions/cdnlogs/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { toMessagePublishedEvent } from '../../../../shared/platform/messaging/pubsub-event.ts';
import type { BeaconBatch } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { rssFeed } from '../../../support/feeds.ts';
import { RecordingBus, fixedClock, httpRequest, platformKey, quietLog, testConfig } from '../../../support/fixtures.ts';

const config = { ...testConfig, platforms: [{ id: 'p1', keys: [platformKey], log_sink: true }] };
const entry = (url: string, insertId = 'abc123') =>
  JSON.stringify({ insertId, timestamp: '2026-11-20T10:00:00.5Z', resource: { type: 'http_load_balancer' }, httpRequest: { requestMethod: 'GET', requestUrl: url, status: 200, responseSize: '1000300', userAgent: 'Overcast/3.0', remoteIp: '203.0.113.9' } });
const event = (data: string, id = 'm1') => toMessagePublishedEvent('demo', 'cdn_logs', 'cdnlogs', id, Buffer.from(data), fixedClock.now());

async function setup() {
  const state = new MemoryStateStore(Date.now);
  const bus = new RecordingBus();
  const beacon = createBeaconHandler({ config, bus: new RecordingBus(), clock: fixedClock, log: quietLog, state });
  const xml = rssFeed([{ guid: 'ep-2', url: 'https://media.example.com/shows/ep2.mp3', length: 1_000_000, duration: '30:00' }]);
  await beacon(httpRequest({ path: '/feeds', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/rss+xml' }, body: Buffer.from(xml) }));
  return { bus, handler: createCdnLogsHandler({ config, bus, clock: fixedClock, log: quietLog, state }) };
}

describe('cdnlogs: load-balancer entries from the Cloud Logging sink', () => {
  it('publishes a catalog download as a beacon with the id the same entry gets through POST /beacon/logs', async () => {
    const { bus, handler } = await setup();
    await handler(event(entry('https://media.example.com/shows/ep2.mp3?x=1')));
    const [record] = bus.payloads<BeaconBatch>('beacons').flatMap((b) => b.records);
    expect(record).toMatchObject({ platform: 'p1', show_id: 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b', episode_id: 'ep-2', file_size: 1_000_000, duration_s: 1800, bytes_sent: 1_000_000, status: 200 });
    const viaLogs = new RecordingBus();
    const logs = createBeaconHandler({ config, bus: viaLogs, clock: fixedClock, log: quietLog, state: new MemoryStateStore(Date.now) });
    await logs(httpRequest({ path: '/feeds', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/rss+xml' }, body: Buffer.from(rssFeed([{ guid: 'ep-2', url: 'https://media.example.com/shows/ep2.mp3', length: 1_000_000, duration: '30:00' }])) }));
    // The export's own serialisation of the entry (keys in another order) is the same event.
    const exported = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(entry('https://media.example.com/shows/ep2.mp3?x=1')) as object).reverse()));
    await logs(httpRequest({ path: '/logs', query: new URLSearchParams({ format: 'cloud-logging' }), body: Buffer.from(exported) }));
    expect(viaLogs.payloads<BeaconBatch>('beacons')[0]?.records[0]?.event_id).toBe(record?.event_id);
  });

  it('drops requests that are no catalog episode, and dead-letters what is not a LogEntry', async () => {
    const { bus, handler } = await setup();
    await handler(event(entry('https://media.example.com/cover.jpg')));
    await handler(event('{"textPayload": "hello"}', 'm2'));
    expect(bus.payloads('beacons')).toEqual([]);
    expect(bus.payloads<{ table: string; rows: Array<{ source: string; reason: string }> }>('facts')).toMatchObject([{ table: 'dead_letters', rows: [{ source: 'cdnlogs', reason: expect.stringMatching(/schema/) }] }]);
  });
});
