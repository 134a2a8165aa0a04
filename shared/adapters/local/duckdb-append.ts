import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  LIST,
  listValue,
  STRUCT,
  structValue,
  TIMESTAMPTZ,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBListValue,
  type DuckDBStructType,
  type DuckDBStructValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { DuckDbColumn, DuckDbField, DuckDbScalarType, DuckDbType } from '../../contracts/schemas/duckdb-schema.ts';

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

const scalarTypes: Record<DuckDbScalarType, DuckDBType> = { VARCHAR, BIGINT, DOUBLE, BOOLEAN, TIMESTAMPTZ };

function toDriverType(type: DuckDbType): DuckDBType {
  if (typeof type === 'string') return scalarTypes[type];
  return 'list' in type ? LIST(toDriverType(type.list)) : toDriverStructType(type.struct);
}

function toDriverStructType(fields: readonly DuckDbField[]): DuckDBStructType {
  return STRUCT(Object.fromEntries(fields.map((f) => [f.name, toDriverType(f.type)])));
}

function fail(path: string, value: unknown, what: string): never {
  throw new TypeError(`${path}: ${JSON.stringify(value) ?? String(value)} is not ${what}`);
}

function toTimestamp(path: string, value: unknown): DuckDBTimestampTZValue {
  const micros = typeof value === 'string' ? tryParseEpochMicros(value) : undefined;
  return micros === undefined ? fail(path, value, 'an RFC 3339 timestamp') : new DuckDBTimestampTZValue(micros);
}

/** A list as the driver's value: a missing list is an empty one, as in BigQuery, where a REPEATED field is never NULL. */
function toDriverList(element: DuckDbType, value: unknown, path: string): DuckDBListValue {
  if (value === undefined || value === null) return listValue([]);
  if (!Array.isArray(value)) return fail(path, value, 'a list');
  return listValue(value.map((item: unknown, i) => toDriverValue(element, item, `${path}[${i}]`)));
}

function toDriverStruct(fields: readonly DuckDbField[], value: unknown, path: string): DuckDBStructValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, value, 'an object');
  const record = value as Record<string, unknown>;
  return structValue(Object.fromEntries(fields.map((f) => [f.name, toDriverValue(f.type, record[f.name], `${path}.${f.name}`)])));
}

/** A nested value as the driver's value of `type`; a missing struct field is NULL. */
function toDriverValue(type: DuckDbType, value: unknown, path: string): DuckDBValue {
  if (typeof type !== 'string' && 'list' in type) return toDriverList(type.list, value, path);
  if (value === undefined || value === null) return null;
  if (typeof type !== 'string') return toDriverStruct(type.struct, value, path);
  switch (type) {
    case 'VARCHAR':
      return typeof value === 'string' ? value : fail(path, value, 'a string');
    case 'BIGINT':
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : fail(path, value, 'an integer');
    case 'DOUBLE':
      return typeof value === 'number' ? value : fail(path, value, 'a number');
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : fail(path, value, 'a boolean');
    case 'TIMESTAMPTZ':
      return toTimestamp(path, value);
  }
}

/** How one column's values become the driver's: its type and the conversion of a row's value. */
export interface ColumnEncoder {
  name: string;
  type: DuckDBType;
  encode(value: unknown): DuckDBValue;
}

/**
 * The encoder of a column. A value of the wrong type throws, which fails the insert and so the
 * message: the rows were validated against the same schema, so it is a bug.
 */
export function createColumnEncoder(column: DuckDbColumn): ColumnEncoder {
  const { name, type } = column;
  // Text columns also take what a column the schema no longer has, or an older one, is given.
  const encode = type === 'VARCHAR' ? (value: unknown) => (value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value)) : (value: unknown) => toDriverValue(type, value, name);
  return { name, type: toDriverType(type), encode };
}

// DuckDB's vector size (STANDARD_VECTOR_SIZE): the most rows a data chunk holds.
const chunkRows = 2048;

/**
 * Appends `rows` in data chunks, every value in its column's own type, so no row needs a cast.
 * The chunk is filled in JavaScript buffers and handed over once: a value-at-a-time append makes
 * a native value of every list and struct element (docs/performance.md).
 */
export function appendRows<Row>(appender: DuckDBAppender, encoders: readonly ColumnEncoder[], rows: readonly Row[], valueOf: (row: Row, column: string) => unknown): void {
  const types = encoders.map((e) => e.type);
  for (let start = 0; start < rows.length; start += chunkRows) {
    const slice = rows.slice(start, start + chunkRows);
    const chunk = DuckDBDataChunk.create(types, slice.length);
    chunk.setColumns(encoders.map((e) => slice.map((row) => e.encode(valueOf(row, e.name)))));
    appender.appendDataChunk(chunk);
  }
}
