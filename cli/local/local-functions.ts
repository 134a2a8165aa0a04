import { createAssignHandler } from '../../functions/assign/handler.ts';
import { createAttributeHandler } from '../../functions/attribute/handler.ts';
import { createBeaconHandler } from '../../functions/beacon/handler.ts';
import { createCdnLogsHandler } from '../../functions/cdnlogs/handler.ts';
import { createConversionHandler } from '../../functions/conversion/handler.ts';
import { createCountHandler } from '../../functions/count/handler.ts';
import { createLogObjectsHandler } from '../../functions/logobjects/handler.ts';
import { createReportsHandler } from '../../functions/reports/handler.ts';
import { createVerificationHandler } from '../../functions/verification/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import type { InProcessBus } from '../../shared/adapters/local/in-process-bus.ts';
import { httpFunctions, pubsubFunctions, type HttpFunctionName, type PubsubFunctionName } from '../../shared/composition/function-catalog.ts';
import type { HttpHandler } from '../../shared/platform/http/types.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';

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

/**
 * Every function of the catalog on one runtime: each Pub/Sub function subscribed to its topic on
 * the bus, as its push subscription is in the cloud; the HTTP functions' handlers by name.
 */
export function startLocalFunctions(runtime: Runtime, bus: InProcessBus): ReadonlyMap<HttpFunctionName, HttpHandler> {
  for (const [name, topic] of Object.entries(pubsubFunctions) as Array<[PubsubFunctionName, (typeof pubsubFunctions)[PubsubFunctionName]]>) {
    bus.subscribe(topic, name, pubsubFactories[name](runtime));
  }
  return new Map(httpFunctions.map((name) => [name, httpFactories[name](runtime)]));
}
