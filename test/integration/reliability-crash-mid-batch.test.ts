import { PubSub } from '@google-cloud/pubsub';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createStudyAssigner } from '../../cli/simulate/holdout.ts';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import { createAttributeHandler } from '../../functions/attribute/handler.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { pubsubFunctions } from '../../shared/composition/function-catalog.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { CrashPlan } from '../support/crash-injection.ts';
import { emulatorBus, emulatorStateStore, uniqueName } from '../support/emulators.ts';
import { fixedClock, httpRequest, quietLog, unusedReports } from '../support/fixtures.ts';
import { loadFixedConfig } from '../support/in-process-stack.ts';
import { goodRowInsertId, poisonMessages, toPoisonPayload } from '../support/poison-messages.ts';
import { SubscriberLoop } from '../support/pubsub-subscriber-loop.ts';

// `npm test` runs a small simulation; `npm run test:reliability` a larger one. The Firestore
// emulator is slow, so this has its own size rather than the other reliability tests'.
const listeners = Number(process.env.EARSHOT_CRASH_LISTENERS ?? 120);
const days = Number(process.env.EARSHOT_CRASH_DAYS ?? 1);
const timeoutMs = 900_000;
const crashRate = 0.1;
// Small batches, so the run has many messages to crash in.
const recordsPerPost = 25;

const config = loadFixedConfig();
const classifier = loadDefaultClassifier();

/** The figures compared between runs: everything the warehouse holds for the traffic. */
const queries = {
  delivery_daily: 'SELECT * FROM delivery_daily ORDER BY ALL',
  verdicts: 'SELECT reason, counted, count(*) AS n FROM beacon_events GROUP BY ALL ORDER BY ALL',
  beacon_events: 'SELECT * FROM beacon_events ORDER BY insert_id',
  delivery_deltas: 'SELECT count(*) AS n, sum(requests) AS requests, sum(downloads) AS downloads, sum(ads_delivered) AS ads FROM delivery_deltas',
  dead_letters: 'SELECT source, reason, payload FROM dead_letters ORDER BY ALL',
};

/** The real functions behind the Pub/Sub and Firestore emulators, in a project of their own. */
interface Pipeline {
  projectId: string;
  runtime: Runtime;
  loop: SubscriberLoop;
  warehouse: DuckDbWarehouse;
  crashes: CrashPlan;
  close(): Promise<void>;
}

async function startPipeline(crashRate: number, seed: number): Promise<Pipeline> {
  // A fresh project per run: its own topics, subscriptions and Firestore documents.
  const projectId = uniqueName('crash');
  const universe = { universeDomain: 'googleapis.com' };
  const pubsub = () => new PubSub({ projectId, apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, ...universe });
  const bus = emulatorBus(projectId);
  const state = emulatorStateStore(() => fixedClock.now().getTime(), projectId);
  const warehouse = await DuckDbWarehouse.open(':memory:');
  const crashes = new CrashPlan(crashRate, seed);
  const runtime: Runtime = { config, bus, state, warehouse, reports: unusedReports, clock: fixedClock, log: quietLog, classifier };
  const crashing: Runtime = { ...runtime, bus: crashes.bus(bus), state: crashes.state(state), warehouse: crashes.warehouse(warehouse) };
  const admin = pubsub();
  const loop = await SubscriberLoop.create(admin, [
    { topic: pubsubFunctions.count, subscription: 'count', handler: crashes.handler(createCountHandler(crashing)) },
    { topic: pubsubFunctions.attribute, subscription: 'attribute', handler: crashes.handler(createAttributeHandler(crashing)) },
    { topic: pubsubFunctions.warehouse, subscription: 'warehouse', handler: crashes.handler(createWarehouseHandler(crashing)) },
  ]);
  return {
    projectId,
    runtime,
    loop,
    warehouse,
    crashes,
    close: async () => {
      await Promise.all([loop.close(), bus.close(), state.close(), admin.close()]);
      await warehouse.close();
    },
  };
}

/** Seeded traffic whose days end before the fixed clock's "now". */
function simulatedBeacons(): SimulatedBeacon[] {
  const start = new Date(fixedClock.now().getTime() - (days + 1) * 86_400_000);
  const traffic = simulateTraffic({ listeners, days, seed: 21, start: new Date(start.toISOString().slice(0, 10)), assignStudy: createStudyAssigner(config.studies) });
  return [...traffic].flatMap((day) => day.beacons);
}

/**
 * Small batches that each hold a household's whole day (every request of that address on a UTC
 * day, whatever its User-Agents and shows). Which request is the counted one, which download is
 * the listener's first of the day, and which downloads past a volume threshold are flagged
 * (docs/methodology.md, known limits) depend on the order they arrive in (IAB: the request that
 * first completes the minimum), and Pub/Sub keeps no order between messages; kept in one message,
 * both runs see them in the same order, so every row can be compared, not only totals.
 */
