import { DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { KeyedRow, RefusedRow, Warehouse } from '../../contracts/ports.ts';
import { Tables, type TableName } from '../../contracts/schemas/rows.ts';
import { appendRows, createColumnEncoder, type ColumnEncoder } from './duckdb-append.ts';
import { createDatasetAliases, prepareTable } from './duckdb-tables.ts';
import { toJsonSafe } from './json-safe.ts';
import { defaultQueryLimits, guardedInstanceOptions, runReadOnlyQuery, type QueryLimits, type QueryResult } from './duckdb-read-query.ts';
import { defaultViewSettings, duckDbDialect, type ViewSettings } from '../../application/warehouse/dialect.ts';
import { views } from '../../application/warehouse/views/index.ts';

export type { QueryLimits, QueryResult } from './duckdb-read-query.ts';

/** Runs SQL on a connection, with bound parameters if any, and returns JSON-safe rows: the warehouse's own statements, unguarded. */
export async function queryConnection(
  connection: DuckDBConnection,
  sql: string,
  values?: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql, values, types);
  return { columns: reader.columnNames(), rows: reader.getRowObjectsJS().map((r) => toJsonSafe(r) as Record<string, unknown>) };
}

interface PendingInsert {
  table: TableName;
  rows: readonly KeyedRow[];
  resolve: (refused: RefusedRow[]) => void;
  reject: (err: unknown) => void;
}

function groupByTable(group: readonly PendingInsert[]): Map<TableName, KeyedRow[]> {
  const byTable = new Map<TableName, KeyedRow[]>();
  for (const { table, rows } of group) {
    const list = byTable.get(table);
    if (list) for (const row of rows) list.push(row);
    else byTable.set(table, [...rows]);
  }
  return byTable;
}

/**
 * The local warehouse: one DuckDB file, the same tables as BigQuery. DuckDB lets one process
 * write a file, so `earshot start` owns it and serves `earshot query` through its loopback port.
 * Rows go through a staging table of the same column types via the appender (fast), then into the table
 * with the keys already there left out (idempotent).
 */
