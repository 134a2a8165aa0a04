import { createDuckDbReportSource } from '../../shared/adapters/local/duckdb-report-source.ts';
import { systemClock } from '../../shared/contracts/ports.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { UaClassifier } from '../../shared/domain/ua/classifier.ts';
import { createAdminRoutes } from './admin-routes.ts';
import { openLocalAdapters, type LocalAdapterOptions } from './local-adapters.ts';
import { startLocalFunctions } from './local-functions.ts';
import { createLocalServer, listenLocal } from './local-server.ts';
import { tightenQueryLimits } from './query-limit-headers.ts';
import { serverBaseUrl, writeServerFile } from './server-file.ts';
import { createShutdown } from './shutdown.ts';

export interface LocalStackOptions extends LocalAdapterOptions {
  port: number;
  /** The address to listen on; loopback unless the user says otherwise. */
  host?: string;
  classifier: UaClassifier;
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

const sweepIntervalMs = 10 * 60_000;

/**
 * Every function in one process on embedded defaults: the in-process bus and the state store,
 * both journaled to an LMDB store in `<data>/store` (a 202 means on disk), and the DuckDB
 * warehouse. Routes are `/<function>/...` as in the cloud, plus `/_local/...` for the CLI.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { dataDir, log } = options;
  const adapters = await openLocalAdapters(options);
  const { bus, state, warehouse } = adapters;
  const runtime: Runtime = { config: options.config, bus, state, warehouse, reports: createDuckDbReportSource(warehouse), clock: systemClock, log, classifier: options.classifier };
  const functions = startLocalFunctions(runtime, bus);
  const resumed = bus.resume();
  if (resumed) log.info('resuming deliveries left by the previous run', { deliveries: resumed });

  const admin = createAdminRoutes({ drain: () => bus.drain(), query: (sql, headers) => warehouse.query(sql, tightenQueryLimits(headers, warehouse.limits)) });
  const server = createLocalServer(new Map([...functions, ['_local', admin.handler]]), log);
  const { port, address } = await listenLocal(server, options.port, options.host ?? '127.0.0.1');
  writeServerFile(dataDir, { pid: process.pid, port, token: admin.token, host: address });
  const sweeps = setInterval(() => state.sweepExpired(), sweepIntervalMs).unref();

  return {
    url: serverBaseUrl({ host: address, port }),
    port,
    runtime,
    resumed,
    drain: () => bus.drain(),
    stop: createShutdown({ dataDir, server, functions: functions.values(), adapters, timers: [sweeps] }),
  };
}
