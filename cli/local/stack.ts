import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAssignHandler } from '../../functions/assign/handler.ts';
import { createAttributeHandler } from '../../functions/attribute/handler.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createConversionHandler } from '../../functions/conversion/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createCdnLogsHandler } from '../../functions/cdnlogs/handler.ts';
import { createLogObjectsHandler } from '../../functions/logobjects/handler.ts';
import { createReportsHandler } from '../../functions/reports/handler.ts';
import { createVerificationHandler } from '../../functions/verification/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import { createDuckDbReportSource } from '../../shared/adapters/local/duckdb-report-source.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { DurableStore, type StoreFaults } from '../../shared/adapters/local/durable-store.ts';
import { InProcessBus } from '../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../shared/adapters/local/memory-state.ts';
import { httpFunctions, pubsubFunctions, type HttpFunctionName, type PubsubFunctionName } from '../../shared/function-catalog.ts';
import type { HttpHandler } from '../../shared/http/types.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { toDeadLetterRow } from '../../shared/messaging/dead-letter.ts';
import type { PubsubHandler } from '../../shared/messaging/pubsub-event.ts';
import { systemClock } from '../../shared/ports.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import type { EarshotConfig } from '../../shared/schemas/config.ts';
import type { UaClassifier } from '../../shared/ua/classifier.ts';
import { defaultViewSettings } from '../../shared/warehouse/dialect.ts';
import { createAdminRoutes } from './admin-routes.ts';
import { importLegacyState } from './legacy-state.ts';
import { createLocalServer } from './local-server.ts';
import { tightenQueryLimits } from './query-limit-headers.ts';
import { removeServerFile, serverBaseUrl, writeServerFile } from './server-file.ts';

export interface LocalStackOptions {
  dataDir: string;
  port: number;
  /** The address to listen on; loopback unless the user says otherwise. */
  host?: string;
  config: EarshotConfig;
  classifier: UaClassifier;
  log: Logger;
  /** Fault rate of the in-process bus (0 = none), for reliability tests. */
  chaos?: number;
  /**
   * Keep the queue and the state in memory only (`earshot start --ephemeral`): a 202 then means
   * accepted by this process, not on disk. The baseline of the durability benchmark.
   */
  ephemeral?: boolean;
  /** Fault injection into the durable store, for the disk-full tests. */
  storeFaults?: StoreFaults;
}

export interface LocalStack {
  url: string;
  port: number;
  runtime: Runtime;
  /** Deliveries a previous run left unacknowledged, queued again at start. */
  resumed: number;
  /** Waits until every published message is processed. */
  drain(): Promise<void>;
  /** Stops intake, finishes queued work (briefly, when durable: the rest waits on disk) and closes the stores. */
  stop(): Promise<void>;
}

const httpFactories: Record<HttpFunctionName, (r: Runtime) => HttpHandler> = {
  beacon: (runtime) => createBeaconHandler(runtime, { pixelBatchWindowMs: 0 }),
  verification: createVerificationHandler,
  conversion: createConversionHandler,
  assign: createAssignHandler,
  reports: createReportsHandler,
};
const pubsubFactories: Record<PubsubFunctionName, (r: Runtime) => PubsubHandler> = {
  count: createCountHandler,
  attribute: createAttributeHandler,
  warehouse: createWarehouseHandler,
  cdnlogs: createCdnLogsHandler,
  // Locally, log files go through `earshot ingest`; no bucket notifies this one.
  logobjects: (runtime) => createLogObjectsHandler({ ...runtime, objects: { read: () => Promise.reject(new Error('no object store under earshot start: use earshot ingest')) } }),
};

/** How long a durable stack's shutdown works on the queue before leaving the rest to the next run. */
const shutdownDrainMs = 10_000;
const sweepIntervalMs = 10 * 60_000;

/**
 * Every function in one process on embedded defaults: the in-process bus and the state store,
 * both journaled to an LMDB store in `<data>/store` (a 202 means on disk), and the DuckDB
 * warehouse. Routes are `/<function>/...` as in the cloud, plus `/_local/...` for the CLI.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { dataDir, log } = options;
  const warehouse = await DuckDbWarehouse.open(join(dataDir, 'warehouse.duckdb'), {
    discrepancyThresholdPct: String(options.config.reporting.discrepancy_threshold_pct),
    cupedPrePeriodDays: String(options.config.reporting.cuped_pre_period_days ?? defaultViewSettings.cupedPrePeriodDays),
  });
  const store = options.ephemeral ? undefined : DurableStore.open(join(dataDir, 'store'), options.storeFaults);
  if (store) {
    const imported = await importLegacyState(dataDir, store);
    if (imported) log.info('imported state.json into the durable store', { documents: imported });
  }
  const state = new MemoryStateStore(Date.now, store);
  const bus = new InProcessBus({
    ...(options.chaos ? { chaos: { rate: options.chaos, random: Math.random } } : {}),
    ...(store ? { journal: store } : {}),
    onUndeliverable: async (m) => {
      const row = toDeadLetterRow(m.subscription, m.messageId, `gave up after ${m.attempts} attempts: ${m.reason}`, m.data.toString('utf8'), new Date());
      await warehouse.insert('dead_letters', [{ insertId: row.insert_id, json: row }]);
    },
  });
  const runtime: Runtime = { config: options.config, bus, state, warehouse, reports: createDuckDbReportSource(warehouse), clock: systemClock, log, classifier: options.classifier };
  for (const [name, topic] of Object.entries(pubsubFunctions) as Array<[PubsubFunctionName, (typeof pubsubFunctions)[PubsubFunctionName]]>) {
    bus.subscribe(topic, name, pubsubFactories[name](runtime));
  }
  const resumed = bus.resume();
  if (resumed) log.info('resuming deliveries left by the previous run', { deliveries: resumed });

  const functions = new Map<string, HttpHandler>(httpFunctions.map((name) => [name, httpFactories[name](runtime)]));
  const admin = createAdminRoutes({ drain: () => bus.drain(), query: (sql, headers) => warehouse.query(sql, tightenQueryLimits(headers, warehouse.limits)) });
  const server: Server = createLocalServer(new Map([...functions, ['_local', admin.handler]]), log);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  writeServerFile(dataDir, { pid: process.pid, port, token: admin.token, host: address });
  const sweeps = setInterval(() => state.sweepExpired(), sweepIntervalMs).unref();

  let stopping: Promise<void> | undefined;
  return {
    url: serverBaseUrl({ host: address, port }),
    port,
    runtime,
    resumed,
    drain: () => bus.drain(),
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeps);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await Promise.all([...functions.values()].map((h) => h.close?.()));
        await (store ? Promise.race([bus.drain(), new Promise((r) => setTimeout(r, shutdownDrainMs).unref())]) : bus.drain());
        await bus.pause();
        await store?.close();
        await warehouse.close();
        removeServerFile(dataDir);
      })()),
  };
}
