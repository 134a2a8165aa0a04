/** Cloud Logging severities (structured logging on stdout). */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries carry this trace (Cloud Trace id from the request headers). */
  withTrace(trace: string | undefined): Logger;
}

export type LogFields = Record<string, string | number | boolean | undefined | null | string[]>;

// Field names that could carry a client address; dropped so a raw IP can never reach the logs.
const addressFields = new Set(['ip', 'client_ip', 'remote_address', 'remoteAddress', 'x-forwarded-for', 'forwarded']);

export interface LoggerOptions {
  /** Where lines go; stdout by default (Cloud Logging reads it). */
  write?: (line: string) => void;
  minSeverity?: Severity;
  project?: string;
  trace?: string;
}

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4 };

/** A JSON-lines logger in the Cloud Logging format: `severity`, `message`, `logging.googleapis.com/trace`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const min = rank[options.minSeverity ?? 'INFO'];
  const trace = options.trace;
  const emit = (severity: Severity, message: string, fields: LogFields = {}) => {
    if (rank[severity] < min) return;
    const entry: Record<string, unknown> = { severity, message, time: new Date().toISOString() };
    for (const [k, v] of Object.entries(fields)) if (!addressFields.has(k) && v !== undefined) entry[k] = v;
    if (trace) entry['logging.googleapis.com/trace'] = options.project ? `projects/${options.project}/traces/${trace}` : trace;
    write(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit('DEBUG', m, f),
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARNING', m, f),
    error: (m, f) => emit('ERROR', m, f),
    withTrace: (t) => (t ? createLogger({ ...options, trace: t }) : createLogger(options)),
  };
}

/** The trace id of a request: `X-Cloud-Trace-Context: TRACE/SPAN;o=1` or W3C `traceparent`. */
export function tryParseTraceId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const cloud = headers['x-cloud-trace-context'];
  if (typeof cloud === 'string' && /^[0-9a-f]{32}/i.test(cloud)) return cloud.slice(0, 32);
  const parent = headers['traceparent'];
  if (typeof parent === 'string') return /^[0-9a-f]{2}-([0-9a-f]{32})-/i.exec(parent)?.[1];
  return undefined;
}
