import type { ReportParam } from '../../contracts/ports.ts';
import type { SqlDialect } from '../../contracts/sql-dialect.ts';

/**
 * Collects a query's parameters as it is written: each value goes into `params` under a name the
 * code chooses, and the SQL gets only the dialect's placeholder for it. No caller ever hands this
 * class SQL made from input, so input cannot reach the SQL text.
 */
export class SqlBuilder {
  readonly params: Record<string, ReportParam> = {};

  constructor(readonly dialect: SqlDialect) {}

  /** The placeholder of a new parameter holding `value`. */
  bind(name: string, value: ReportParam): string {
    if (name in this.params) throw new Error(`parameter ${name} bound twice`);
    this.params[name] = value;
    return this.dialect.name === 'bigquery' ? `@${name}` : `$${name}`;
  }

  /** `column` is one of the texts in `values` (false for an empty list, in both warehouses). */
  member(column: string, name: string, values: readonly string[]): string {
    const list = this.bind(name, values);
    return this.dialect.name === 'bigquery' ? `${column} IN UNNEST(${list})` : `list_contains(${list}, ${column})`;
  }

  /**
   * Midnight UTC of a day (YYYY-MM-DD) as a timestamp parameter. The zone is in the value, so
   * DuckDB's session time zone cannot move the window (a bare TIMESTAMP would be read in it).
   */
  midnightUtc(name: string, day: string): string {
    return `CAST(${this.bind(name, `${day} 00:00:00+00`)} AS ${this.dialect.name === 'bigquery' ? 'TIMESTAMP' : 'TIMESTAMPTZ'})`;
  }

  /** An expression as text: a DATE as YYYY-MM-DD in both warehouses. */
  asText(expression: string): string {
    return `CAST(${expression} AS ${this.dialect.name === 'bigquery' ? 'STRING' : 'VARCHAR'})`;
  }
}
