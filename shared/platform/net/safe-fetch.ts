import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { tryRefuseAddress } from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name resolution, injectable so tests refuse addresses without any packet leaving the machine. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  etag?: string;
  lastModified?: string;
  accept?: string;
  resolve?: Resolver;
  /**
   * Which addresses may be connected to: the default refuses every internal one. Only code
   * passes this (tests reach their loopback server); nothing in the configuration leads here.
   */
  refuseAddress?: (address: string) => string | undefined;
}

export type SafeFetchResult =
  | { ok: true; notModified: false; body: Buffer; url: string; etag?: string; lastModified?: string; contentType?: string }
  | { ok: true; notModified: true; url: string }
  | { ok: false; reason: string };

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

class Refused extends Error {}

/**
 * GET of a URL given by a user (a feed), safe to run inside the cloud: http(s) only, a time limit
 * for the whole exchange, a size limit, a bounded number of redirects, each hop checked anew.
 * Every address is checked after resolution, inside the connection's own `lookup`, so the address
 * checked is the address connected to (no second resolution to rebind).
 */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const refuse = options.refuseAddress ?? tryRefuseAddress;
  let current = url;
  for (let hop = 0; ; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      return { ok: false, reason: `${JSON.stringify(current.slice(0, 200))} is not a URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: `${parsed.protocol} URLs are not fetched; use http(s)` };
    if (parsed.username || parsed.password) return { ok: false, reason: 'URLs with credentials are not fetched' };
    // The URL parser has already turned 2130706433, 0x7f.1 and friends into dotted form.
    const literal = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) {
      const why = refuse(literal);
      if (why) return { ok: false, reason: `refused ${literal}: ${why}` };
    }
    let response: IncomingMessage;
    try {
      response = await get(parsed, options, refuse, deadline - Date.now());
    } catch (err) {
      return { ok: false, reason: err instanceof Refused ? err.message : `fetch failed: ${(err as Error).message}` };
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = response.headers.location;
      if (!location) return { ok: false, reason: `redirect ${status} without a Location` };
      if (hop >= (options.maxRedirects ?? 5)) return { ok: false, reason: `more than ${options.maxRedirects ?? 5} redirects` };
      current = new URL(location, parsed).toString();
      continue;
    }
    if (status === 304) {
      response.resume();
      return { ok: true, notModified: true, url: current };
    }
    if (status !== 200) {
      response.resume();
      return { ok: false, reason: `${parsed.host} answered ${status}` };
    }
    const body = await readLimited(response, options.maxBytes ?? 5 * 1024 * 1024, deadline);
    if (!body.ok) return body;
    const header = (name: string) => (typeof response.headers[name] === 'string' ? (response.headers[name] as string) : undefined);
    const result: SafeFetchResult = { ok: true, notModified: false, body: body.bytes, url: current };
    const etag = header('etag');
    const lastModified = header('last-modified');
    const contentType = header('content-type');
    if (etag) result.etag = etag;
    if (lastModified) result.lastModified = lastModified;
    if (contentType) result.contentType = contentType;
    return result;
  }
}

function get(url: URL, options: SafeFetchOptions, refuse: (a: string) => string | undefined, timeoutMs: number): Promise<IncomingMessage> {
  const resolve = options.resolve ?? systemResolver;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => [a.address, refuse(a.address)] as const).find(([, why]) => why);
        if (refused) return callback(new Refused(`refused ${hostname} (${refused[1]})`), '', 0);
        if (!addresses.length) return callback(new Error(`${hostname} has no address`), '', 0);
        if ((lookupOptions as { all?: boolean }).all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        const first = addresses[0] as ResolvedAddress;
        callback(null, first.address, first.family);
      },
      (err: Error) => callback(err, '', 0),
    );
  };
  const headers: Record<string, string> = { 'user-agent': 'Earshot feed reader', accept: options.accept ?? '*/*', 'accept-encoding': 'identity' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolveResponse, reject) => {
    if (timeoutMs <= 0) return reject(new Error('time limit reached'));
    const req = send(url, { method: 'GET', headers, lookup, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) }, resolveResponse);
    req.on('timeout', () => req.destroy(new Error('time limit reached')));
    req.on('error', (err) => reject(err.cause instanceof Refused ? err.cause : err));
    req.end();
  });
}

async function readLimited(response: IncomingMessage, maxBytes: number, deadline: number): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes) {
    response.destroy();
    return { ok: false, reason: `the feed is over ${maxBytes} bytes` };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const timer = setTimeout(() => response.destroy(new Error('time limit reached')), Math.max(0, deadline - Date.now()));
  try {
    for await (const chunk of response) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        response.destroy();
        return { ok: false, reason: `the feed is over ${maxBytes} bytes` };
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    return { ok: false, reason: `fetch failed: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
