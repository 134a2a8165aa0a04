import type { TObject } from '@sinclair/typebox';
import { computeBigQuerySchema, type BigQueryField } from './bigquery-schema.ts';

/** A DuckDB column derived from the same schema as the BigQuery one; nested values are JSON. */
export interface DuckDbColumn {
  name: string;
  type: 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMPTZ' | 'JSON';
  notNull: boolean;
  /** Nested or repeated: written as JSON text. */
  nested: boolean;
}

const scalar: Record<Exclude<BigQueryField['type'], 'RECORD'>, DuckDbColumn['type']> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMPTZ',
};

export function computeDuckDbColumns(table: TObject): DuckDbColumn[] {
  return computeBigQuerySchema(table).map((f) => {
    const nested = f.mode === 'REPEATED' || f.type === 'RECORD';
    return { name: f.name, type: nested ? 'JSON' : scalar[f.type as keyof typeof scalar], notNull: f.mode === 'REQUIRED', nested };
  });
}

/** `CREATE TABLE IF NOT EXISTS` with `insert_id` as the primary key, so re-inserts are ignored. */
export function computeDuckDbTableDdl(name: string, table: TObject): string {
  const columns = computeDuckDbColumns(table).map((c) => `  "${c.name}" ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS "${name}" (\n${columns.join(',\n')},\n  PRIMARY KEY ("insert_id")\n)`;
}
