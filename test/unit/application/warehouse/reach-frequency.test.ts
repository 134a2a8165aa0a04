import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import type { BeaconEventRow } from '../../../../shared/contracts/schemas/rows.ts';

const ads = [
  { ad_id: 'a1', campaign_id: 'c1', creative_id: 'x', byte_start: 0, byte_end: 9 },
  { ad_id: 'a2', campaign_id: 'c2', creative_id: 'x', byte_start: 10, byte_end: 19 },
];

function row(id: string, household: string, agent: string, delivered: string[]): BeaconEventRow {
  return {
    insert_id: `p/${id}`, event_id: id, platform: 'p', type: 'download', ts: '2026-11-16T10:00:00Z', received_at: '2026-11-16T10:00:00Z',
    show_id: 's', episode_id: 'e', household_key: household, user_agent: agent, method: 'GET', status: 200, counted: true, reason: 'counted',
    ads, ads_delivered: delivered, ghost_ads_delivered: [], ua_type: 'app', bot: false,
  };
}

describe('reach_frequency', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const rows = [
      row('1', 'h1', 'A', ['a1', 'a2']),
      row('2', 'h1', 'A', ['a1']),
      row('3', 'h1', 'B', ['a1']),
      row('4', 'h2', 'A', ['a1']),
      row('5', 'h3', 'A', []),
    ];
    await warehouse.insert('beacon_events', rows.map((json) => ({ insertId: json.insert_id, json })));
  });
  afterAll(async () => warehouse.close());

  it('counts households, listeners, impressions and frequency per campaign from delivered ads only', async () => {
    const { rows } = await warehouse.query('SELECT * FROM reach_frequency ORDER BY campaign_id');
    expect(rows).toEqual([
      { campaign_id: 'c1', month: '2026-11', households_reached: 2, listeners_reached: 3, impressions: 4, average_frequency: 2 },
      { campaign_id: 'c2', month: '2026-11', households_reached: 1, listeners_reached: 1, impressions: 1, average_frequency: 1 },
    ]);
  });
});
