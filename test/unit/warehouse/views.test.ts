import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { TableLayout, viewWindowDays } from '../../../shared/schemas/rows.ts';
import { bigQueryDialect, dedupeOrder, deployedViewSettings } from '../../../shared/warehouse/dialect.ts';
import { views } from '../../../shared/warehouse/views/index.ts';

const parser = new sqlParser.Parser();

describe('warehouse views', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => void (warehouse = await DuckDbWarehouse.open(':memory:')));
  afterAll(async () => warehouse.close());

  for (const view of views) {
    it(`${view.name} parses as BigQuery SQL`, () => {
      const sql = view.sql(bigQueryDialect, deployedViewSettings).replaceAll('{{dataset}}', 'earshot').replaceAll('{{discrepancy_threshold_pct}}', '5').replaceAll('{{cuped_pre_period_days}}', '28');
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

  // BigQuery keeps every copy a late retry or re-upload writes under one key; which one a view
  // keeps is decided by `dedupeOrder`, checked here in DuckDB (the ORDER BY is plain SQL in both).
  describe('which beacon_events row a BigQuery view keeps for one insert_id', () => {
    const cases: Record<string, { rows: Array<[reason: string, receivedAt: string]>; kept: string }> = {
      'the verdict over a later re-upload marked duplicate': { rows: [['counted', '10:00'], ['duplicate_event', '10:05']], kept: 'counted' },
      'the verdict over an earlier upload that lost the race': { rows: [['duplicate_event', '10:00'], ['counted', '10:05']], kept: 'counted' },
      'the first accepted of two verdicts': { rows: [['below_minimum', '10:05'], ['bot', '10:00']], kept: 'bot' },
    };
    for (const [name, { rows, kept }] of Object.entries(cases)) {
      it(name, async () => {
        const values = rows.map(([reason, at]) => `('p/e1', TIMESTAMP '2026-11-16 09:00:00', '${reason}', TIMESTAMP '2026-11-16 ${at}:00')`).join(', ');
        const sql = `SELECT reason FROM (VALUES ${values}) AS t(insert_id, ts, reason, received_at)
          QUALIFY ROW_NUMBER() OVER (PARTITION BY ts, insert_id ORDER BY ${dedupeOrder.beacon_events}) = 1`;
        expect((await warehouse.query(sql)).rows).toEqual([{ reason: kept }]);
      });
    }
    it('is part of the BigQuery dedupe', () => {
      expect(bigQueryDialect.deduped('beacon_events')).toContain(`PARTITION BY ts, insert_id ORDER BY ${dedupeOrder.beacon_events})`);
    });
  });

  it('refuses SQL that is not BigQuery (the parser is a real check)', () => {
    expect(() => parser.astify('SELECT FROM WHERE', { database: 'bigquery' })).toThrow();
  });
});
