import { countAt, isRfc3339, pathEnd } from './fields.ts';
import { EntryShapes, type EntryFields } from './log-entry-shape.ts';
import { newLoggedRequest, reject, skipLine, type DecodedLine, type LogDecoder } from './types.ts';

/** The members of a LogEntry the decoder reads, as `JSON.parse` gives them. */
export interface LogEntryShape {
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
  const shapes = new EntryShapes();
  return {
    decode(line) {
      const fields = shapes.read(line);
      return fields === undefined ? decodeParsed(line, shapes) : decodeFields(fields, true);
    },
  };
}

/** One parsed LogEntry (the Pub/Sub path gets them parsed already). */
export function decodeLogEntry(entry: LogEntryShape): DecodedLine {
  const http = entry.httpRequest;
  if (typeof http !== 'object' || http === null) return skipLine;
  return decodeFields(
    {
      insertId: entry.insertId,
      timestamp: entry.timestamp,
      requestMethod: http.requestMethod,
      requestUrl: http.requestUrl,
      status: http.status,
      responseSize: http.responseSize,
      userAgent: http.userAgent,
      remoteIp: http.remoteIp,
      referer: http.referer,
    },
    false,
  );
}

/** The request of a LogEntry's read members; `timeChecked` where a string timestamp is known to be RFC 3339 already. */
function decodeFields(entry: EntryFields, timeChecked: boolean): DecodedLine {
  const timestamp = entry.timestamp;
  if (typeof timestamp !== 'string' || !(timeChecked || isRfc3339(timestamp))) return reject('timestamp is missing or not RFC 3339');
  if (typeof entry.requestUrl !== 'string') return reject('httpRequest.requestUrl is missing');
  if (typeof entry.requestMethod !== 'string') return reject('httpRequest.requestMethod is missing');
  const status = typeof entry.status === 'number' ? entry.status : undefined;
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return reject('httpRequest.status is missing or not an HTTP status');
  const url = entry.requestUrl;
  const scheme = url.indexOf('://');
  if (scheme === -1) return reject('httpRequest.requestUrl is not an absolute URL');
  let slash = url.indexOf('/', scheme + 3);
  if (slash === -1) slash = url.length;
  const request = newLoggedRequest(
    timestamp,
    typeof entry.remoteIp === 'string' ? entry.remoteIp : '',
    typeof entry.userAgent === 'string' ? entry.userAgent : '',
    entry.requestMethod,
    status,
    url.slice(scheme + 3, slash),
    slash === url.length ? '/' : url.slice(slash, pathEnd(url, slash, url.length)),
  );
  const size = typeof entry.responseSize === 'string' ? countAt(entry.responseSize, 0, entry.responseSize.length) : typeof entry.responseSize === 'number' ? entry.responseSize : -1;
  if (size >= 0) request.bytes_sent = size;
  if (typeof entry.referer === 'string' && entry.referer !== '') request.referer = entry.referer;
  if (typeof entry.insertId === 'string' && entry.insertId !== '') request.identity = `${entry.insertId}\n${timestamp}`;
  return { kind: 'request', request };
}

/** One `JSON.parse` of a line no shape matched, then `decodeLogEntry`; the line's shape is learnt for the lines after it. */
function decodeParsed(line: string, shapes: EntryShapes): DecodedLine {
  let entry: LogEntryShape;
  try {
    entry = JSON.parse(line) as LogEntryShape;
  } catch (err) {
    return reject(`invalid JSON: ${(err as Error).message}`);
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return reject('expected a LogEntry object');
  shapes.learn(line);
  return decodeLogEntry(entry);
}
