import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StoreUnavailableError } from '../../shared/adapters/local/durable-store.ts';
import { bodyTooLarge, readBody, sendResponse, toHttpRequest, toRequestHead } from '../../shared/platform/http/node-http.ts';
import { badRequestTarget, tryParseRequestTarget } from '../../shared/platform/http/request-target.ts';
import { jsonError, notFound } from '../../shared/platform/http/responses.ts';
import { admitBody, smallBodyBytes } from '../../shared/platform/http/admission.ts';
import type { HttpHandler, HttpResponse } from '../../shared/platform/http/types.ts';
import type { Logger } from '../../shared/platform/logging/logger.ts';

/** Receiving a whole request (headers and body) may take this long; then node answers 408. */
export const requestTimeoutMs = 30_000;
const headersTimeoutMs = 10_000;
/** How long a client waits before retrying when the local store cannot write. */
const retryAfterS = 5;

const unavailable = (message: string): HttpResponse => ({
  ...jsonError(503, 'temporarily unavailable', [{ path: '/', message }]),
  headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
});

/**
 * The one node:http server of `earshot start`: `/<function>/...` to the function's handler, as in
 * the cloud. Route, method and key are decided from the head (`HttpHandler.admit`) before a body
 * byte is read, and bodies are read only up to their route's limit, so unauthenticated or
 * oversized uploads hold no memory.
 */
export function createLocalServer(handlers: ReadonlyMap<string, HttpHandler>, log: Logger, timeoutMs = requestTimeoutMs): Server {
  let lastOutageLog = 0;
  const route = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    const url = tryParseRequestTarget(req.url);
    if (!url) return sendResponse(res, badRequestTarget(), true);
    const slash = url.pathname.indexOf('/', 1);
    const name = slash === -1 ? url.pathname.slice(1) : url.pathname.slice(1, slash);
    const path = slash === -1 ? '/' : url.pathname.slice(slash);
    const handler = handlers.get(name);
    if (!handler) return sendResponse(res, notFound(url.pathname), true);
    const head = toRequestHead(req, url, path);
    // A handler that does not say otherwise takes no more than a route without a body needs.
    const admission = handler.admit?.(head) ?? admitBody(smallBodyBytes);
    if (!admission.ok) return sendResponse(res, admission.response, true);
    if (expectsContinue) res.writeContinue();
    const body = await readBody(req, admission.bodyLimit);
    if (body === undefined) return sendResponse(res, bodyTooLarge(admission.bodyLimit), true);
    sendResponse(res, await handler(toHttpRequest(req, url, path, body)));
  };

  const serve = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    route(req, res, expectsContinue).catch((err: unknown) => {
      if (err instanceof StoreUnavailableError) {
        if (Date.now() - lastOutageLog > 10_000) {
          lastOutageLog = Date.now();
          log.error('local store unavailable: answering 503', { error: err.message });
        }
        if (!res.headersSent) return sendResponse(res, unavailable('the local store cannot write now (disk full?); retry later'), true);
      } else log.error('request failed', { error: (err as Error).stack ?? String(err) });
      if (!res.headersSent) sendResponse(res, unavailable('retry later'), true);
      else res.destroy();
    });
  };
  // Node checks for overdue requests every `connectionsCheckingInterval` (30 s by default).
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, timeoutMs / 2) }, (req, res) => serve(req, res, false));
  // `Expect: 100-continue` is answered only once admitted: a refused client is not invited to upload.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => serve(req, res, true));
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(headersTimeoutMs, timeoutMs);
  return server;
}

/** Listens on `host` and `port` (0: any free one) and resolves with the address bound. */
export async function listenLocal(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}