function windowBatches(beacons: readonly SimulatedBeacon[]): SimulatedBeacon[][] {
  const windows = new Map<string, SimulatedBeacon[]>();
  for (const b of beacons) {
    const key = `${b.ip} ${b.ts.slice(0, 10)}`;
    windows.set(key, [...(windows.get(key) ?? []), b]);
  }
  const batches: SimulatedBeacon[][] = [[]];
  for (const requests of windows.values()) {
    const last = batches[batches.length - 1] as SimulatedBeacon[];
    if (last.length && last.length + requests.length > recordsPerPost) batches.push([...requests]);
    else last.push(...requests);
  }
  return batches;
}

/** Posts the beacons to the beacon function (publishing through PubSubBus), in small batches. */
async function intake(runtime: Runtime, beacons: readonly SimulatedBeacon[]): Promise<void> {
  const beacon = createBeaconHandler(runtime);
  const key = config.platforms[0]?.keys[0] ?? '';
  for (const batch of windowBatches(beacons)) {
    const body = Buffer.from(batch.map((b) => JSON.stringify(b)).join('\n'));
    const response = await beacon(httpRequest({ body, headers: { authorization: `Bearer ${key}` } }));
    expect(response.status).toBe(202);
  }
}

async function figures(warehouse: DuckDbWarehouse): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, sql] of Object.entries(queries)) out[name] = (await warehouse.query(sql)).rows;
  return out;
}

describe('the real functions on the Pub/Sub and Firestore emulators, crashing mid-batch', () => {
  const open: Pipeline[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });

  async function run(rate: number, seed: number, beacons: readonly SimulatedBeacon[]) {
    const pipeline = await startPipeline(rate, seed);
    open.push(pipeline);
    await intake(pipeline.runtime, beacons);
    const stats = await pipeline.loop.runUntilIdle();
    return { pipeline, stats, figures: await figures(pipeline.warehouse) };
  }

  it(`leaves the same warehouse numbers with handlers crashing around ${crashRate * 100}% of writes as without`, async () => {
    const beacons = simulatedBeacons();
    const calm = await run(0, 1, beacons);
    const crashing = await run(crashRate, 2, beacons);
    // The crashes happened, at every point, and made the emulator redeliver.
    expect(crashing.pipeline.crashes.counts).toEqual({ beforeWrite: expect.any(Number), partialWrite: expect.any(Number), afterWrite: expect.any(Number), beforeAck: expect.any(Number) });
    for (const [point, n] of Object.entries(crashing.pipeline.crashes.counts)) expect(n, point).toBeGreaterThan(0);
    expect(crashing.stats.failures).toBe(crashing.pipeline.crashes.total);
    expect(calm.stats.failures).toBe(0);

    expect((calm.figures.beacon_events as unknown[]).length).toBe(beacons.length);
    expect(calm.figures.dead_letters).toEqual([]);
    expect((calm.figures.delivery_daily as unknown[]).length).toBeGreaterThan(0);
    expect(crashing.figures).toEqual(calm.figures);
    console.info(`crash mid-batch: ${beacons.length} beacons, ${crashing.stats.deliveries} deliveries, crashes ${JSON.stringify(crashing.pipeline.crashes.counts)}`);
  }, timeoutMs);

  it('dead-letters poison messages with their reason and still processes every good message', async () => {
    const beacons = simulatedBeacons().slice(0, 100);
    const pipeline = await startPipeline(0, 3);
    open.push(pipeline);
    const admin = new PubSub({ projectId: pipeline.projectId, apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, universeDomain: 'googleapis.com' });
    try {
      const poison = poisonMessages();
      await intake(pipeline.runtime, beacons.slice(0, 25));
      for (const m of poison) await admin.topic(m.topic).publishMessage({ data: m.data });
      await intake(pipeline.runtime, beacons.slice(25));
      await pipeline.loop.runUntilIdle();

      const dead = await pipeline.warehouse.query('SELECT source, reason, payload FROM dead_letters');
      const sourceOf = { beacons: 'count', conversions: 'attribute', facts: 'warehouse', cdn_logs: 'cdnlogs', log_objects: 'logobjects' } as const;
      const expected = poison.flatMap((m) => m.rows.map((r) => ({ source: sourceOf[m.topic], reason: expect.stringMatching(r.reason), payload: r.payload ?? toPoisonPayload(m.data) })));
      expect(dead.rows).toEqual(expect.arrayContaining(expected));
      expect(dead.rows).toHaveLength(expected.length);
      const stored = await pipeline.warehouse.query(`SELECT count(*) AS n, count(*) FILTER (insert_id = '${goodRowInsertId}') AS good FROM beacon_events`);
      expect(stored.rows).toEqual([{ n: beacons.length + 1, good: 1 }]);
    } finally {
      await admin.close();
    }
  });
});