export class DuckDbWarehouse implements Warehouse {
  readonly #connection: DuckDBConnection;
  // Analysts' queries run on a connection of their own, so they neither wait behind inserts nor
  // see (or roll back) an insert's open transaction, and interrupting one stops nothing else.
  readonly #reader: DuckDBConnection;
  readonly #instance: DuckDBInstance;
  readonly #limits: QueryLimits;
  #readQueue: Promise<unknown> = Promise.resolve();
  // Per table, its columns in their physical order (the appender fills them by position).
  readonly #columns = new Map<TableName, ColumnEncoder[]>();
  #queue: Promise<unknown> = Promise.resolve();
  #pending: PendingInsert[] = [];
  #groupQueued = false;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, reader: DuckDBConnection, limits: QueryLimits) {
    this.#instance = instance;
    this.#connection = connection;
    this.#reader = reader;
    this.#limits = limits;
  }

  /** Opens (creating if needed) the file, or `:memory:`, and its tables. */
  static async open(path: string, viewSettings: ViewSettings = defaultViewSettings, limits: QueryLimits = defaultQueryLimits, memoryLimit?: string): Promise<DuckDbWarehouse> {
    const instance = await DuckDBInstance.create(path, guardedInstanceOptions(memoryLimit));
    const warehouse = new DuckDbWarehouse(instance, await instance.connect(), await instance.connect(), limits);
    for (const [name, schema] of Object.entries(Tables) as Array<[TableName, (typeof Tables)[TableName]]>) {
      const columns = await prepareTable(warehouse.#connection, name, schema);
      warehouse.#columns.set(name, columns.map(createColumnEncoder));
      const staging = columns.map((c) => `"${c.name}" ${c.sql}`).join(', ');
      await warehouse.#connection.run(`CREATE OR REPLACE TEMP TABLE "stage_${name}" (${staging})`);
    }
    for (const view of views) await warehouse.#connection.run(`CREATE OR REPLACE VIEW "${view.name}" AS\n${view.sql(duckDbDialect, viewSettings)}`);
    await createDatasetAliases(warehouse.#connection, [...Object.keys(Tables), ...views.map((v) => v.name)]);
    await warehouse.#connection.run('SET lock_configuration = true');
    return warehouse;
  }

  // One statement at a time on the one connection: the appender and its INSERT must not interleave.
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Group commit: inserts that arrive while the connection is busy are written together, in one
   * transaction, when it is free. Each commit costs a WAL write, so under load this turns a
   * commit per message into a commit per group, and alone an insert still goes straight through.
   */
  insert(table: TableName, rows: readonly KeyedRow[]): Promise<RefusedRow[]> {
    if (!this.#columns.has(table)) throw new Error(`unknown table ${table}`);
    return new Promise((resolve, reject) => {
      this.#pending.push({ table, rows, resolve, reject });
      if (this.#groupQueued) return;
      this.#groupQueued = true;
      void this.#serial(() => {
        this.#groupQueued = false;
        return this.#writeGroup(this.#pending.splice(0));
      });
    });
  }

  async #writeGroup(group: PendingInsert[]): Promise<void> {
    try {
      await this.#inTransaction(group);
      for (const insert of group) insert.resolve([]);
    } catch (err) {
      if (group.length === 1) return group[0]?.reject(err);
      // One insert's rows broke the group: write each alone, so only that one fails (and is retried).
      for (const insert of group) {
        await this.#inTransaction([insert]).then(
          () => insert.resolve([]),
          (alone: unknown) => insert.reject(alone),
        );
      }
    }
  }

  /**
   * Appends straight into the tables, which the primary key refuses if any key is already there;
   * only then are the rows staged and inserted without the keys present. Repeats are rare (a
   * redelivery), and each statement costs DuckDB milliseconds, so the common case skips two.
   */
  async #inTransaction(group: readonly PendingInsert[]): Promise<void> {
    const byTable = groupByTable(group);
    try {
      await this.#transaction(async () => {
        for (const [table, rows] of byTable) await this.#append(table, table, rows);
      });
    } catch {
      await this.#transaction(async () => {
        for (const [table, rows] of byTable) await this.#stageAndInsert(table, rows);
      });
    }
  }

  async #transaction(work: () => Promise<void>): Promise<void> {
    await this.#connection.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.#connection.run('COMMIT');
    } catch (err) {
      await this.#connection.run('ROLLBACK');
      throw err;
    }
  }

  async #stageAndInsert(table: TableName, rows: readonly KeyedRow[]): Promise<void> {
    await this.#append(table, `stage_${table}`, rows);
    const names = (this.#columns.get(table) ?? []).map((c) => `"${c.name}"`).join(', ');
    await this.#connection.run(
      `INSERT INTO "${table}" (${names}) SELECT ${names} FROM "stage_${table}" s WHERE NOT EXISTS (SELECT 1 FROM "${table}" t WHERE t.insert_id = s.insert_id)`,
    );
    await this.#connection.run(`DELETE FROM "stage_${table}"`);
  }

  /** Appends `rows` of `table` to `target` (the table or its stage), each key once. */
  async #append(table: TableName, target: string, rows: readonly KeyedRow[]): Promise<void> {
    const columns = this.#columns.get(table) ?? [];
    const appender = await this.#connection.createAppender(target);
    // A group may hold a message twice (redelivered while its first delivery was waiting).
    const seen = new Set<string>();
    const once = rows.filter((row) => !seen.has(row.insertId) && Boolean(seen.add(row.insertId)));
    try {
      appendRows(appender, columns, once, (row, column) => (column === 'insert_id' ? row.insertId : row.json[column]));
      appender.flushSync();
    } catch (err) {
      // The half-written row dies with the appender; the rollback removes whatever it flushed.
      appender.clear();
      throw err;
    } finally {
      appender.closeSync();
    }
  }

  /**
   * An analyst's SQL (`earshot query`, `/_local/query`): one reading statement, within the
   * limits, on the reader connection, one at a time (see `runReadOnlyQuery`).
   */
  get limits(): QueryLimits {
    return this.#limits;
  }

  /** Runs `sql` as `runReadOnlyQuery` does, within `limits` (by default those given to `open`). */
  query(sql: string, limits: QueryLimits = this.#limits): Promise<QueryResult> {
    const work = () => runReadOnlyQuery(this.#reader, sql, limits);
    const next = this.#readQueue.then(work, work);
    this.#readQueue = next.catch(() => undefined);
    return next;
  }

  /** Runs a prepared statement with named parameters (`$name`) bound, never spliced into the SQL. */
  queryBound(sql: string, values: Record<string, DuckDBValue>, types: Record<string, DuckDBType>): Promise<QueryResult> {
    return this.#serial(() => queryConnection(this.#connection, sql, values, types));
  }

  /** Writes everything to disk (CHECKPOINT) and releases the file. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      await this.#readQueue;
      await this.#connection.run('CHECKPOINT');
      this.#reader.closeSync();
      this.#connection.closeSync();
      this.#instance.closeSync();
    });
  }
}
