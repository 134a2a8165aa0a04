import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BigQueryField } from '../../shared/contracts/schemas/bigquery-schema.ts';

/**
 * A loopback stand-in for BigQuery's `tabledata.insertAll` REST method, strict where BigQuery is
 * and stricter in one place: every row must carry an `insertId` (our deterministic row key), since
 * the client's random or missing ids would defeat the dedupe the warehouse relies on.
 *
 * Served paths: `[/bigquery/v2]/projects/{project}/datasets/{dataset}/tables/{table}/insertAll`.
 * The client puts `/bigquery/v2` after `apiEndpoint`, but uses `BIGQUERY_EMULATOR_HOST` verbatim as
 * its base URL, so requests routed by that variable arrive without the prefix.
 */

/** BigQuery's `ErrorProto`, as it appears in `insertErrors[].errors[]`. */
export interface ErrorProto {
  reason: string;
  location: string;
  debugInfo: string;
  message: string;
}

export interface InsertError {
  index: number;
  errors: ErrorProto[];
}

/** A row as stored: BigQuery keeps the `json` values; the insertId only serves the dedupe. */
export interface StoredRow {
  insertId: string;
  json: Record<string, unknown>;
}

/** One HTTP request the server saw, with what it answered. */
export interface SeenRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** Table the request addressed, when the path was an insertAll path. */
  table?: string;
  status: number;
  response: unknown;
}

export interface FakeBigQueryOptions {
  projectId: string;
  datasetId: string;
  /** Table name to its BigQuery fields (`computeBigQuerySchema(Tables[name])`). */
  tables: Record<string, readonly BigQueryField[]>;
  /** When set, requests must carry `Authorization: Bearer <accessToken>` (401 otherwise). */
  accessToken?: string;
  /**
   * Answers `jobs.query` (`POST .../projects/{project}/queries`): the fake runs no SQL, the test
   * says what the query returns (or throws an `HttpFault`-like `{status, reason}` to refuse it).
   */
  answerQuery?: (request: Record<string, unknown>) => QueryAnswer;
}

/** What a `jobs.query` call returns: the schema and rows (each cell as BigQuery's text or null). */
export interface QueryAnswer {
  fields: Array<{ name: string; type: string }>;
  rows: Array<Array<string | null>>;
  jobComplete?: boolean;
}

/** A refusal `answerQuery` may throw, as BigQuery would answer it. */
export class QueryRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const QUERIES = /^(?:\/bigquery\/v2)?\/projects\/([^/]+)\/queries$/;

const INSERT_ALL = /^(?:\/bigquery\/v2)?\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/;
const BODY_FIELDS = new Set(['kind', 'skipInvalidRows', 'ignoreUnknownValues', 'templateSuffix', 'traceId', 'rows']);
const ROW_FIELDS = new Set(['insertId', 'json']);
const MAX_ROWS_PER_REQUEST = 50_000;
const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63; // exclusive
const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:NaN|Infinity|inf)$/i;
// BigQuery's canonical timestamp text: RFC 3339, or with a space instead of `T`, optional zone.
const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?\s*(?:Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/i;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(location: string, message: string): ErrorProto {
  return { reason: 'invalid', location, debugInfo: '', message };
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

function isTimestamp(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value); // seconds since the epoch
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP_TEXT.exec(value.trim());
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0));
  if (month === undefined || day === undefined || year === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

/** Checks one non-null value against a field's type (not its mode). */
function checkScalar(field: BigQueryField, value: unknown, location: string, ignoreUnknown: boolean): ErrorProto[] {
  switch (field.type) {
    case 'STRING':
      return typeof value === 'string' ? [] : [invalid(location, `Cannot convert value to string (bad value): ${shown(value)}`)];
    case 'INT64': {
      const ok =
        (typeof value === 'number' && Number.isInteger(value) && value >= INT64_MIN && value < INT64_LIMIT) ||
        (typeof value === 'string' && INTEGER_TEXT.test(value) && BigInt(value) >= BigInt(INT64_MIN) && BigInt(value) < BigInt(INT64_LIMIT));
      return ok ? [] : [invalid(location, `Cannot convert value to integer (bad value): ${shown(value)}`)];
    }
    case 'FLOAT64': {
      const ok = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && FLOAT_TEXT.test(value));
      return ok ? [] : [invalid(location, `Cannot convert value to floating point (bad value): ${shown(value)}`)];
    }
    case 'BOOL': {
      const ok = typeof value === 'boolean' || (typeof value === 'string' && /^(?:true|false)$/i.test(value));
      return ok ? [] : [invalid(location, `Cannot convert value to boolean (bad value): ${shown(value)}`)];
    }
    case 'TIMESTAMP':
      return isTimestamp(value)
        ? []
        : [
            invalid(
              location,
              `Could not parse '${shown(value)}' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or YYYY/MM/DD HH:MM[:SS[.SSSSSS]]`,
            ),
          ];
    case 'RECORD':
      return isPlainObject(value)
        ? checkRecord(field.fields ?? [], value, `${location}.`, ignoreUnknown)
        : [invalid(location, `Cannot convert value to record (bad value): ${shown(value)}`)];
  }
}

