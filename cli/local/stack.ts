import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAssignHandler } from '../../functions/assign/handler.ts';
import { createAttributeHandler } from '../../functions/attribute/handler.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createConversionHandler } from '../../functions/conversion/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createVerificationHandler } from '../../functions/verification/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { InProcessBus } from '../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../shared/adapters/local/memory-state.ts';
import { httpFunctions, pubsubFunctions, type HttpFunctionName, type PubsubFunctionName } from '../../shared/function-catalog.ts';
import { bodyTooLarge, readBody, sendResponse, toHttpRequest } from '../../shared/http/node-http.ts';
import { badRequestTarget, tryParseRequestTarget } from '../../shared/http/request-target.ts';
import { json, jsonError, notFound } from '../../shared/http/responses.ts';
import type { HttpHandler } from '../../shared/http/types.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { toDeadLetterRow } from '../../shared/messaging/dead-letter.ts';
import type { PubsubHandler } from '../../shared/messaging/pubsub-event.ts';
import { systemClock } from '../../shared/ports.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import type { EarshotConfig } from '../../shared/schemas/config.ts';
import type { UaClassifier } from '../../shared/ua/classifier.ts';
import { tightenQueryLimits } from './query-limit-headers.ts';
import { removeServerFile, writeServerFile } from './server-file.ts';

export interface LocalStackOptions {
  dataDir: string;
  port: number;
  host?: string;
  config: EarshotConfig;
  classifier: UaClassifier;
  log: Logger;
  /** Fault rate of the in-process bus (0 = none), for reliability tests. */
  chaos?: number;
}

export interface LocalStack {
  url: string;
  port: number;
  runtime: Runtime;
  /** Waits until every published message is processed. */
  drain(): Promise<void>;
  /** Stops intake, finishes queued work, saves state and closes the warehouse. */
  stop(): Promise<void>;
}

const httpFactories: Record<HttpFunctionName, (r: Runtime) => HttpHandler> = {
  beacon: (runtime) => createBeaconHandler(runtime, { pixelBatchWindowMs: 0 }),
  verification: createVerificationHandler,
  conversion: createConversionHandler,
  assign: createAssignHandler,
};
const pubsubFactories: Record<PubsubFunctionName, (r: Runtime) => PubsubHandler> = {
  count: createCountHandler,
  attribute: createAttributeHandler,
  warehouse: createWarehouseHandler,
};

/**
 * Every function in one process on embedded defaults: the in-process bus, the memory state store
 * (snapshotted to the data folder) and the DuckDB warehouse. Routes are `/<function>/...` as in
 * the cloud; `/_local/query` serves `earshot query` for this data folder and `/_local/drain` waits
 * until the bus is idle.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { dataDir, log } = options;
  const warehouse = await DuckDbWarehouse.open(join(dataDir, 'warehouse.duckdb'), {
    discrepancyThresholdPct: String(options.config.reporting.discrepancy_threshold_pct),
  });
  const stateFile = join(dataDir, 'state.json');
  const state = MemoryStateStore.load(stateFile);
  const bus = new InProcessBus({
    ...(options.chaos ? { chaos: { rate: options.chaos, random: Math.random } } : {}),
    onUndeliverable: async (m) => {
      const row = toDeadLetterRow(m.subscription, m.messageId, `gave up after ${m.attempts} attempts: ${m.reason}`, m.data.toString('utf8'), new Date());
      await warehouse.insert('dead_letters', [{ insertId: row.insert_id, json: row }]);
    },
  });
  const runtime: Runtime = { config: options.config, bus, state, warehouse, clock: systemClock, log, classifier: options.classifier };
  for (const [name, topic] of Object.entries(pubsubFunctions) as Array<[PubsubFunctionName, (typeof pubsubFunctions)[PubsubFunctionName]]>) {
    bus.subscribe(topic, name, pubsubFactories[name](runtime));
  }
  const handlers = new Map<string, HttpHandler>(httpFunctions.map((name) => [name, httpFactories[name](runtime)]));
  const token = randomBytes(24).toString('base64url');

  const isLocalUser = (req: IncomingMessage) => {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  // Waits until every published message is processed: `earshot simulate` sends conversions only
  // once the exposures they may be attributed to are recorded, so its numbers are reproducible.
  const drainRoute = async (req: IncomingMessage) => {
    if (!isLocalUser(req)) return jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <token of server.json>' }]);
    await bus.drain();
    return { status: 204 };
  };

  const queryRoute = async (req: IncomingMessage, body: Buffer) => {
    if (!isLocalUser(req)) return jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <token of server.json>' }]);
    // Read-your-writes for a local user: let queued messages land first, but never wait long.
    await Promise.race([bus.drain(), new Promise((r) => setTimeout(r, 2000).unref())]);
    try {
      return json(200, await warehouse.query(body.toString('utf8'), tightenQueryLimits(req.headers, warehouse.limits)));
    } catch (err) {
      return jsonError(400, 'query failed', [{ path: 'sql', message: (err as Error).message }]);
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = tryParseRequestTarget(req.url);
    if (!url) return sendResponse(res, badRequestTarget());
    const slash = url.pathname.indexOf('/', 1);
    const name = slash === -1 ? url.pathname.slice(1) : url.pathname.slice(1, slash);
    const path = slash === -1 ? '/' : url.pathname.slice(slash);
    const body = await readBody(req);
    if (body === undefined) return sendResponse(res, bodyTooLarge());
    if (name === '_local' && path === '/query' && req.method === 'POST') return sendResponse(res, await queryRoute(req, body));
    if (name === '_local' && path === '/drain' && req.method === 'POST') return sendResponse(res, await drainRoute(req));
    const handler = handlers.get(name);
    if (!handler) return sendResponse(res, notFound(url.pathname));
    sendResponse(res, await handler(toHttpRequest(req, url, path, body)));
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error('request failed', { error: (err as Error).stack ?? String(err) });
      if (!res.headersSent) sendResponse(res, jsonError(503, 'temporarily unavailable', [{ path: '/', message: 'retry later' }]));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  writeServerFile(dataDir, { pid: process.pid, port, token, host: address });
  const snapshots = setInterval(() => state.save(stateFile), 30_000).unref();

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    runtime,
    drain: () => bus.drain(),
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(snapshots);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await Promise.all([...handlers.values()].map((h) => h.close?.()));
        await bus.drain();
        state.save(stateFile);
        await warehouse.close();
        removeServerFile(dataDir);
      })()),
  };
}
