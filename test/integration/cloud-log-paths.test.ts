import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { PubSub } from '@google-cloud/pubsub';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { cloudFrontPreamble, toCloudFrontLine } from '../../cli/simulate/log-lines.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createCdnLogsHandler } from '../../functions/cdnlogs/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createLogObjectsHandler } from '../../functions/logobjects/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import { createGcsObjectReader } from '../../shared/adapters/gcp/gcs-object-reader.ts';
import type { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import type { PubSubBus } from '../../shared/adapters/gcp/pubsub-bus.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import type { BeaconBatch } from '../../shared/contracts/schemas/beacon-message.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import type { FactsBatch } from '../../shared/contracts/schemas/facts-message.ts';
import type { DeadLetterRow } from '../../shared/contracts/schemas/rows.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { emulatorBus, emulatorStateStore, uniqueName } from '../support/emulators.ts';
import { rssFeed } from '../support/feeds.ts';
import { fixedClock, httpRequest, platformKey, quietLog, testConfig } from '../support/fixtures.ts';
import { PullSubscription, toEvent, type PulledMessage } from '../support/pubsub-pull.ts';

// Topics of their own emulator project: other test files pull `beacons` and `facts` in the shared one.
const isolatedProject = 'earshot-cloud-logs-test';
const isolatedPubSub = () => new PubSub({ projectId: isolatedProject, apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, universeDomain: 'googleapis.com' });
const classifier = loadDefaultClassifier();
const bucket = 'demo-earshot-logs';

/** Cloud Storage's JSON API and the metadata server's token, as far as the GCS reader uses them, on loopback. */
async function startFakeStorage(objects: Map<string, Buffer>): Promise<{ server: Server; fetch: typeof fetch }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.endsWith('/service-accounts/default/token')) {
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ access_token: 'test-token', expires_in: 3600 }));
      return;
    }
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
    const bytes = object && url.searchParams.get('alt') === 'media' && req.headers.authorization === 'Bearer test-token' ? objects.get(`${decodeURIComponent(object[1] ?? '')}/${decodeURIComponent(object[2] ?? '')}`) : undefined;
    if (!bytes) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The reader's own URLs, sent to loopback: nothing leaves the machine.
  const toLoopback: typeof fetch = (input, init) => fetch(String(input).replace('https://storage.googleapis.com', base).replace('http://metadata.google.internal', base), init);
  return { server, fetch: toLoopback };
}

