import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { TableLayout, viewWindowDays } from '../../../shared/schemas/rows.ts';
import { bigQueryDialect, deployedViewSettings } from '../../../shared/warehouse/dialect.ts';
import { views } from '../../../shared/warehouse/views/index.ts';

const parser = new sqlParser.Parser();

describe('warehouse views', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => void (warehouse = await DuckDbWarehouse.open(':memory:')));
  afterAll(async () => warehouse.close());

  for (const view of views) {
    it(`${view.name} parses as BigQuery SQL`, () => {
      const sql = view.sql(bigQueryDialect, deployedViewSettings).replaceAll('{{dataset}}', 'earshot').replaceAll('{{discrepancy_threshold_pct}}', '5');
      expect(() => parser.astify(sql, { database: 'bigquery' })).not.toThrow();
    });
    it(`${view.name} runs in DuckDB`, async () => {
      const result = await warehouse.query(`SELECT * FROM "${view.name}" LIMIT 1`);
      expect(result.columns.length).toBeGreaterThan(0);
    });
    it(`${view.name} is described`, () => expect(view.description.length).toBeGreaterThan(20));
    it(`${view.name} filters on the partition column of every table that requires it`, () => {
      const sql = view.sql(bigQueryDialect, deployedViewSettings);
      for (const [table, layout] of Object.entries(TableLayout)) {
        const reads = sql.split(`\`{{dataset}}.${table}\``).length - 1;
        const filtered = sql.split(`\`{{dataset}}.${table}\` AS t WHERE t.${layout.partitionBy} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${viewWindowDays} DAY)`).length - 1;
        expect(filtered, table).toBe(layout.requirePartitionFilter ? reads : 0);
      }
    });
  }

  it('refuses SQL that is not BigQuery (the parser is a real check)', () => {
    expect(() => parser.astify('SELECT FROM WHERE', { database: 'bigquery' })).toThrow();
  });
});
