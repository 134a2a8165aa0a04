import { BIGINT, BOOLEAN, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { ReportParam, ReportRow, ReportSource, ReportValue } from '../../contracts/ports.ts';
import { duckDbDialect } from '../../application/warehouse/dialect.ts';
import type { QueryResult } from './duckdb-warehouse.ts';

/** What the report source needs of the local warehouse: a prepared statement with bound values. */
export interface BoundQueries {
  queryBound(sql: string, values: Record<string, DuckDBValue>, types: Record<string, DuckDBType>): Promise<QueryResult>;
}

// Every parameter gets an explicit type: an empty list, or a text DuckDB could read as a number,
// must mean the same as in BigQuery, where each parameter is typed.
function bind(value: ReportParam): [DuckDBValue, DuckDBType] {
  if (typeof value === 'string') return [value, VARCHAR];
  if (typeof value === 'number') return [BigInt(value), BIGINT];
  if (typeof value === 'boolean') return [value, BOOLEAN];
  return [listValue([...value]), LIST(VARCHAR)];
}

const toCell = (value: unknown): ReportValue =>
  value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean' ? (value ?? null) : typeof value === 'string' ? value : String(value);

/** Reports on DuckDB (`earshot start`): prepared statements on the warehouse's connection. */
export function createDuckDbReportSource(warehouse: BoundQueries): ReportSource {
  return {
    dialect: duckDbDialect,
    async run(sql, params, limits) {
      const values: Record<string, DuckDBValue> = {};
      const types: Record<string, DuckDBType> = {};
      for (const [name, value] of Object.entries(params)) [values[name], types[name]] = bind(value);
      const result = await warehouse.queryBound(sql, values, types);
      // toJsonSafe has turned HUGEINT sums into numbers (or digit strings beyond 2^53).
      return result.rows.slice(0, limits.maxRows).map((row): ReportRow => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)])));
    },
  };
}
