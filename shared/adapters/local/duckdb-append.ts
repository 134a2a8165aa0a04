import { DuckDBTimestampTZValue, type DuckDBAppender } from '@duckdb/node-api';
import type { DuckDbColumn } from '../../schemas/duckdb-schema.ts';

/**
 * Microseconds since the epoch of an RFC 3339 timestamp (BigQuery and DuckDB keep microseconds;
 * `Date.parse` stops at milliseconds), or undefined when it is not one.
 */
export function tryParseEpochMicros(ts: string): bigint | undefined {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d\.\d{3}(\d{1,3})/.exec(ts)?.[1];
  // Date.parse floors to the millisecond (also before 1970), so the digits after it always add.
  return BigInt(ms) * 1000n + BigInt(fraction ? Number(fraction.padEnd(3, '0')) : 0);
}

/**
 * Appends one value in its column's own type, so the staged rows need no casts (casting text to
 * timestamps and JSON was most of an insert's time). A value of the wrong type throws, which fails
 * the insert and so the message: the rows were validated against the same schema, so it is a bug.
 */
export function appendColumnValue(appender: DuckDBAppender, column: DuckDbColumn, value: unknown): void {
  if (value === undefined || value === null) return appender.appendNull();
  switch (column.type) {
    case 'VARCHAR':
      return appender.appendVarchar(typeof value === 'object' ? JSON.stringify(value) : String(value));
    case 'JSON':
      return appender.appendVarchar(JSON.stringify(value));
    case 'BIGINT':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${column.name}: ${String(value)} is not an integer`);
      return appender.appendBigInt(BigInt(value));
    case 'DOUBLE':
      if (typeof value !== 'number') throw new TypeError(`${column.name}: ${String(value)} is not a number`);
      return appender.appendDouble(value);
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw new TypeError(`${column.name}: ${String(value)} is not a boolean`);
      return appender.appendBoolean(value);
    case 'TIMESTAMPTZ': {
      const micros = typeof value === 'string' ? tryParseEpochMicros(value) : undefined;
      if (micros === undefined) throw new TypeError(`${column.name}: ${String(value)} is not an RFC 3339 timestamp`);
      return appender.appendTimestampTZ(new DuckDBTimestampTZValue(micros));
    }
  }
}
