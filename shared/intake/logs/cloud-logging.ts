import { pathOf, tryParseCount } from './fields.ts';
import { reject, skipLine, type DecodedLine, type LogDecoder, type LoggedRequest } from './types.ts';

interface LogEntryShape {
  insertId?: unknown;
  timestamp?: unknown;
  httpRequest?: {
    requestMethod?: unknown;
    requestUrl?: unknown;
    status?: unknown;
    responseSize?: unknown;
    userAgent?: unknown;
    remoteIp?: unknown;
    referer?: unknown;
  };
}

/**
 * Cloud Logging `LogEntry` JSON of the external HTTP(S) load balancer and Cloud CDN, one per line
 * (as an export or a Pub/Sub sink writes them): `httpRequest.*` and `timestamp`. An entry has no
 * Range header and its `responseSize` includes the headers: docs/intake.md says how counting
 * reads such a request.
 */
export function createCloudLoggingDecoder(): LogDecoder {
  return {
    decode(line: string): DecodedLine {
      let entry: LogEntryShape;
      try {
        entry = JSON.parse(line) as LogEntryShape;
      } catch (err) {
        return reject(`invalid JSON: ${(err as Error).message}`);
      }
      if (typeof entry !== 'object' || entry === null) return reject('expected a LogEntry object');
      return decodeLogEntry(entry);
    },
  };
}

/** One parsed LogEntry (the Pub/Sub path gets them parsed already). */
export function decodeLogEntry(entry: LogEntryShape): DecodedLine {
  const http = entry.httpRequest;
  if (typeof http !== 'object' || http === null) return skipLine;
  if (typeof entry.timestamp !== 'string' || Number.isNaN(Date.parse(entry.timestamp))) return reject('timestamp is missing or not RFC 3339');
  if (typeof http.requestUrl !== 'string') return reject('httpRequest.requestUrl is missing');
  if (typeof http.requestMethod !== 'string') return reject('httpRequest.requestMethod is missing');
  const status = typeof http.status === 'number' ? http.status : undefined;
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return reject('httpRequest.status is missing or not an HTTP status');
  const url = http.requestUrl;
  const scheme = url.indexOf('://');
  if (scheme === -1) return reject('httpRequest.requestUrl is not an absolute URL');
  const slash = url.indexOf('/', scheme + 3);
  const request: LoggedRequest = {
    ts: entry.timestamp,
    ip: typeof http.remoteIp === 'string' ? http.remoteIp : '',
    user_agent: typeof http.userAgent === 'string' ? http.userAgent : '',
    method: http.requestMethod,
    status,
    host: url.slice(scheme + 3, slash === -1 ? url.length : slash),
    path: slash === -1 ? '/' : pathOf(url.slice(slash)),
  };
  const size = typeof http.responseSize === 'string' ? tryParseCount(http.responseSize) : typeof http.responseSize === 'number' ? http.responseSize : undefined;
  if (size !== undefined) request.bytes_sent = size;
  if (typeof http.referer === 'string' && http.referer !== '') request.referer = http.referer;
  if (typeof entry.insertId === 'string' && entry.insertId !== '') request.identity = `${entry.insertId}\n${entry.timestamp}`;
  return { kind: 'request', request };
}
