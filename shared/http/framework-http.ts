import type { Request, Response } from '@google-cloud/functions-framework';
import { badRequestTarget, tryParseRequestTarget } from './request-target.ts';
import { jsonError } from './responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from './types.ts';

/**
 * The client address behind Google's front end: the first `X-Forwarded-For` hop (the front end
 * appends its own hops after it).
 */
export function firstForwardedHop(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first || undefined;
}

/** Strips the function's name when a load balancer keeps it in the path (`/beacon/events`). */
export function pathInsideFunction(path: string, name: string): string {
  const prefix = `/${name}`;
  if (path === prefix) return '/';
  return path.startsWith(prefix + '/') ? path.slice(prefix.length) : path;
}

function tryToHttpRequest(req: Request, name: string): HttpRequest | undefined {
  const url = tryParseRequestTarget(req.originalUrl ?? req.url);
  if (!url) return undefined;
  // body-parser has already inflated a gzip body into rawBody, so it is no longer encoded.
  const headers = { ...req.headers };
  delete headers['content-encoding'];
  return {
    method: req.method,
    path: pathInsideFunction(url.pathname, name),
    query: url.searchParams,
    headers,
    body: req.rawBody ?? Buffer.alloc(0),
    clientIp: firstForwardedHop(req.headers['x-forwarded-for']) ?? req.socket.remoteAddress,
  };
}

function send(res: Response, response: HttpResponse): void {
  res.status(response.status);
  for (const [k, v] of Object.entries(response.headers ?? {})) res.setHeader(k, v);
  res.end(response.body);
}

/** Serves a handler under functions-framework's `http()`; the handler is built on first call. */
export function toFrameworkHttp(name: string, build: () => Promise<HttpHandler>): (req: Request, res: Response) => Promise<void> {
  let handler: Promise<HttpHandler> | undefined;
  return async (req, res) => {
    try {
      handler ??= build();
      const request = tryToHttpRequest(req, name);
      send(res, request ? await (await handler)(request) : badRequestTarget());
    } catch (err) {
      // Reaching here is a bug or an outage, never bad input: answer 503 so clients retry.
      handler = undefined;
      console.error(JSON.stringify({ severity: 'ERROR', message: `${name} failed`, error: (err as Error).stack }));
      send(res, jsonError(503, 'temporarily unavailable', [{ path: '/', message: 'retry later' }]));
    }
  };
}
