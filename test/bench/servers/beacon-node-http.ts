import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBeaconHandler } from '../../../functions/beacon/handler.ts';
import { InProcessBus } from '../../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';
import { describeErrors, tryParseConfig } from '../../../shared/platform/config/parse-config.ts';
import { pathInsideFunction } from '../../../shared/platform/http/framework-http.ts';
import { bodyTooLarge, readBody, sendResponse, toHttpRequest } from '../../../shared/platform/http/node-http.ts';
import { createLogger } from '../../../shared/platform/logging/logger.ts';
import { systemClock } from '../../../shared/contracts/ports.ts';

// The beacon function alone on node:http, as `earshot start` serves it but without the count and
// warehouse functions sharing its core: intake's own cost. Published batches are dropped (the
// in-process bus with no subscriber), as Pub/Sub would take them off the function's hands.
const parsed = tryParseConfig(process.env.EARSHOT_CONFIG ?? '');
if (!parsed.ok) throw new Error(`EARSHOT_CONFIG is invalid: ${describeErrors(parsed.errors)}`);
const bus = new InProcessBus({ onUndeliverable: async () => {} });
const handler = createBeaconHandler({ config: parsed.value, bus, clock: systemClock, log: createLogger({ minSeverity: "WARNING" }), state: new MemoryStateStore(Date.now) }, { pixelBatchWindowMs: 0 });

const server = createServer((req, res) => {
  const url = new URL(`http://request${req.url ?? '/'}`);
  void readBody(req).then(async (body) => {
    if (body === undefined) return sendResponse(res, bodyTooLarge());
    sendResponse(res, await handler(toHttpRequest(req, url, pathInsideFunction(url.pathname, 'beacon'), body)));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${(server.address() as AddressInfo).port}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