function checkField(field: BigQueryField, value: unknown, location: string, ignoreUnknown: boolean): ErrorProto[] {
  if (field.mode === 'REPEATED') {
    if (value === undefined) return [];
    if (value === null) return [invalid(location, `Only optional fields can be set to NULL. Field: ${field.name}; Value: NULL`)];
    if (!Array.isArray(value)) return [invalid(location, `Expected an array for repeated field: ${field.name}.`)];
    return value.flatMap((item: unknown, i) =>
      item === null || item === undefined
        ? [invalid(`${location}[${i}]`, `Repeated field ${field.name} must not contain NULL.`)]
        : checkScalar(field, item, `${location}[${i}]`, ignoreUnknown),
    );
  }
  if (value === undefined || value === null) {
    return field.mode === 'REQUIRED' ? [invalid(location, `Missing required field: ${location}.`)] : [];
  }
  if (Array.isArray(value)) return [invalid(location, `Array specified for non-repeated field: ${field.name}.`)];
  return checkScalar(field, value, location, ignoreUnknown);
}

/** Validates an object against a field list; `prefix` builds locations such as `ads[0].ad_id`. */
function checkRecord(fields: readonly BigQueryField[], value: Record<string, unknown>, prefix: string, ignoreUnknown: boolean): ErrorProto[] {
  const errors: ErrorProto[] = [];
  const known = new Set(fields.map((f) => f.name));
  if (!ignoreUnknown) {
    for (const name of Object.keys(value)) if (!known.has(name)) errors.push(invalid(`${prefix}${name}`, 'no such field.'));
  }
  for (const field of fields) errors.push(...checkField(field, value[field.name], `${prefix}${field.name}`, ignoreUnknown));
  return errors;
}

/** The errors BigQuery would report for one row's `json`, none when it fits the schema. */
export function checkRow(fields: readonly BigQueryField[], json: unknown, ignoreUnknownValues = false): ErrorProto[] {
  if (!isPlainObject(json)) return [invalid('', 'Row is not a JSON object.')];
  return checkRecord(fields, json, '', ignoreUnknownValues);
}

class HttpFault extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
const FAULT_REASON: Record<number, string> = { 429: 'rateLimitExceeded', 500: 'internalError', 502: 'backendError', 503: 'backendError' };

/** Google's JSON error envelope. */
function errorBody(status: number, reason: string, message: string) {
  return { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: STATUS_TEXT[status] ?? 'UNKNOWN' } };
}

export class FakeBigQueryServer {
  /** Every request seen, in order (including the ones answered with an injected fault). */
  readonly requests: SeenRequest[] = [];
  readonly #options: FakeBigQueryOptions;
  readonly #server: Server;
  readonly #stored = new Map<string, StoredRow[]>();
  readonly #committedIds = new Map<string, Set<string>>();
  #faults: Array<number | undefined> = [];
  #url = '';

