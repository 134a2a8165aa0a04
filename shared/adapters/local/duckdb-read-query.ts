import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from '@duckdb/node-api';
import { toJsonSafe } from './json-safe.ts';

/** A JSON-safe query result: column names and rows as plain objects. */
export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** Set when rows were left out to stay within the limits; the rows given are the first ones. */
  truncated?: { reason: 'rows' | 'bytes'; limit: number };
}

/** What one analyst query may cost; the server answering it also holds the queue. */
export interface QueryLimits {
  maxRows: number;
  /** JSON bytes of the rows returned. */
  maxBytes: number;
  timeoutMs: number;
}

export const defaultQueryLimits: QueryLimits = { maxRows: 100_000, maxBytes: 32 * 1024 * 1024, timeoutMs: 30_000 };

/** DuckDB's memory ceiling for a warehouse instance (writes and queries together), unless told otherwise. */
export const defaultMemoryLimit = '2GB';

/**
 * DuckDB settings of every instance analysts query. No file or network access beyond the
 * database file itself (read_text, read_csv, COPY TO, ATTACH of a file, INSTALL and LOAD all
 * refused), and a memory ceiling so a huge join fails alone instead of taking the process down.
 * `lock_configuration` goes last, once the instance is set up, so no query can undo these.
 */
export const guardedInstanceOptions = (memoryLimit = defaultMemoryLimit) => ({ enable_external_access: 'false', memory_limit: memoryLimit });

/** Refuses the query, with the reason the user sees (a 400 on `/_local/query`, exit 2 for the CLI). */
export class QueryRefusedError extends Error {}

// Statement kinds that only read. EXPLAIN ANALYZE runs its query, inside the read-only transaction.
const readingStatements = new Set([StatementType.SELECT, StatementType.EXPLAIN]);

/**
 * Runs one reading statement on `connection` inside a read-only transaction that is always
 * rolled back, streaming rows until the limits and interrupting it past the time limit. The
 * statement kind comes from DuckDB's own parser (no SQL pattern matching); the transaction
 * refuses any write a SELECT might still find a way to make. The connection must be one
 * reserved for such queries: a write or a second query on it meanwhile would join the transaction.
 */
export async function runReadOnlyQuery(connection: DuckDBConnection, sql: string, limits: QueryLimits = defaultQueryLimits): Promise<QueryResult> {
  const given = await prepareReading(connection, sql);
  // Each row is measured inside DuckDB before it becomes JavaScript: one cell of gigabytes would
  // otherwise abort the whole process in V8 (strings stop at 2^29 characters), not fail a query.
  const statement = given.statementType === StatementType.SELECT ? await prepareReading(connection, boundRowSize(sql, limits.maxBytes)) : given;
  const timer = setTimeout(() => connection.interrupt(), limits.timeoutMs);
  await connection.run('BEGIN TRANSACTION READ ONLY');
  try {
    return await readLimited(await statement.stream(), limits);
  } catch (err) {
    if (/interrupt/i.test((err as Error).message)) throw new QueryRefusedError(`the query ran over ${limits.timeoutMs} ms and was stopped`);
    throw err;
  } finally {
    clearTimeout(timer);
    await connection.run('ROLLBACK');
  }
}

async function prepareReading(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count !== 1) throw new QueryRefusedError(`expected one SQL statement, got ${extracted.count}`);
  const statement = await extracted.prepare(0);
  if (!readingStatements.has(statement.statementType)) {
    throw new QueryRefusedError(`only SELECT and EXPLAIN are allowed: the warehouse is read only here (got ${StatementType[statement.statementType]})`);
  }
  return statement;
}

/**
 * The query as a subquery whose rows fail once their text is over `maxBytes`. The wrapped text is
 * parsed and checked again, and runs in the read-only transaction, so a query crafted to close
 * the parenthesis early gains nothing; the newline ends a trailing `--` comment.
 */
function boundRowSize(sql: string, maxBytes: number): string {
  const body = withoutTrailingSemicolons(sql);
  return `SELECT * FROM (${body}\n) AS q WHERE CASE WHEN strlen(CAST(q AS VARCHAR)) > ${maxBytes} THEN error('a result row is over ${maxBytes} bytes') ELSE true END`;
}

/**
 * `sql` without final semicolons and the comments after them, which would end the subquery early.
 * One backward pass over indices: no regular expression (one that skips comments backtracks
 * exponentially on dashes) and no slicing per semicolon (quadratic on a 10 MiB body). Anything
 * cut wrongly (a `; --` inside a string literal) only makes the wrapped text fail to parse.
 */
function withoutTrailingSemicolons(sql: string): string {
  let end = sql.length;
  for (;;) {
    let cut = end;
    while (cut > 0 && (sql[cut - 1] === ';' || /\s/.test(sql[cut - 1] ?? ''))) cut--;
    const lineStart = sql.lastIndexOf('\n', cut - 1) + 1;
    const dash = sql.indexOf('--', lineStart);
    if (dash === -1 || dash >= cut) return sql.slice(0, cut);
    let before = dash;
    while (before > lineStart && /\s/.test(sql[before - 1] ?? '')) before--;
    // A comment alone on its line, or after a semicolon: drop it and look again before it.
    if (before === lineStart || sql[before - 1] === ';') end = dash;
    else return sql.slice(0, cut);
  }
}

async function readLimited(result: DuckDBResult, limits: QueryLimits): Promise<QueryResult> {
  const columns = result.columnNames();
  const rows: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for await (const chunk of result.yieldRowObjectJs()) {
    for (const raw of chunk) {
      if (rows.length === limits.maxRows) return { columns, rows, truncated: { reason: 'rows', limit: limits.maxRows } };
      const row = toJsonSafe(raw) as Record<string, unknown>;
      bytes += JSON.stringify(row).length + 1;
      if (bytes > limits.maxBytes) return { columns, rows, truncated: { reason: 'bytes', limit: limits.maxBytes } };
      rows.push(row);
    }
  }
  return { columns, rows };
}
