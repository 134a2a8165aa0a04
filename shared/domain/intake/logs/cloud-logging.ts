import { countAt, isRfc3339, pathEnd } from './fields.ts';
import { EntryShapes, type LogEntryShape } from './log-entry-shape.ts';
import { newLoggedRequest, reject, skipLine, type DecodedLine, type LogDecoder } from './types.ts';

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
      const entry = shapes.read(line);
      return entry === undefined ? decodeParsed(line, shapes) : decodeLogEntry(entry);
    },
  };
}

/** One parsed LogEntry (the Pub/Sub path gets them parsed already). */
export function decodeLogEntry(entry: LogEntryShape): DecodedLine {
  const http = entry.httpRequest;
  if (typeof http !== 'object' || http === null) return skipLine;
  if (typeof entry.timestamp !== 'string' || !isRfc3339(entry.timestamp)) return reject('timestamp is missing or not RFC 3339');
  if (typeof http.requestUrl !== 'string') return reject('httpRequest.requestUrl is missing');
  if (typeof http.requestMethod !== 'string') return reject('httpRequest.requestMethod is missing');
  const status = typeof http.status === 'number' ? http.status : undefined;
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return reject('httpRequest.status is missing or not an HTTP status');
  const url = http.requestUrl;
  const scheme = url.indexOf('://');
  if (scheme === -1) return reject('httpRequest.requestUrl is not an absolute URL');
  let slash = url.indexOf('/', scheme + 3);
  if (slash === -1) slash = url.length;
  const request = newLoggedRequest(
    entry.timestamp,
    typeof http.remoteIp === 'string' ? http.remoteIp : '',
    typeof http.userAgent === 'string' ? http.userAgent : '',
    http.requestMethod,
    status,
    url.slice(scheme + 3, slash),
    slash === url.length ? '/' : url.slice(slash, pathEnd(url, slash, url.length)),
  );
  const size = typeof http.responseSize === 'string' ? countAt(http.responseSize, 0, http.responseSize.length) : typeof http.responseSize === 'number' ? http.responseSize : -1;
  if (size >= 0) request.bytes_sent = size;
  if (typeof http.referer === 'string' && http.referer !== '') request.referer = http.referer;
  if (typeof entry.insertId === 'string' && entry.insertId !== '') request.identity = `${entry.insertId}\n${entry.timestamp}`;
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
