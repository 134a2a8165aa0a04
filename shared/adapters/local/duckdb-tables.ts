import type { DuckDBConnection } from '@duckdb/node-api';
import type { TObject } from '@sinclair/typebox';
import { computeDuckDbColumns, computeDuckDbTableDdl, computeJsonStructure, type DuckDbColumn } from '../../contracts/schemas/duckdb-schema.ts';

/** The schema BigQuery queries name tables in (`earshot.beacon_events`): locally an alias of every table and view. */
export const datasetSchema = 'earshot';

async function physicalColumns(connection: DuckDBConnection, table: string): Promise<Array<{ name: string; type: string }>> {
  const reader = await connection.runAndReadAll(`SELECT name, type FROM pragma_table_info('${table}') ORDER BY cid`);
  return reader.getRowObjectsJS().map((r) => ({ name: String(r.name), type: String(r.type) }));
}

/** DuckDB's own spelling of a type, as `pragma_table_info` shows it. */
async function canonicalType(connection: DuckDBConnection, sql: string): Promise<string> {
  const reader = await connection.runAndReadAll(`SELECT typeof(CAST(NULL AS ${sql})) AS t`);
  return String(reader.getRowObjectsJS()[0]?.t);
}

/**
 * A nested column whose type is not the schema's: JSON text (data folders before nested columns
 * were typed) or a struct without the fields added since. Both go through JSON, which `from_json`
 * reads by field name, so every field keeps its value and a new one is NULL; a missing list
 * becomes empty, as BigQuery has it.
 */
function convertUsing(column: DuckDbColumn): string {
  const read = `from_json(to_json("${column.name}"), '${computeJsonStructure(column.type)}')`;
  return typeof column.type !== 'string' && 'list' in column.type ? `COALESCE(${read}, [])` : read;
}

/**
 * Creates `name` from its row schema, or brings a table from an earlier version up to it:
 * columns added since are added (at the end, nullable) and nested columns converted to their
 * types. Returns the columns in the table's own order, which the appender fills by position
 * (in an older data folder it differs from the schema's); a column the schema no longer has is
 * written as NULL text.
 */
export async function prepareTable(connection: DuckDBConnection, name: string, schema: TObject): Promise<DuckDbColumn[]> {
  const declared = computeDuckDbColumns(schema);
  await connection.run(computeDuckDbTableDdl(name, schema));
  for (const c of declared) await connection.run(`ALTER TABLE "${name}" ADD COLUMN IF NOT EXISTS "${c.name}" ${c.sql}`);
  const physical = await physicalColumns(connection, name);
  for (const c of declared) {
    if (typeof c.type === 'string') continue;
    const current = physical.find((p) => p.name === c.name)?.type;
    if (current !== (await canonicalType(connection, c.sql))) await connection.run(`ALTER TABLE "${name}" ALTER COLUMN "${c.name}" SET DATA TYPE ${c.sql} USING ${convertUsing(c)}`);
  }
  return physical.map(({ name: column }) => declared.find((c) => c.name === column) ?? { name: column, type: 'VARCHAR', sql: 'VARCHAR', notNull: false });
}

/** `earshot.<name>` for every table and view, so a query written for BigQuery runs here as it is. */
export async function createDatasetAliases(connection: DuckDBConnection, names: readonly string[]): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${datasetSchema}`);
  for (const name of names) await connection.run(`CREATE OR REPLACE VIEW ${datasetSchema}."${name}" AS SELECT * FROM main."${name}"`);
}