describe('cdnlogs and logobjects through the Pub/Sub and Firestore emulators', () => {
  let config: EarshotConfig;
  let episode: string;
  let admin: PubSub;
  let bus: PubSubBus;
  let state: FirestoreStateStore;
  let warehouse: DuckDbWarehouse;
  let subscriptions: Record<'beacons' | 'facts' | 'cdn_logs' | 'log_objects', PullSubscription>;
  let storage: { server: Server; fetch: typeof fetch };
  const objects = new Map<string, Buffer>();

  beforeEach(async () => {
    // Catalog and counting state stay in the emulator between runs: a platform and an episode of this test's own.
    config = { ...testConfig, platforms: [{ id: uniqueName('p'), keys: [platformKey], log_sink: true }] };
    episode = uniqueName('ep');
    admin = isolatedPubSub();
    bus = emulatorBus(isolatedProject);
    state = emulatorStateStore(() => fixedClock.now().getTime());
    warehouse = await DuckDbWarehouse.open(':memory:');
    subscriptions = {
      beacons: await PullSubscription.create(admin, 'beacons'),
      facts: await PullSubscription.create(admin, 'facts'),
      cdn_logs: await PullSubscription.create(admin, 'cdn_logs'),
      log_objects: await PullSubscription.create(admin, 'log_objects'),
    };
    storage = await startFakeStorage(objects);
    const feed = rssFeed([{ guid: episode, url: `https://dts.podtrac.com/redirect.mp3/media.earshot-demo.example/show-a/${episode}.mp3`, length: 48_000_000, duration: '3600' }]);
    const beacon = createBeaconHandler({ config, bus, clock: fixedClock, log: quietLog, state });
    const added = await beacon(httpRequest({ path: '/feeds', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/rss+xml' }, body: Buffer.from(feed) }));
    expect(added.status).toBe(200);
  });
  afterEach(async () => {
    await Promise.all([bus.close(), admin.close(), state.close(), warehouse.close(), ...Object.values(subscriptions).map((s) => s.close())]);
    await new Promise((resolve) => storage.server.close(resolve));
  });

  const payloads = <T>(messages: readonly PulledMessage[]) => messages.map((m) => JSON.parse(m.data.toString('utf8')) as T);
  const deadLetters = (facts: readonly PulledMessage[]) => payloads<FactsBatch>(facts).filter((b) => b.table === 'dead_letters').flatMap((b) => b.rows as DeadLetterRow[]);

  /** Runs pulled `beacons` messages through `count` and its facts through `warehouse` into DuckDB: what the cloud stores. */
  async function store(beaconMessages: readonly PulledMessage[], earlierFacts: readonly PulledMessage[] = []): Promise<void> {
    const count = createCountHandler({ config, bus, state, clock: fixedClock, log: quietLog, classifier });
    for (const message of beaconMessages) await count(toEvent(message, isolatedProject));
    const write = createWarehouseHandler({ warehouse, clock: fixedClock, log: quietLog });
    for (const message of [...earlierFacts, ...(await subscriptions.facts.drain())]) await write(toEvent(message, isolatedProject));
  }

  const storedEvents = async () => (await warehouse.query('SELECT event_id, reason FROM beacon_events ORDER BY event_id')).rows as Array<{ event_id: string; reason: string }>;

  it('logobjects: a CloudFront file announced on log_objects becomes one beacon per line, a redelivered notice stores nothing twice, a bad line is a dead letter', async () => {
    const platform = config.platforms[0]?.id as string;
    const name = `cloudfront/${platform}/E2X.2026-11-20-10.abcd.gz`;
    const request = { ts: '2026-11-20T10:00:00Z', ip: '203.0.113.9', user_agent: 'Overcast/3.0', method: 'GET', status: 200, bytes_sent: 48_000_000, show_id: 'show-a', episode_id: episode, file_size: 48_000_000, duration_s: 3600 };
    const lines = [...cloudFrontPreamble(), toCloudFrontLine(request, 'r1'), 'not\ta\tcloudfront\tline', toCloudFrontLine({ ...request, ts: '2026-11-20T10:30:00Z', ip: '198.51.100.7' }, 'r2')];
    objects.set(`${bucket}/${name}`, gzipSync(lines.join('\n') + '\n'));
    const handler = createLogObjectsHandler({ config, bus, state, clock: fixedClock, log: quietLog, objects: createGcsObjectReader(storage.fetch) });

    // What the bucket's notification publishes (JSON_API_V1), read back from the emulator.
    await bus.publish('log_objects', [Buffer.from(JSON.stringify({ kind: 'storage#object', bucket, name, generation: '1', size: '4096' }))]);
    const [notice, ...others] = await subscriptions.log_objects.drain();
    expect(others).toEqual([]);
    await handler(toEvent(notice as PulledMessage, isolatedProject));
    const first = await subscriptions.beacons.drain();
    const firstFacts = await subscriptions.facts.drain();
    // Pub/Sub delivers the same notice again (at least once): the file is read again.
    await handler(toEvent(notice as PulledMessage, isolatedProject));
    const second = await subscriptions.beacons.drain();

    const records = payloads<BeaconBatch>(first).flatMap((b) => b.records);
    expect(records).toMatchObject([
      { platform, episode_id: episode, ts: '2026-11-20T10:00:00Z', bytes_sent: 48_000_000 },
      { platform, episode_id: episode, ts: '2026-11-20T10:30:00Z' },
    ]);
    expect(payloads<BeaconBatch>(second).flatMap((b) => b.records.map((r) => r.event_id))).toEqual(records.map((r) => r.event_id));

    const [rejected, ...more] = deadLetters(firstFacts);
    expect(more).toEqual([]);
    expect(rejected).toMatchObject({ source: 'logobjects', reason: expect.stringMatching(/^1 of 5 lines of gs:\/\/demo-earshot-logs\/cloudfront\/.* rejected \(decode: 1\)$/) });
    expect(JSON.parse(rejected?.payload ?? '{}')).toMatchObject({ rejected: [{ line: 4, errors: [{ rule: 'decode', message: expect.stringMatching(/tab-separated fields/) }] }], rejected_count: 1 });

    await store([...first, ...second], firstFacts);
    expect((await storedEvents()).map((e) => e.event_id)).toEqual(records.map((r) => r.event_id).sort());
    expect((await warehouse.query('SELECT count(DISTINCT insert_id) AS n FROM dead_letters')).rows).toEqual([{ n: 1 }]);
  });

  it('logobjects: an object the store cannot give is retried (the handler throws), not acknowledged', async () => {
    const handler = createLogObjectsHandler({ config, bus, state, clock: fixedClock, log: quietLog, objects: createGcsObjectReader(storage.fetch) });
    await bus.publish('log_objects', [Buffer.from(JSON.stringify({ bucket, name: `cloudfront/${config.platforms[0]?.id}/gone.gz` }))]);
    const [notice] = await subscriptions.log_objects.drain();
    await expect(handler(toEvent(notice as PulledMessage, isolatedProject))).rejects.toThrow(/storage answered 404/);
    expect(await subscriptions.beacons.drain()).toEqual([]);
  });

  it('cdnlogs: LogEntries from the sink topic become beacons once however often delivered; a refused entry is a dead letter', async () => {
    const entry = (insertId: string, httpRequest: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ insertId, timestamp: '2026-11-20T10:00:00.250Z', resource: { type: 'http_load_balancer' }, httpRequest: { requestMethod: 'GET', status: 200, responseSize: '48000380', userAgent: 'Overcast/3.0', remoteIp: '203.0.113.9', ...httpRequest } }));
    const url = `https://media.earshot-demo.example/show-a/${episode}.mp3`;
    const good = entry('good-1', { requestUrl: url });
    // The sink publishes every request the load balancer served: a download twice (a redelivery), an image, a broken entry.
    await bus.publish('cdn_logs', [good, good, entry('image-1', { requestUrl: 'https://media.earshot-demo.example/cover.jpg' }), entry('broken-1', { requestUrl: url, status: 'OK' })]);
    const handler = createCdnLogsHandler({ config, bus, state, clock: fixedClock, log: quietLog });
    const delivered = await subscriptions.cdn_logs.drain();
    expect(delivered).toHaveLength(4);
    for (const message of delivered) await handler(toEvent(message, isolatedProject));

    const beaconMessages = await subscriptions.beacons.drain();
    const records = payloads<BeaconBatch>(beaconMessages).flatMap((b) => b.records);
    expect(records).toHaveLength(2);
    expect(new Set(records.map((r) => r.event_id)).size).toBe(1);
    expect(records[0]).toMatchObject({ platform: config.platforms[0]?.id, episode_id: episode, bytes_sent: 48_000_000, file_size: 48_000_000 });

    const facts = await subscriptions.facts.drain();
    expect(deadLetters(facts)).toEqual([expect.objectContaining({ source: 'cdnlogs', reason: 'LogEntry refused: httpRequest.status is missing or not an HTTP status', payload: expect.stringContaining('broken-1') })]);
    await store(beaconMessages, facts);
    expect(await storedEvents()).toEqual([{ event_id: records[0]?.event_id, reason: 'counted' }]);
  });
});
