import type { Request, Response } from '@google-cloud/functions-framework';
import { describeFailure } from '../logging/describe-failure.ts';
import type { Logger } from '../logging/logger.ts';
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

/**
 * Serves a handler under functions-framework's `http()`. The handler is built at start
 * (`shared/composition/startup/`), so a bad configuration stops the instance before it takes traffic.
 */
export function toFrameworkHttp(name: string, handler: HttpHandler, log: Logger): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    try {
      const request = tryToHttpRequest(req, name);
      send(res, request ? await handler(request) : badRequestTarget());
    } catch (err) {
      // Reaching here is a bug or an outage, never bad input: answer 503 so clients retry.
      log.error(describeFailure(`${name} failed`, err));
      send(res, jsonError(503, 'temporarily unavailable', [{ path: '/', message: 'retry later' }]));
    }
  };
}