  private constructor(options: FakeBigQueryOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  static async start(options: FakeBigQueryOptions): Promise<FakeBigQueryServer> {
    const fake = new FakeBigQueryServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.#server.address() as AddressInfo;
    fake.#url = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:40123` (for `apiEndpoint` or `BIGQUERY_EMULATOR_HOST`). */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((err) => (err ? reject(err) : resolve())));
  }

  /**
   * Answers `count` requests with `status` (503: a transient backend error) without processing them,
   * after letting the next `after` requests through.
   */
  failNext(count: number, status = 503, after = 0): void {
    for (let i = 0; i < after; i++) this.#faults.push(undefined);
    for (let i = 0; i < count; i++) this.#faults.push(status);
  }

  /** Rows stored in a table, in commit order (one per insertId). */
  rows(table: string): StoredRow[] {
    return [...(this.#stored.get(table) ?? [])];
  }

  /** Requests that addressed a table's insertAll. */
  requestsFor(table: string): SeenRequest[] {
    return this.requests.filter((r) => r.table === table);
  }

  /** Every insertId sent to a table, request after request, duplicates and retries included. */
  insertIdsSent(table: string): string[] {
    return this.requestsFor(table).flatMap((r) => {
      const rows = isPlainObject(r.body) && Array.isArray(r.body.rows) ? (r.body.rows as unknown[]) : [];
      return rows.map((row) => (isPlainObject(row) && typeof row.insertId === 'string' ? row.insertId : '<none>'));
    });
  }

  /** Forgets stored rows, seen requests, insertIds and pending faults. */
  reset(): void {
    this.requests.length = 0;
    this.#stored.clear();
    this.#committedIds.clear();
    this.#faults = [];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.#url);
    let body: unknown = text;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // kept as text; answered below
    }
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
      response: undefined,
    };
    this.requests.push(seen);

    let status = 200;
    let response: unknown;
    try {
      response = this.#answer(req, url, seen, text);
    } catch (err) {
      const fault = err instanceof HttpFault ? err : new HttpFault(500, 'internalError', `fake BigQuery failed: ${String(err)}`);
      status = fault.status;
      response = errorBody(fault.status, fault.reason, fault.message);
    }
    seen.status = status;
    seen.response = response;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(response));
  }

  #answer(req: IncomingMessage, url: URL, seen: SeenRequest, text: string): unknown {
    const { projectId, datasetId, tables, accessToken } = this.#options;
    const queries = QUERIES.exec(url.pathname);
    if (queries) return this.#answerQuery(req, decodeURIComponent(queries[1] as string), seen);
    const match = INSERT_ALL.exec(url.pathname);
    if (!match) throw new HttpFault(404, 'notFound', `Not found: ${url.pathname}`);
    const [, project, dataset, table] = match.map((part) => decodeURIComponent(part)) as [string, string, string, string];
    seen.table = table;
    if (req.method !== 'POST') throw new HttpFault(405, 'httpMethodNotAllowed', `Method ${req.method} is not allowed for insertAll`);
    if (accessToken !== undefined && req.headers.authorization !== `Bearer ${accessToken}`) {
      throw new HttpFault(401, 'required', 'Request is missing required authentication credential.');
    }
    const fault = this.#faults.shift();
    if (fault !== undefined) throw new HttpFault(fault, FAULT_REASON[fault] ?? 'backendError', 'Error encountered during execution. Retrying may solve the problem.');

