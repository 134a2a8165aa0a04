import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonError } from './responses.ts';
import { maxBodyBytes, type HttpRequest, type HttpResponse, type RequestHead } from './types.ts';

/**
 * Reads a body up to `limit` bytes; undefined as soon as it is larger (what was read is let go at
 * once, and the caller discards the rest), so no request holds more than its limit.
 */
export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks = [];
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > limit ? undefined : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** The head of a node:http request as a handler sees it; `path` is the part after `/<function>`. */
export function toRequestHead(req: IncomingMessage, url: URL, path: string): RequestHead {
  return { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, clientIp: req.socket.remoteAddress };
}

/** The node:http request as a handler sees it. */
export function toHttpRequest(req: IncomingMessage, url: URL, path: string, body: Buffer): HttpRequest {
  return { ...toRequestHead(req, url, path), body };
}

/** How long a refused request's unread body is taken (and thrown away) so its client can read the answer. */
const discardMs = 5000;

/**
 * Sends the response. With `discardBody` (a refusal sent before the body was read) the body left unread
 * is discarded as it arrives (no memory held) for a few seconds, so the client reads the answer
 * rather than a reset, and the socket is destroyed if the client is still sending after that.
 */
export function sendResponse(res: ServerResponse, response: HttpResponse, discardBody = false): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
  const req = res.req;
  if (!discardBody || req.complete) return;
  req.removeAllListeners('data');
  req.resume();
  const timer = setTimeout(() => req.destroy(), discardMs).unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

export const bodyTooLarge = (limit = maxBodyBytes): HttpResponse => jsonError(413, 'body too large', [{ path: 'body', message: `is over ${limit} bytes` }]);
