import type { IncomingHttpHeaders } from 'node:http';

/** What a handler needs of an HTTP request: the same shape locally (node:http) and in the cloud. */
export interface HttpRequest {
  method: string;
  /** Path inside the function, e.g. `/events` for `POST /beacon/events`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Body bytes as sent; `content-encoding` says whether they are still compressed. */
  body: Buffer;
  /** The client's address as the front end saw it; used only in memory, never stored. */
  clientIp: string | undefined;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * A function's HTTP entry; `close` (if any) finishes work accepted but not yet flushed; `admit`
 * (if any) answers from the head alone what needs no body (unknown route, method, key), and bounds
 * the body of the rest.
 */
export type HttpHandler = ((request: HttpRequest) => Promise<HttpResponse>) & {
  close?: () => Promise<void>;
  admit?: (head: RequestHead) => Admission;
};

/** A request before its body is read: enough to route it, check its method and its key. */
export type RequestHead = Omit<HttpRequest, 'body'>;

/** Whether a request may send its body, and how much of it; or the answer without reading it. */
export type Admission = { ok: true; bodyLimit: number } | { ok: false; response: HttpResponse };

/** Largest request body any function accepts, compressed or not. */
export const maxBodyBytes = 10 * 1024 * 1024;