    const fields = tables[table];
    if (project !== projectId || dataset !== datasetId || !fields) {
      throw new HttpFault(404, 'notFound', `Not found: Table ${project}:${dataset}.${table}`);
    }
    if (!isPlainObject(seen.body)) throw new HttpFault(400, 'parseError', `Invalid JSON payload received: ${text.slice(0, 80)}`);
    const body = seen.body;
    for (const key of Object.keys(body)) {
      if (!BODY_FIELDS.has(key)) throw new HttpFault(400, 'invalid', `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
    }
    const rows = body.rows;
    if (!Array.isArray(rows) || rows.length === 0) throw new HttpFault(400, 'invalid', 'No rows present in the request.');
    if (rows.length > MAX_ROWS_PER_REQUEST) throw new HttpFault(400, 'invalid', `Too many rows present in the request, limit: ${MAX_ROWS_PER_REQUEST}.`);
    rows.forEach((row: unknown, index) => {
      if (!isPlainObject(row)) throw new HttpFault(400, 'invalid', `Invalid JSON payload received. rows[${index}] is not an object.`);
      for (const key of Object.keys(row)) {
        if (!ROW_FIELDS.has(key)) throw new HttpFault(400, 'invalid', `Invalid JSON payload received. Unknown name "${key}" at 'rows[${index}]': Cannot find field.`);
      }
      // Our contract, not BigQuery's: a row without our deterministic insertId could be duplicated.
      if (typeof row.insertId !== 'string' || row.insertId === '') {
        throw new HttpFault(400, 'invalid', `rows[${index}] has no insertId: Earshot must send its deterministic row key.`);
      }
    });
    const keyed = rows as Array<{ insertId: string; json: unknown }>;
    const skipInvalidRows = body.skipInvalidRows === true;
    const ignoreUnknownValues = body.ignoreUnknownValues === true;

    const problems = keyed.map((row) => checkRow(fields, row.json, ignoreUnknownValues));
    const anyInvalid = problems.some((errors) => errors.length > 0);
    const insertErrors: InsertError[] = [];
    problems.forEach((errors, index) => {
      if (errors.length) insertErrors.push({ index, errors });
      else if (anyInvalid && !skipInvalidRows) insertErrors.push({ index, errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }] });
    });
    // Without skipInvalidRows one bad row fails the whole request: nothing is stored.
    if (!anyInvalid || skipInvalidRows) {
      keyed.forEach((row, index) => {
        if (problems[index]?.length) return;
        this.#commit(table, row.insertId, row.json as Record<string, unknown>);
      });
    }
    return insertErrors.length
      ? { kind: 'bigquery#tableDataInsertAllResponse', insertErrors }
      : { kind: 'bigquery#tableDataInsertAllResponse' };
  }

  #answerQuery(req: IncomingMessage, project: string, seen: SeenRequest): unknown {
    const { projectId, accessToken, answerQuery } = this.#options;
    if (req.method !== 'POST') throw new HttpFault(405, 'httpMethodNotAllowed', `Method ${req.method} is not allowed for jobs.query`);
    if (accessToken !== undefined && req.headers.authorization !== `Bearer ${accessToken}`) {
      throw new HttpFault(401, 'required', 'Request is missing required authentication credential.');
    }
    const fault = this.#faults.shift();
    if (fault !== undefined) throw new HttpFault(fault, FAULT_REASON[fault] ?? 'backendError', 'Error encountered during execution. Retrying may solve the problem.');
    if (project !== projectId) throw new HttpFault(404, 'notFound', `Not found: Project ${project}`);
    if (!isPlainObject(seen.body) || typeof seen.body.query !== 'string') throw new HttpFault(400, 'invalid', 'Required parameter is missing: query');
    if (!answerQuery) throw new HttpFault(400, 'invalidQuery', 'this fake has no answer for queries');
    let answer: QueryAnswer;
    try {
      answer = answerQuery(seen.body);
    } catch (err) {
      if (err instanceof QueryRefusal) throw new HttpFault(err.status, err.reason, err.message);
      throw err;
    }
    const maxResults = typeof seen.body.maxResults === 'number' ? seen.body.maxResults : answer.rows.length;
    return {
      kind: 'bigquery#queryResponse',
      jobReference: { projectId, jobId: `job_${this.requests.length}`, location: 'US' },
      jobComplete: answer.jobComplete ?? true,
      schema: { fields: answer.fields.map((f) => ({ ...f, mode: 'NULLABLE' })) },
      totalRows: String(answer.rows.length),
      rows: answer.rows.slice(0, maxResults).map((cells) => ({ f: cells.map((v) => ({ v })) })),
      totalBytesProcessed: '1024',
      cacheHit: false,
    };
  }

  // Best-effort dedupe as BigQuery does it: a repeated insertId is accepted and dropped.
  #commit(table: string, insertId: string, json: Record<string, unknown>): void {
    let ids = this.#committedIds.get(table);
    if (!ids) this.#committedIds.set(table, (ids = new Set()));
    if (ids.has(insertId)) return;
    ids.add(insertId);
    const stored = this.#stored.get(table) ?? [];
    stored.push({ insertId, json: structuredClone(json) });
    this.#stored.set(table, stored);
  }
}
