/** The access-log formats `POST /beacon/logs?format=` and `earshot ingest --format` take. */
export const logFormats = ['cloudfront', 'combined', 'cloud-logging', 'gcs'] as const;
export type LogFormat = (typeof logFormats)[number];

export const isLogFormat = (text: string | null | undefined): text is LogFormat => logFormats.includes(text as LogFormat);

/**
 * One request as a log line told it, before the catalog names its show and episode. `host` is
 * undefined where the format carries none (combined): the catalog is then searched by path.
 */
export interface LoggedRequest {
  ts: string;
  ip: string;
  user_agent: string;
  referer?: string;
  method: string;
  status: number;
  host: string | undefined;
  /** Path as logged (still percent-encoded), without the query. */
  path: string;
  range?: string;
  bytes_sent?: number;
  /** The whole file's size where the line tells it (CloudFront's Content-Length of a 200). */
  file_size?: number;
  /** What makes the entry unique where the format says (a LogEntry's insertId and time): its id then stays the same whatever path it came by. */
  identity?: string;
  /** A second name of the same request to match when the first is not in the catalog. */
  alternate?: { host: string; path: string };
}

/**
 * A request with every field present, in one order: every request a decoder makes then has the
 * same object shape, so the code that reads millions of them stays monomorphic.
 */
export function newLoggedRequest(ts: string, ip: string, userAgent: string, method: string, status: number, host: string | undefined, path: string): LoggedRequest {
  return { ts, ip, user_agent: userAgent, referer: undefined, method, status, host, path, range: undefined, bytes_sent: undefined, file_size: undefined, identity: undefined, alternate: undefined };
}

/** What a decoder makes of a line: a request, a line to pass over (header, comment), or a refusal. */
export type DecodedLine = { kind: 'request'; request: LoggedRequest } | { kind: 'skip' } | { kind: 'reject'; reason: string };

/**
 * A decoder reads a file's lines in order: CloudFront's `#Fields:` and the GCS CSV header change
 * how the lines after them are read, so a decoder keeps that state between lines.
 */
export interface LogDecoder {
  decode(line: string): DecodedLine;
}

export const skipLine: DecodedLine = { kind: 'skip' };
export const reject = (reason: string): DecodedLine => ({ kind: 'reject', reason });
