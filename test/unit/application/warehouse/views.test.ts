import { DuckDBInstance } from '@duckdb/node-api';
import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import { TableLayout, type TableName } from '../../../../shared/contracts/schemas/rows.ts';
import { bigQueryDialect, deployedViewSettings } from '../../../../shared/application/warehouse/dialect.ts';
import { views } from '../../../../shared/application/warehouse/views/index.ts';
import { seedReports } from '../../../support/report-seed.ts';

const parser = new sqlParser.Parser();

/** A view's BigQuery SQL as Terraform deploys it, the dataset named `earshot`. */
const deployedSql = (sql: string) => sql.replaceAll('{{dataset}}', 'earshot').replaceAll('{{discrepancy_threshold_pct}}', '5').replaceAll('{{cuped_pre_period_days}}', '28');

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** Every node of a syntax tree, depth first. */
function* nodesOf(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* nodesOf(item);
  else if (isNode(value)) {
    yield value;
    for (const child of Object.values(value)) yield* nodesOf(child);
  }
}

/** The output column names of a BigQuery query's outermost SELECT. */
function outputColumns(sql: string): Array<string | undefined> {
  const ast = parser.astify(sql, { database: 'bigquery' });
  const statement = (Array.isArray(ast) ? ast[0] : ast) as unknown as Node;
  const columns = ((statement.select as Node | undefined)?.columns ?? statement.columns) as Node[];
  return columns.map((c) => {
    if (typeof c.as === 'string') return c.as;
    const expr = c.expr as Node;
    if (expr.type !== 'column_ref') return undefined;
    return typeof expr.column === 'string' ? expr.column : ((expr.column as Node).expr as Node).value as string;
  });
}

/**
 * How the SELECTs of a BigQuery query read `table`: for each, whether its WHERE bounds the table's
 * partition column from below (what lets BigQuery prune, and what a table requiring a partition
 * filter refuses to be read without).
 */
function partitionFilteredReads(sql: string, table: TableName): boolean[] {
  const column = TableLayout[table].partitionBy;
  const selects = [...nodesOf(parser.astify(sql, { database: 'bigquery' }))].filter((n) => Array.isArray(n.from));
  return selects
    .filter((s) => (s.from as Node[]).some((f) => f.table === `earshot.${table}`))
    .map((s) => [...nodesOf(s.where)].some((n) => n.type === 'binary_expr' && (n.operator === '>=' || n.operator === '>') && isNode(n.left) && n.left.column === column));
}

describe('warehouse views', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await seedReports(warehouse);
  });
  afterAll(async () => warehouse.close());

  for (const view of views) {
    describe(view.name, () => {
      const bigquery = deployedSql(view.sql(bigQueryDialect, deployedViewSettings));

      it('returns in DuckDB, on data, the columns its BigQuery SQL returns', async () => {
        const local = await warehouse.query(`SELECT * FROM "${view.name}"`);
        expect(local.rows.length).toBeGreaterThan(0);
        expect(local.columns).toEqual(outputColumns(bigquery));
      });

      it('reads a table that requires a partition filter only with one on its partition column', () => {
        for (const [table, layout] of Object.entries(TableLayout) as Array<[TableName, (typeof TableLayout)[TableName]]>) {
          const reads = partitionFilteredReads(bigquery, table);
          if (layout.requirePartitionFilter) expect(reads.every(Boolean), table).toBe(true);
        }
        const reads = Object.keys(TableLayout).flatMap((table) => partitionFilteredReads(bigquery, table as TableName));
        expect(reads.length).toBeGreaterThan(0);
      });

      it('is described', () => expect(view.description.length).toBeGreaterThan(20));
    });
  }

  it('finds a read of beacon_events without its partition filter (the check is real)', () => {
    expect(partitionFilteredReads('SELECT e.ts FROM `earshot.beacon_events` AS e WHERE e.counted', 'beacon_events')).toEqual([false]);
  });

  it('refuses SQL that is not BigQuery (the parser is a real check)', () => {
    expect(() => parser.astify('SELECT FROM WHERE', { database: 'bigquery' })).toThrow();
  });
});

/**
 * BigQuery keeps every copy a late retry or re-upload writes under one key; its views keep one.
 * The dedupe the BigQuery views read `beacon_events` through runs here on DuckDB, on a table that
 * holds such copies, with the spellings DuckDB lacks given to it: the dataset's backquoted name,
 * `* EXCEPT` (DuckDB's `* EXCLUDE`), `CURRENT_TIMESTAMP()` and `TIMESTAMP_SUB` (a macro).
 */
describe('which beacon_events row a BigQuery view keeps for one insert_id', () => {
  let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run('CREATE MACRO timestamp_sub(t, i) AS t - i');
  });
  afterAll(() => connection.closeSync());

  const deduped = bigQueryDialect.deduped('beacon_events').replace('`{{dataset}}.beacon_events`', 'copies').replace('* EXCEPT (', '* EXCLUDE (').replace('CURRENT_TIMESTAMP()', 'CURRENT_TIMESTAMP');
  const recent = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const cases: Record<string, { rows: Array<[insertId: string, reason: string, receivedAt: string]>; kept: string[] }> = {
    'the verdict over a later re-upload marked duplicate': { rows: [['p/e1', 'counted', '10:00'], ['p/e1', 'duplicate_event', '10:05']], kept: ['p/e1 counted'] },
    'the verdict over an earlier upload that lost the race': { rows: [['p/e1', 'duplicate_event', '10:00'], ['p/e1', 'counted', '10:05']], kept: ['p/e1 counted'] },
    'the first accepted of two verdicts': { rows: [['p/e1', 'below_minimum', '10:05'], ['p/e1', 'bot', '10:00']], kept: ['p/e1 bot'] },
    'one row of each key': { rows: [['p/e1', 'counted', '10:00'], ['p/e2', 'duplicate_event', '10:01'], ['p/e1', 'counted', '10:02']], kept: ['p/e1 counted', 'p/e2 duplicate_event'] },
  };
  for (const [name, { rows, kept }] of Object.entries(cases)) {
    it(name, async () => {
      const values = rows.map(([id, reason, at]) => `('${id}', TIMESTAMPTZ '${recent} 09:00:00+00', '${reason}', TIMESTAMPTZ '${recent} ${at}:00+00')`).join(', ');
      await connection.run(`CREATE OR REPLACE TABLE copies AS SELECT * FROM (VALUES ${values}) AS t(insert_id, ts, reason, received_at)`);
      const reader = await connection.runAndReadAll(`SELECT insert_id || ' ' || reason AS kept FROM ${deduped} ORDER BY 1`);
      expect(reader.getRowObjectsJS().map((r) => r.kept)).toEqual(kept);
    });
  }

  it('leaves out rows older than the views read', async () => {
    await connection.run(`CREATE OR REPLACE TABLE copies AS SELECT * FROM (VALUES ('p/old', TIMESTAMPTZ '2020-01-01 09:00:00+00', 'counted', TIMESTAMPTZ '2020-01-01 09:00:00+00')) AS t(insert_id, ts, reason, received_at)`);
    expect((await connection.runAndReadAll(`SELECT count(*) AS n FROM ${deduped}`)).getRowObjectsJS()).toEqual([{ n: 0n }]);
  });
});
