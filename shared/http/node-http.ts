import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonError } from './responses.ts';
import { maxBodyBytes, type HttpRequest, type HttpResponse } from './types.ts';

/** Reads a body up to `limit` bytes; undefined when it is larger (the rest is discarded). */
export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** The node:http request as a handler sees it; `path` is the part after `/<function>`. */
export function toHttpRequest(req: IncomingMessage, url: URL, path: string, body: Buffer): HttpRequest {
  return { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body, clientIp: req.socket.remoteAddress };
}

export function sendResponse(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export const bodyTooLarge = (): HttpResponse => jsonError(413, 'body too large', [{ path: 'body', message: `is over ${maxBodyBytes} bytes` }]);
