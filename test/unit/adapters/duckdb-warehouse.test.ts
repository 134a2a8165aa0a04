import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeDuckDbTableDdl } from '../../../shared/contracts/schemas/duckdb-schema.ts';
import { Tables } from '../../../shared/contracts/schemas/rows.ts';

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

const conversion = (id: string, arms: ReadonlyArray<Record<string, unknown>>) => ({
  insertId: `adv/${id}`,
  json: {
    insert_id: `adv/${id}`, conversion_id: id, advertiser_id: 'adv', event: 'purchase', ts: '2026-11-20T18:00:00.000Z', received_at: '2026-11-20T18:00:01.000Z',
    source: 'server', household_key: 'k'.repeat(22), attribution: 'not_exposed', arms,
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
    expect(ddl).toContain('"ads" STRUCT("ad_id" VARCHAR, "campaign_id" VARCHAR, "creative_id" VARCHAR, "advertiser_id" VARCHAR, "byte_start" BIGINT, "byte_end" BIGINT, "position" VARCHAR, "ghost" BOOLEAN, "study_id" VARCHAR)[]');
    expect(ddl).toContain('"ads_delivered" VARCHAR[],');
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

  it('stores scalars, lists and structs in their types, as BigQuery does', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const ads = [
      { ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', byte_start: 0, byte_end: 99 },
      { ad_id: 'a2', campaign_id: 'c2', creative_id: 'cr2', byte_start: 100, byte_end: 199, ghost: true },
    ];
    await warehouse.insert('beacon_events', [row('a', { bytes_sent: 1024, duration_s: 12.5, counted: true, ads, ads_delivered: ['a1'] })]);
    const result = await warehouse.query(
      `SELECT bytes_sent + 1 AS b, duration_s * 2 AS d, counted, epoch(ts) AS t, ARRAY_LENGTH(ads) AS n_ads, ads[2].campaign_id AS second_campaign,
        ads[1].byte_end AS first_end, ads_delivered, ghost_ads_delivered FROM beacon_events`,
    );
    expect(result.rows).toEqual([{ b: 1025, d: 25, counted: true, t: 1795168800, n_ads: 2, second_campaign: 'c2', first_end: 99, ads_delivered: ['a1'], ghost_ads_delivered: [] }]);
    const stored = await warehouse.query('SELECT ads FROM beacon_events');
    expect(stored.rows[0]?.ads).toEqual([
      { ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', advertiser_id: null, byte_start: 0, byte_end: 99, position: null, ghost: null, study_id: null },
      { ad_id: 'a2', campaign_id: 'c2', creative_id: 'cr2', advertiser_id: null, byte_start: 100, byte_end: 199, position: null, ghost: true, study_id: null },
    ]);
  });

  it('stores a missing repeated field as an empty list, as BigQuery does, and refuses a nested value of the wrong type', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await warehouse.insert('beacon_events', [row('a')]);
    expect((await warehouse.query('SELECT ads, ARRAY_LENGTH(ads) AS n FROM beacon_events')).rows).toEqual([{ ads: [], n: 0 }]);
    const wrong = [{ ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', byte_start: '0', byte_end: 99 }];
    await expect(warehouse.insert('beacon_events', [row('b', { ads: wrong })])).rejects.toThrow('ads[0].byte_start: "0" is not an integer');
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
  it('converts the JSON text of a data folder from before typed nested columns when it opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-duckdb-'));
    try {
      const file = join(dir, 'warehouse.duckdb');
      const old = await DuckDbWarehouse.open(file);
      const ads = [{ ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', advertiser_id: 'adv', byte_start: 0, byte_end: 99 }];
      await old.insert('beacon_events', [row('a', { ads, counted: true, reason: 'counted', ads_delivered: ['a1'] }), row('b')]);
      await old.insert('conversions', [conversion('o:1', [{ study_id: 's1', arm: 'control', bucket: 7 }])]);
      await old.close();
      // As the earlier version wrote them: JSON text, and NULL where a record had no ads.
      await alterFile(file, [
        'ALTER TABLE beacon_events ALTER COLUMN ads SET DATA TYPE JSON USING CASE WHEN len(ads) = 0 THEN NULL ELSE to_json(ads) END',
        'ALTER TABLE beacon_events ALTER COLUMN ads_delivered SET DATA TYPE JSON USING to_json(ads_delivered)',
        'ALTER TABLE beacon_events ALTER COLUMN ghost_ads_delivered SET DATA TYPE JSON USING to_json(ghost_ads_delivered)',
        'ALTER TABLE conversions ALTER COLUMN arms SET DATA TYPE JSON USING to_json(arms)',
      ]);
      warehouse = await DuckDbWarehouse.open(file);
      const beacons = await warehouse.query('SELECT event_id, ads, ads_delivered, ARRAY_LENGTH(ghost_ads_delivered) AS ghosts FROM beacon_events ORDER BY 1');
      expect(beacons.rows).toEqual([
        { event_id: 'a', ads: [{ ...ads[0], position: null, ghost: null, study_id: null }], ads_delivered: ['a1'], ghosts: 0 },
        { event_id: 'b', ads: [], ads_delivered: [], ghosts: 0 },
      ]);
      expect((await warehouse.query('SELECT arm.study_id, arm.bucket FROM conversions AS c, UNNEST(c.arms) AS arms_rows(arm)')).rows).toEqual([{ study_id: 's1', bucket: 7 }]);
      expect((await warehouse.query('SELECT campaign_id, households_reached FROM reach_frequency')).rows).toEqual([{ campaign_id: 'c1', households_reached: 1 }]);
      await warehouse.insert('beacon_events', [row('c', { ads })]);
      expect((await warehouse.query("SELECT ads[1].advertiser_id AS adv FROM beacon_events WHERE event_id = 'c'")).rows).toEqual([{ adv: 'adv' }]);
    } finally {
      await warehouse?.close();
      warehouse = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds a field a struct of an earlier version lacks, keeping the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-duckdb-'));
    try {
      const file = join(dir, 'warehouse.duckdb');
      const old = await DuckDbWarehouse.open(file);
      await old.insert('conversions', [conversion('o:1', [{ study_id: 's1', arm: 'test', bucket: 42 }])]);
      await old.close();
      await alterFile(file, [`ALTER TABLE conversions ALTER COLUMN arms SET DATA TYPE STRUCT(study_id VARCHAR, arm VARCHAR)[] USING from_json(to_json(arms), '[{"study_id":"VARCHAR","arm":"VARCHAR"}]')`]);
      warehouse = await DuckDbWarehouse.open(file);
      expect((await warehouse.query('SELECT arms FROM conversions')).rows).toEqual([{ arms: [{ study_id: 's1', arm: 'test', bucket: null }] }]);
    } finally {
      await warehouse?.close();
      warehouse = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every table and view also as earshot.<name>, as BigQuery queries spell them', async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await warehouse.insert('beacon_events', [row('a')]);
    expect((await warehouse.query('SELECT event_id FROM earshot.beacon_events')).rows).toEqual([{ event_id: 'a' }]);
    expect((await warehouse.query('SELECT count(*) AS n FROM earshot.lift_results')).rows).toEqual([{ n: 0 }]);
  });
});
