import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeDuckDbTableDdl } from '../../../shared/schemas/duckdb-schema.ts';
import { Tables } from '../../../shared/schemas/rows.ts';

const row = (id: string, extra: Record<string, unknown> = {}) => ({
  insertId: `p1/${id}`,
  json: {
    insert_id: `p1/${id}`,
    event_id: id,
    platform: 'p1',
    type: 'download',
    ts: '2026-11-20T10:00:00.000Z',
    received_at: '2026-11-20T12:00:00.000Z',
    show_id: 's',
    episode_id: 'e',
    household_key: 'k'.repeat(22),
    user_agent: 'ua',
    method: 'GET',
    status: 200,
    counted: false,
    reason: 'below_minimum',
    ads_delivered: [],
    ghost_ads_delivered: [],
    ua_type: 'app',
    bot: false,
    ...extra,
  },
});

/** Changes a closed warehouse file as an earlier version would have left it (`query` only reads). */
async function alterFile(file: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  for (const sql of statements) await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

describe('DuckDbWarehouse', () => {
  let warehouse: DuckDbWarehouse | undefined;
  afterEach(async () => warehouse?.close());

  it('derives its DDL from the row schema with insert_id as the key', () => {
    const ddl = computeDuckDbTableDdl('beacon_events', Tables.beacon_events);
    expect(ddl).toContain('"ts" TIMESTAMPTZ NOT NULL');
    expect(ddl).toContain('"ads" JSON');
    expect(ddl).toContain('"bytes_sent" BIGINT,');
    expect(ddl).toContain('PRIMARY KEY ("insert_id")');
  });

  it('keeps one row per insertId across and within batches', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await warehouse.insert('beacon_events', [row('a'), row('b'), row('a')]);
    await warehouse.insert('beacon_events', [row('a'), row('c')]);
    const result = await warehouse.query('SELECT event_id FROM beacon_events ORDER BY 1');
    expect(result.rows).toEqual([{ event_id: 'a' }, { event_id: 'b' }, { event_id: 'c' }]);
  });

  it('stores typed scalars and nested values as JSON', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const ads = [{ ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', byte_start: 0, byte_end: 99 }];
    await warehouse.insert('beacon_events', [row('a', { bytes_sent: 1024, duration_s: 12.5, counted: true, ads })]);
    const result = await warehouse.query(
      "SELECT bytes_sent + 1 AS b, duration_s * 2 AS d, counted, ads->>'$[0].campaign_id' AS campaign, epoch(ts) AS t FROM beacon_events",
    );
    expect(result.rows).toEqual([{ b: 1025, d: 25, counted: true, campaign: 'c1', t: 1795168800 }]);
  });

  it('fails the whole batch on a row it cannot store, so the message is retried', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await expect(warehouse.insert('beacon_events', [row('a', { ts: 'not a time' })])).rejects.toThrow();
    await warehouse.insert('beacon_events', [row('b')]);
    expect((await warehouse.query('SELECT count(*) AS n FROM beacon_events')).rows).toEqual([{ n: 1 }]);
  });

  it('writes concurrent inserts as one group, duplicates across them once, and fails only the insert with a bad row', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const w = warehouse;
    const outcomes = await Promise.allSettled([
      w.insert('beacon_events', [row('a'), row('b')]),
      w.insert('beacon_events', [row('b'), row('c')]),
      w.insert('beacon_events', [row('d', { ts: 'not a time' })]),
      w.insert('delivery_deltas', []),
      w.insert('beacon_events', [row('e')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const result = await w.query('SELECT event_id FROM beacon_events ORDER BY 1');
    expect(result.rows.map((r) => r.event_id)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('adds columns a data folder from an earlier version lacks when it opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-duckdb-'));
    try {
      const file = join(dir, 'warehouse.duckdb');
      const old = await DuckDbWarehouse.open(file);
      await old.insert('beacon_events', [row('a')]);
      await old.close();
      await alterFile(file, ['ALTER TABLE beacon_events DROP COLUMN listener_key']);
      warehouse = await DuckDbWarehouse.open(file);
      await warehouse.insert('beacon_events', [row('b', { listener_key: 'l'.repeat(22) })]);
      const result = await warehouse.query('SELECT event_id, listener_key FROM beacon_events ORDER BY 1');
      expect(result.rows).toEqual([
        { event_id: 'a', listener_key: null },
        { event_id: 'b', listener_key: 'l'.repeat(22) },
      ]);
    } finally {
      await warehouse?.close();
      warehouse = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes each value to its own column in a data folder whose columns stand in another order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-duckdb-'));
    try {
      const file = join(dir, 'warehouse.duckdb');
      const old = await DuckDbWarehouse.open(file);
      await old.close();
      // As a column added to the middle of the schema after the table was made: at the end here.
      await alterFile(file, ['ALTER TABLE beacon_events DROP COLUMN ua_name', 'ALTER TABLE beacon_events ADD COLUMN ua_name VARCHAR']);
      warehouse = await DuckDbWarehouse.open(file);
      // Values that would all cast into their neighbours' columns, so nothing but the order catches a shift.
      await warehouse.insert('beacon_events', [row('a', { ua_name: 'Overcast', listener_key: 'k'.repeat(22) })]);
      const result = await warehouse.query('SELECT ua_name, device, bot, listener_key FROM beacon_events');
      expect(result.rows).toEqual([{ ua_name: 'Overcast', device: null, bot: false, listener_key: 'k'.repeat(22) }]);
    } finally {
      await warehouse?.close();
      warehouse = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
