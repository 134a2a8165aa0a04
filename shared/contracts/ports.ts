import type { TableName } from './schemas/rows.ts';
import type { SqlDialect } from './sql-dialect.ts';

/** The source of "now", so handlers are deterministic under test. */
export interface Clock {
  now(): Date;
}

/** Topics of the data flow (docs/architecture.md); each message on them is a batch (JSON). */
/** `cdn_logs` carries Cloud Logging's load-balancer entries as its sink publishes them; `log_objects` Cloud Storage's notices of new log files. */
export type Topic = 'beacons' | 'facts' | 'conversions' | 'cdn_logs' | 'log_objects';

/** Publishes encoded JSON messages; resolves only once every message is durably accepted. */
export interface EventBus {
  publish(topic: Topic, messages: readonly Buffer[]): Promise<void>;
}

/** A document to write inside a transaction; `expiresAt` feeds the store's TTL policy. */
export interface StateWrite<T> {
  id: string;
  doc: T;
  expiresAt?: Date;
}

/** Key-value documents by collection (Firestore in the cloud). */
export interface StateStore {
  getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>>;
  /** Writes the document unless one exists; answers whether this call created it. */
  createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean>;
  /**
   * Reads `ids` and writes what `decide` returns, atomically. `decide` must be pure: a store may
   * call it again when another writer got there first. Under heavy contention a store may give
   * up (Firestore: ABORTED after its attempts); that is a transient fault, the message is retried.
   */
  transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R>;
}

/** A warehouse row with its deterministic key (BigQuery `insertId`). */
export interface KeyedRow {
  insertId: string;
  json: Record<string, unknown>;
}

/** A row the warehouse refused for its content (not a transient fault). */
export interface RefusedRow {
  insertId: string;
  reason: string;
}

/** Idempotent row writes: the same `insertId` twice leaves one row. */
export interface Warehouse {
  /** Throws on transient faults (the caller's message is retried); returns rows refused for content. */
  insert(table: TableName, rows: readonly KeyedRow[]): Promise<RefusedRow[]>;
}

/** Reads stored objects (Cloud Storage in the cloud): the log files a CDN copies into a bucket. */
export interface ObjectReader {
  /** The object's bytes; throws for a transient fault, and for an object over `maxBytes`. */
  read(bucket: string, name: string, maxBytes: number): Promise<Buffer>;
}

export const systemClock: Clock = { now: () => new Date() };

/** A bound query parameter: text, a whole number, a flag, or a list of texts (tenant scopes). */
export type ReportParam = string | number | boolean | readonly string[];

/** A cell of a report row, JSON-safe in both warehouses. */
export type ReportValue = string | number | boolean | null;
export type ReportRow = Record<string, ReportValue>;

/** What one report query may cost: rows returned, bytes billed (BigQuery), time waited. */
export interface ReportLimits {
  maxRows: number;
  maxBytesBilled: number;
  timeoutMs: number;
}

/**
 * Parameterized reads of the warehouse views. The SQL names parameters as the dialect spells them
 * (`@name` in BigQuery, `$name` in DuckDB); values travel beside it, never inside it. Throws
 * `ReportQueryError` for a refusal (too expensive, unavailable), never with the SQL in the message.
 */
export interface ReportSource {
  /** The SQL this source speaks: reports are written once, as a function of it. */
  readonly dialect: SqlDialect;
  run(sql: string, params: Readonly<Record<string, ReportParam>>, limits: ReportLimits): Promise<ReportRow[]>;
}

/** Why a report query failed, in terms a client may see. */
export class ReportQueryError extends Error {
  constructor(readonly kind: 'too_expensive' | 'unavailable') {
    super(kind === 'too_expensive' ? 'the query would read more bytes than allowed' : 'the warehouse did not answer');
  }
}
