import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import type { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { GoogleApi, GoogleApiError, toEmulatorUrl } from '../../shared/adapters/gcp/google-api.ts';
import { createPubSubBus, PubSubBus } from '../../shared/adapters/gcp/pubsub-bus.ts';
import { createGrpcTransport } from '../../shared/adapters/gcp/pubsub-grpc-transport.ts';
import { createRestTransport } from '../../shared/adapters/gcp/pubsub-rest-transport.ts';
import type { Topic } from '../../shared/contracts/ports.ts';
import { freePort } from '../support/built-function.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { BeaconBatch } from '../../shared/contracts/schemas/beacon-message.ts';
import type { FactsBatch } from '../../shared/contracts/schemas/facts-message.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { emulatorPubSub, emulatorStateStore, projectId, uniqueName } from '../support/emulators.ts';
import { fixedClock, quietLog, sampleRecord, testConfig, unusedReports } from '../support/fixtures.ts';
import { PullSubscription, toEvent, type PulledMessage } from '../support/pubsub-pull.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

const keyer = new HouseholdKeyer('x'.repeat(32));
const classifier = loadDefaultClassifier();

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const decode = <T>(message: PulledMessage) => JSON.parse(message.data.toString('utf8')) as T;
const rowsOf = (messages: readonly PulledMessage[], table: string) =>
  messages.map((m) => decode<FactsBatch>(m)).filter((b) => b.table === table).flatMap((b) => b.rows);

/** Each way the bus can publish, on the Pub/Sub at `host`. */
const transports: Record<string, (project: string, host: string) => PubSubBus> = {
  'REST, then gRPC (as the functions publish)': (project, host) => createPubSubBus(project, host),
  'REST alone': (project, host) => new PubSubBus(createRestTransport(new GoogleApi({ baseUrl: toEmulatorUrl(host), token: async () => undefined })), project),
  'gRPC alone': (project, host) => new PubSubBus(createGrpcTransport({ emulatorHost: host }), project),
};

describe.each(Object.entries(transports))('PubSubBus on the Pub/Sub emulator, %s', (_transport, makeBus) => {
  let admin: PubSub;
  let bus: PubSubBus;
  let state: FirestoreStateStore;
  let beacons: PullSubscription;
  let facts: PullSubscription;
  let warehouse: DuckDbWarehouse;
  let runtime: Runtime;
  // Counting state persists in the emulator across tests; a fresh episode keeps each test's own.
  let episode: string;

  /** Downloads of one listener with enough bytes served to count, one per event id. */
  function beaconBatch(...eventIds: string[]): BeaconBatch {
    const receivedAt = fixedClock.now().toISOString();
    const record = { ...sampleRecord, episode_id: episode, bytes_sent: 20_000_000, file_size: 60_000_000, duration_s: 3600 };
    return { records: eventIds.map((id, i) => toEnrichedBeacon({ ...record, event_id: id, ts: `2026-11-20T10:0${i}:00Z` }, 'p1', receivedAt, keyer, sharedIpLookup())) };
  }

  beforeAll(() => {
    admin = emulatorPubSub();
  });
  afterAll(() => admin.close());

  beforeEach(async () => {
    episode = uniqueName('ep');
    bus = makeBus(projectId(), inject('pubsubEmulatorHost'));
    // State read with the tests' clock, so what count keeps "for two days" is not already expired.
    state = emulatorStateStore(() => fixedClock.now().getTime());
    beacons = await PullSubscription.create(admin, 'beacons');
    facts = await PullSubscription.create(admin, 'facts');
    warehouse = await DuckDbWarehouse.open(':memory:');
    runtime = { config: testConfig, bus, state, warehouse, reports: unusedReports, clock: fixedClock, log: quietLog, classifier };
  });
  afterEach(() => Promise.all([bus.close(), state.close(), beacons.close(), facts.close(), warehouse.close()]));

  /** Runs each pulled `beacons` message through `count` (PubSubBus as its bus), then pulls `facts`. */
  async function count(messages: readonly PulledMessage[]): Promise<PulledMessage[]> {
    const handler = createCountHandler(runtime);
    for (const message of messages) await handler(toEvent(message, projectId()));
    return facts.drain();
  }

  /** Runs pulled `facts` messages through `warehouse` into the in-memory DuckDB. */
  async function store(messages: readonly PulledMessage[]): Promise<DuckDbWarehouse> {
    const handler = createWarehouseHandler(runtime);
    for (const message of messages) await handler(toEvent(message, projectId()));
    return warehouse;
  }

  it('delivers every byte intact, binary and large messages included', async () => {
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = Buffer.alloc(3 * 1024 * 1024, 'abc\u00e9\u0000');
    const text = Buffer.from('{"x":"\u00fc\u{1F600}"}');
    await bus.publish('beacons', [everyByte, large, text]);
    const pulled = await beacons.drain();
    const base64 = (buffers: readonly Buffer[]) => buffers.map((b) => b.toString('base64')).sort();
    expect(base64(pulled.map((m) => m.data))).toEqual(base64([everyByte, large, text]));
    expect(new Set(pulled.map((m) => m.messageId)).size).toBe(3);
  });

  it('publishes calls made at once, and a call after close, each message once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => bus.publish('beacons', [encode({ n: i })])));
    await bus.close();
    await bus.publish('beacons', [encode({ n: 20 })]);
    const pulled = await beacons.drain();
    expect(pulled.map((m) => JSON.parse(m.data.toString()) as { n: number }).map((m) => m.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i));
  });

  it('publishes a batch gzipped, marked content_encoding gzip, and small messages as they are', async () => {
    const batch = encode({ records: Array.from({ length: 1000 }, (_, i) => ({ ...sampleRecord, event_id: `e${i}` })) });
    const small = encode({ n: 1 });
    await bus.publish('beacons', [batch, small]);
    const pulled = await beacons.drain();
    const [big, tiny] = [...pulled].sort((a, b) => b.data.length - a.data.length);
    expect(big?.wire.attributes).toEqual({ content_encoding: 'gzip' });
    expect(big?.wire.data.length).toBeLessThan(batch.length / 10);
    expect(big?.data).toEqual(batch);
    expect(tiny?.wire).toEqual({ data: small });
  });

  it('resolves publish only once the server holds all of a 1,000-message batch', async () => {
    const messages = Array.from({ length: 1000 }, (_, i) => encode({ n: i }));
    await bus.publish('beacons', messages);
    // No waiting or retrying: what the first pulls return is exactly what the server had.
    const pulled = await beacons.drain();
    expect(pulled.map((m) => decode<{ n: number }>(m).n).sort((a, b) => a - b)).toEqual(messages.map((_, i) => i));
  });

  it('publishes to the topic named, not to the others', async () => {
    await bus.publish('facts', [encode({ only: 'facts' })]);
    expect(await beacons.drain()).toEqual([]);
    expect((await facts.drain()).map((m) => decode(m))).toEqual([{ only: 'facts' }]);
  });

  it('refuses a topic that does not exist as NOT_FOUND (404) at once, without retrying', async () => {
    const started = Date.now();
    const refusal = await bus.publish('no-such-topic' as Topic, [encode({ n: 1 })]).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(GoogleApiError);
    expect(refusal).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries a Pub/Sub it cannot reach, then rejects (a connection refused over REST, UNAVAILABLE over gRPC)', async () => {
    const unreachable = makeBus(projectId(), `127.0.0.1:${await freePort()}`);
    try {
      const started = Date.now();
      const refusal = await unreachable.publish('beacons', [encode({ n: 1 })]).catch((err: unknown) => err);
      expect(String(refusal)).toMatch(/ECONNREFUSED|UNAVAILABLE/);
      // Three backoffs of 100, 200 and 400 ms, each between half and one and a half times that.
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    } finally {
      await unreachable.close();
    }
  });

  it('count turns a pulled beacons message into beacon_events and delivery_deltas on facts', async () => {
    const batch = beaconBatch('e-1', 'e-2');
    await bus.publish('beacons', [encode(batch)]);
    const out = await count(await beacons.drain());
    expect(rowsOf(out, 'beacon_events')).toEqual([
      expect.objectContaining({ insert_id: 'p1/e-1', episode_id: episode, household_key: batch.records[0]!.household_key, counted: true }),
      // The same listener and episode again within the window counts once.
      expect.objectContaining({ insert_id: 'p1/e-2', episode_id: episode, counted: false, reason: 'already_counted' }),
    ]);
    expect(rowsOf(out, 'beacon_events')[0]).not.toHaveProperty('ip');
    expect(rowsOf(out, 'delivery_deltas')).toEqual([expect.objectContaining({ episode_id: episode, requests: 2, downloads: 1 })]);
  });

  it('gives a redelivered message the same facts and leaves one row per record', async () => {
    await bus.publish('beacons', [encode(beaconBatch('e-1', 'e-2', 'e-3'))]);
    const [message] = await beacons.drain();
    const first = await count([message!]);
    const second = await count([message!]);
    for (const table of ['beacon_events', 'delivery_deltas']) expect(rowsOf(second, table)).toEqual(rowsOf(first, table));
    const db = await store([...first, ...second]);
    const { rows } = await db.query('SELECT insert_id, count(*) AS n FROM beacon_events GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual([
      { insert_id: 'p1/e-1', n: 1 },
      { insert_id: 'p1/e-2', n: 1 },
      { insert_id: 'p1/e-3', n: 1 },
    ]);
    expect((await db.query('SELECT sum(downloads) AS downloads FROM delivery_deltas')).rows).toEqual([{ downloads: 1 }]);
  });

  it('dead-letters a non-JSON message through facts instead of throwing, once however often delivered', async () => {
    await admin.topic('beacons').publishMessage({ data: Buffer.from([0x6e, 0x6f, 0xff, 0xfe, 0x00, 0x7b]) });
    const [poison] = await beacons.drain();
    const out = await count([poison!, poison!]);
    expect(out.map((m) => decode<FactsBatch>(m).table)).toEqual(['dead_letters', 'dead_letters']);
    const db = await store(out);
    expect((await db.query('SELECT count(*) AS n FROM beacon_events')).rows).toEqual([{ n: 0 }]);
    const { rows } = await db.query('SELECT insert_id, source, message_id, reason FROM dead_letters');
    expect(rows).toEqual([
      {
        insert_id: `count/${poison!.messageId}`,
        source: 'count',
        message_id: poison!.messageId,
        reason: expect.stringMatching(/^message is not JSON: /),
      },
    ]);
  });
});
