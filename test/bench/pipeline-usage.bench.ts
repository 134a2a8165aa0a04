import { createDemoConfig } from '../../cli/local/demo-config.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import { computeBatchId } from '../../shared/domain/facts/delivery-deltas.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import { BeaconBatch } from '../../shared/contracts/schemas/beacon-message.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { MemoryStateStore } from '../../shared/adapters/local/memory-state.ts';
import { describeErrors, tryParseConfig } from '../../shared/platform/config/parse-config.ts';
import { createLogger } from '../../shared/platform/logging/logger.ts';
import { computeWireMessage, type WireMessage } from '../../shared/platform/messaging/message-encoding.ts';
import { toMessagePublishedEvent } from '../../shared/platform/messaging/pubsub-event.ts';
import { systemClock, type EventBus, type StateStore, type StateWrite, type Topic } from '../../shared/contracts/ports.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { buildNdjsonBodies } from './batch-intake.bench.ts';
import { countBatchPerWindow } from './baselines/per-window-count-batch.ts';
import type { BenchResult } from './report.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';

/**
 * Keeps what each function publishes, encoded as the cloud bus publishes it (gzipped, in the
 * publisher's CPU time), so the next function can be timed alone on it, inflating included.
 */
class RecordingBus implements EventBus {
  readonly messages = new Map<Topic, WireMessage[]>();
  readonly jsonBytes = new Map<Topic, number>();
  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    this.messages.set(topic, [...(this.messages.get(topic) ?? []), ...messages.map(computeWireMessage)]);
    this.jsonBytes.set(topic, (this.jsonBytes.get(topic) ?? 0) + messages.reduce((n, m) => n + m.length, 0));
  }
}

/** Counts document reads and writes as Firestore bills them (a transaction's reads and writes). */
class CountingStateStore implements StateStore {
  reads = 0;
  writes = 0;
  /** Every document written: each is deleted once when its TTL expires. */
  readonly documents = new Set<string>();
  constructor(readonly inner: StateStore) {}
  getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    this.reads += ids.length;
    return this.inner.getMany<T>(collection, ids);
  }
  createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    this.writes++;
    this.documents.add(`${collection}/${id}`);
    return this.inner.createIfAbsent(collection, id, doc, expiresAt);
  }
  transact<T extends object, R>(collection: string, ids: readonly string[], decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R }): Promise<R> {
    this.reads += ids.length;
    return this.inner.transact<T, R>(collection, ids, (current) => {
      const decided = decide(current);
      this.writes += decided.writes.length;
      for (const w of decided.writes) this.documents.add(`${collection}/${w.id}`);
      return decided;
    });
  }
}

