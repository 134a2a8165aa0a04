import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { KeyedRow, RefusedRow, Warehouse } from '../../ports.ts';
import { computeDuckDbColumns, computeDuckDbTableDdl, type DuckDbColumn } from '../../schemas/duckdb-schema.ts';
import { Tables, type TableName } from '../../schemas/rows.ts';
import { toJsonSafe } from './json-safe.ts';
import { defaultViewSettings, duckDbDialect, type ViewSettings } from '../../warehouse/dialect.ts';
import { views } from '../../warehouse/views/index.ts';

/** A JSON-safe query result: column names and rows as plain objects. */
export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** Runs SQL on a connection and returns JSON-safe rows. */
export async function queryConnection(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowObjectsJS().map((r) => toJsonSafe(r) as Record<string, unknown>) };
}

/**
 * The local warehouse: one DuckDB file, the same tables as BigQuery. DuckDB lets one process
 * write a file, so `earshot start` owns it and serves `earshot query` through its loopback port.
 * Rows go through an all-VARCHAR staging table via the appender (fast), then into the table
 * with `INSERT OR IGNORE` on the primary key (idempotent).
 */
export class DuckDbWarehouse implements Warehouse {
  readonly #connection: DuckDBConnection;
  readonly #instance: DuckDBInstance;
  readonly #columns = new Map<TableName, DuckDbColumn[]>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /** Opens (creating if needed) the file, or `:memory:`, and its tables. */
  static async open(path: string, viewSettings: ViewSettings = defaultViewSettings): Promise<DuckDbWarehouse> {
    const instance = await DuckDBInstance.create(path);
    const warehouse = new DuckDbWarehouse(instance, await instance.connect());
    for (const [name, schema] of Object.entries(Tables) as Array<[TableName, (typeof Tables)[TableName]]>) {
      const columns = computeDuckDbColumns(schema);
      warehouse.#columns.set(name, columns);
      await warehouse.#connection.run(computeDuckDbTableDdl(name, schema));
      const staging = columns.map((c) => `"${c.name}" VARCHAR`).join(', ');
      await warehouse.#connection.run(`CREATE OR REPLACE TEMP TABLE "stage_${name}" (${staging})`);
    }
    for (const view of views) await warehouse.#connection.run(`CREATE OR REPLACE VIEW "${view.name}" AS\n${view.sql(duckDbDialect, viewSettings)}`);
    return warehouse;
  }

  // One statement at a time on the one connection: the appender and its INSERT must not interleave.
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  insert(table: TableName, rows: readonly KeyedRow[]): Promise<RefusedRow[]> {
    const columns = this.#columns.get(table);
    if (!columns) throw new Error(`unknown table ${table}`);
    return this.#serial(async () => {
      const appender = await this.#connection.createAppender(`stage_${table}`);
      for (const row of rows) {
        for (const column of columns) {
          const value = column.name === 'insert_id' ? row.insertId : row.json[column.name];
          if (value === undefined || value === null) appender.appendNull();
          else appender.appendVarchar(column.nested || typeof value === 'object' ? JSON.stringify(value) : String(value));
        }
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      const casts = columns.map((c) => `CAST("${c.name}" AS ${c.type})`).join(', ');
      try {
        await this.#connection.run(
          `INSERT OR IGNORE INTO "${table}" (${names}) SELECT ${casts} FROM "stage_${table}" QUALIFY row_number() OVER (PARTITION BY insert_id) = 1`,
        );
      } finally {
        await this.#connection.run(`DELETE FROM "stage_${table}"`);
      }
      return [];
    });
  }

  /** Runs SQL and returns JSON-safe rows. */
  query(sql: string): Promise<QueryResult> {
    return this.#serial(() => queryConnection(this.#connection, sql));
  }

  /** Writes everything to disk (CHECKPOINT) and releases the file. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      await this.#connection.run('CHECKPOINT');
      this.#connection.closeSync();
      this.#instance.closeSync();
    });
  }
}
