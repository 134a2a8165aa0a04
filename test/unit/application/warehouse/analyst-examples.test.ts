import { readFileSync } from 'node:fs';
import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import { seedReports } from '../../../support/report-seed.ts';

/** One example of docs/analysts.md: its BigQuery text and the text DuckDB runs (the same unless the page gives a DuckDB spelling). */
interface Example {
  title: string;
  bigquery: string;
  duckdb: string;
}

const statementsOf = (block: string) =>
  block
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/^--.*$/gm, '').trim() !== '');

/**
 * Every SQL example of the page: a ```sql block runs on both warehouses as it is; a ```sql
 * bigquery block is followed by a ```sql duckdb block with the same queries spelled for DuckDB.
 */
function readExamples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```sql( bigquery| duckdb)?\n([\s\S]*?)^```$/gm)].map((m) => ({ dialect: m[1]?.trim(), statements: statementsOf(m[2] ?? '') }));
  const fences = markdown.match(/^```sql/gm)?.length ?? 0;
  if (blocks.length !== fences) throw new Error(`read ${blocks.length} of the ${fences} sql blocks: one is not \`\`\`sql, \`\`\`sql bigquery or \`\`\`sql duckdb`);
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.dialect === 'duckdb') return;
    const local = block.dialect === 'bigquery' ? blocks[i + 1] : block;
    if (!local || (local.dialect !== block.dialect && local.dialect !== 'duckdb')) throw new Error(`a sql bigquery block (#${i}) must be followed by a sql duckdb block`);
    if (local.statements.length !== block.statements.length) throw new Error(`the DuckDB spelling of block #${i} has another number of queries`);
    block.statements.forEach((bigquery, j) => {
      const title = /^--\s*(.*)$/m.exec(bigquery)?.[1] ?? bigquery.split('\n')[0] ?? '';
      examples.push({ title: `${title} (block ${i})`, bigquery, duckdb: local.statements[j] ?? '' });
    });
  });
  return examples;
}

interface SelectColumn {
  as: string | null;
  expr: { type: string; column?: string | { expr: { value: string } } };
}

/** The names of a BigQuery query's result columns, from its syntax tree; undefined for a column without one. */
function bigQueryColumnNames(sql: string): Array<string | undefined> {
  const ast = new sqlParser.Parser().astify(sql, { database: 'bigquery' });
  const statement = (Array.isArray(ast) ? ast[0] : ast) as unknown as { select?: { columns: SelectColumn[] }; columns?: SelectColumn[] };
  const columns = statement.select?.columns ?? statement.columns ?? [];
  return columns.map((c) => {
    if (c.as) return c.as;
    if (c.expr.type !== 'column_ref') return undefined;
    return typeof c.expr.column === 'string' ? c.expr.column : c.expr.column?.expr.value;
  });
}

const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

const examples = readExamples(readFileSync(new URL('../../../../docs/analysts.md', import.meta.url), 'utf8'));

describe('the example queries of docs/analysts.md', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    // Recent days, so the examples' "last 7 days" find the rows.
    await seedReports(warehouse, [utcDay(2), utcDay(1), utcDay(0)]);
    const failedAt = new Date().toISOString();
    await warehouse.insert('dead_letters', [{ insertId: 'count/m1', json: { insert_id: 'count/m1', failed_at: failedAt, source: 'count', message_id: 'm1', reason: 'not JSON', payload: 'x' } }]);
    // A request from a data centre, for the traffic_anomalies example.
    const server = { insert_id: 'p1/dc-1', event_id: 'dc-1', platform: 'p1', type: 'download', ts: failedAt, received_at: failedAt, show_id: 'show-p1', episode_id: 'show-p1-ep', household_key: 'hh-server', user_agent: 'Overcast/3.0', method: 'GET', status: 200, counted: false, reason: 'datacenter', ads_delivered: [], ghost_ads_delivered: [], ua_type: 'app', bot: false, country: 'DE', asn: 24940, datacenter: 'Hetzner' };
    await warehouse.insert('beacon_events', [{ insertId: server.insert_id, json: server }]);
  });
  afterAll(async () => warehouse.close());

  it('are read from every sql block of the page, some with a DuckDB spelling', () => {
    expect(examples.length).toBeGreaterThan(10);
    expect(examples.filter((e) => e.bigquery !== e.duckdb).length).toBeGreaterThanOrEqual(2);
  });

  for (const example of examples) {
    describe(example.title, () => {
      it('parses as BigQuery SQL and names every result column', () => {
        const names = bigQueryColumnNames(example.bigquery);
        expect(names.length).toBeGreaterThan(0);
        expect(names).not.toContain(undefined);
      });
      it('runs on DuckDB with the columns BigQuery returns, and finds rows', async () => {
        const result = await warehouse.query(example.duckdb);
        expect(result.columns).toEqual(bigQueryColumnNames(example.bigquery));
        expect(result.rows.length).toBeGreaterThan(0);
      });
    });
  }

  // The parser is a real check: the DuckDB spellings the page needs are not BigQuery.
  it('refuses the DuckDB spelling of an UNNEST as BigQuery', () => {
    const local = examples.find((e) => e.duckdb.includes('reasons_rows(reason)'));
    expect(local).toBeDefined();
    expect(() => bigQueryColumnNames(local?.duckdb ?? '')).toThrow();
  });
});