/** CPU seconds (user + system, every thread of this process) that `work` takes. */
async function cpuSeconds(work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Bytes Pub/Sub bills for messages: data and attributes (keys and values). */
const sum = (messages: readonly WireMessage[]) =>
  messages.reduce((n, m) => n + m.data.length + Object.entries(m.attributes ?? {}).reduce((a, [k, v]) => a + k.length + v.length, 0), 0);

/**
 * What the beacon pipeline uses per beacon, the inputs of the cost model (docs/cost.md): each
 * function run alone over the previous one's messages (CPU time), the messages and bytes it
 * publishes, and the state store's document reads and writes, against the state layout the
 * household documents replaced, counted over the same messages in the same run.
 */
export async function benchPipelineUsage(bodyCount: number): Promise<BenchResult[]> {
  const parsed = tryParseConfig(JSON.stringify(createDemoConfig()));
  if (!parsed.ok) throw new Error(describeErrors(parsed.errors));
  const config = parsed.value;
  const log = createLogger({ minSeverity: 'ERROR' });
  const bodies = buildNdjsonBodies(bodyCount);
  const beacons = bodyCount * 1000;
  const authorization = `Bearer ${config.platforms[0]?.keys[0]}`;

  const intakeBus = new RecordingBus();
  const beacon = createBeaconHandler({ config, bus: intakeBus, clock: systemClock, log, state: new MemoryStateStore(Date.now) });
  const beaconCpu = await cpuSeconds(async () => {
    for (const body of bodies) {
      const response = await beacon({ method: 'POST', path: '/events', query: new URLSearchParams(), headers: { authorization, 'content-type': 'application/x-ndjson' }, body, clientIp: '127.0.0.1' });
      if (response.status !== 202) throw new Error(`beacon answered ${response.status}: ${String(response.body)}`);
    }
  });
  const beaconMessages = intakeBus.messages.get('beacons') ?? [];

  const state = new CountingStateStore(new MemoryStateStore());
  const countBus = new RecordingBus();
  const count = createCountHandler({ config, bus: countBus, state, clock: systemClock, log, classifier: loadDefaultClassifier() });
  const event = (topic: Topic, wire: WireMessage, i: number) => toMessagePublishedEvent('bench', topic, topic, String(i), wire.data, new Date(), wire.attributes);
  const countCpu = await cpuSeconds(async () => {
    for (const [i, data] of beaconMessages.entries()) await count(event('beacons', data, i));
  });
  const factMessages = countBus.messages.get('facts') ?? [];

  // The same messages counted with the layout the household documents replaced, through the same decoding.
  const perWindow = new CountingStateStore(new MemoryStateStore());
  const classifier = loadDefaultClassifier();
  const rules = { window: config.counting.window, keepFirstTwoBytes: config.counting.keep_first_two_bytes };
  const validateBeaconBatch = validatorFor(BeaconBatch);
  const countPerWindow = createPubsubHandler({
    source: 'count',
    validate: validateBeaconBatch,
    clock: systemClock,
    log,
    deadLetter: () => Promise.reject(new Error('a beacons message was dead-lettered')),
    process: async (batch) => {
      const batchId = computeBatchId(batch.records.map((r) => `${r.platform}/${r.event_id}`));
      await countBatchPerWindow(batch.records, batchId, { state: perWindow, rules, classifier, clock: systemClock });
    },
  });
  for (const [i, data] of beaconMessages.entries()) await countPerWindow(event('beacons', data, i));

  const warehouse = await DuckDbWarehouse.open(':memory:');
  const write = createWarehouseHandler({ warehouse, clock: systemClock, log });
  const warehouseCpu = await cpuSeconds(async () => {
    for (const [i, data] of factMessages.entries()) await write(event('facts', data, i));
  });
  await warehouse.close();

  const per = (n: number) => n / beacons;
  const usage = (id: string, name: string, value: number, unit: string, note?: string): BenchResult => ({ id, name, value, unit, ...(note ? { note } : {}) });
  const againstPerWindow = (result: BenchResult, baseline: number): BenchResult => ({ ...result, baseline: per(baseline), baselineName: 'a document per window, listener day and exposure list' });
  return [
    usage('cpu_us_beacon', 'usage: beacon function CPU per beacon', per(beaconCpu) * 1e6, 'µs', `${bodyCount} bodies of 1,000 records`),
    usage('cpu_us_count', 'usage: count function CPU per beacon', per(countCpu) * 1e6, 'µs'),
    usage('cpu_us_warehouse', 'usage: warehouse function CPU per beacon', per(warehouseCpu) * 1e6, 'µs', 'DuckDB standing in for BigQuery'),
    usage('messages_beacons', 'usage: beacons messages per beacon', per(beaconMessages.length), 'messages', `${Math.round(sum(beaconMessages) / Math.max(1, beaconMessages.length) / 1024)} KiB each, gzipped`),
    usage('bytes_beacons', 'usage: beacons topic bytes per beacon, as published', per(sum(beaconMessages)), 'bytes', 'gzipped (message-encoding.ts)'),
    usage('json_bytes_beacons', 'usage: beacons topic JSON bytes per beacon', per(intakeBus.jsonBytes.get('beacons') ?? 0), 'bytes', 'the JSON before compression'),
    usage('messages_facts', 'usage: facts messages per beacon', per(factMessages.length), 'messages'),
    usage('bytes_facts', 'usage: facts topic bytes per beacon, as published', per(sum(factMessages)), 'bytes', 'gzipped'),
    usage('json_bytes_facts', 'usage: facts topic JSON bytes per beacon', per(countBus.jsonBytes.get('facts') ?? 0), 'bytes', 'the JSON before compression; BigQuery rows'),
    againstPerWindow(usage('state_reads', 'usage: state store document reads per beacon', per(state.reads), 'reads', 'household documents'), perWindow.reads),
    againstPerWindow(usage('state_writes', 'usage: state store document writes per beacon', per(state.writes), 'writes'), perWindow.writes),
    againstPerWindow(usage('state_deletes', 'usage: state store documents expired (TTL deletes) per beacon', per(state.documents.size), 'deletes'), perWindow.documents.size),
  ];
}
