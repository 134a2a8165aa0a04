import type { TObject } from '@sinclair/typebox';
import { computeBigQuerySchema, type BigQueryField } from './bigquery-schema.ts';

export type DuckDbScalarType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMPTZ';

/**
 * A DuckDB column type: a scalar, a LIST of one (BigQuery REPEATED) or a STRUCT of named ones
 * (BigQuery RECORD), so nested columns hold the values BigQuery holds rather than JSON text and
 * `UNNEST`, `ARRAY_LENGTH` and `.field` mean the same in both.
 */
export type DuckDbType = DuckDbScalarType | { list: DuckDbType } | { struct: readonly DuckDbField[] };

export interface DuckDbField {
  name: string;
  type: DuckDbType;
}

/** A DuckDB column derived from the same schema as the BigQuery one. */
export interface DuckDbColumn extends DuckDbField {
  /** The type as DuckDB SQL (`VARCHAR[]`, `STRUCT("ad_id" VARCHAR, ...)[]`). */
  sql: string;
  notNull: boolean;
}

const scalar: Record<Exclude<BigQueryField['type'], 'RECORD'>, DuckDbScalarType> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMPTZ',
};

function toDuckDbType(field: BigQueryField): DuckDbType {
  const element: DuckDbType = field.type === 'RECORD' ? { struct: (field.fields ?? []).map((f) => ({ name: f.name, type: toDuckDbType(f) })) } : scalar[field.type];
  return field.mode === 'REPEATED' ? { list: element } : element;
}

export function renderDuckDbType(type: DuckDbType): string {
  if (typeof type === 'string') return type;
  if ('list' in type) return `${renderDuckDbType(type.list)}[]`;
  return `STRUCT(${type.struct.map((f) => `"${f.name}" ${renderDuckDbType(f.type)}`).join(', ')})`;
}

/** The structure `from_json` reads a JSON value of `type` with (`'["VARCHAR"]'`, `'[{"ad_id":"VARCHAR"}]'`). */
export function computeJsonStructure(type: DuckDbType): string {
  const structure = (t: DuckDbType): unknown => (typeof t === 'string' ? t : 'list' in t ? [structure(t.list)] : Object.fromEntries(t.struct.map((f) => [f.name, structure(f.type)])));
  return JSON.stringify(structure(type));
}

export function computeDuckDbColumns(table: TObject): DuckDbColumn[] {
  return computeBigQuerySchema(table).map((f) => {
    const type = toDuckDbType(f);
    return { name: f.name, type, sql: renderDuckDbType(type), notNull: f.mode === 'REQUIRED' };
  });
}

/** `CREATE TABLE IF NOT EXISTS` with `insert_id` as the primary key, so re-inserts are ignored. */
export function computeDuckDbTableDdl(name: string, table: TObject): string {
  const columns = computeDuckDbColumns(table).map((c) => `  "${c.name}" ${c.sql}${c.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS "${name}" (\n${columns.join(',\n')},\n  PRIMARY KEY ("insert_id")\n)`;
}
