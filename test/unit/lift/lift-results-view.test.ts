import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeErfc, computeNormalQuantile } from '../../../shared/lift/normal.ts';
import { computeLift } from '../../../shared/lift/two-proportion.ts';
import type { ConversionRow } from '../../../shared/schemas/conversion-rows.ts';
import type { BeaconEventRow } from '../../../shared/schemas/rows.ts';
import { computeErfcSql } from '../../../shared/warehouse/erfc-sql.ts';
import { liftCritical95 } from '../../../shared/warehouse/views/lift.ts';

const ads = [
  { ad_id: 'real', campaign_id: 'camp', creative_id: 'cr', advertiser_id: 'adv', byte_start: 0, byte_end: 9 },
  { ad_id: 'ghost', campaign_id: 'camp', creative_id: 'cr', advertiser_id: 'adv', byte_start: 10, byte_end: 19, ghost: true },
  { ad_id: 'other', campaign_id: 'camp-x', creative_id: 'cr', advertiser_id: 'adv-other', byte_start: 20, byte_end: 29 },
];

let events = 0;
function delivery(household: string, delivered: { real?: boolean; ghost?: boolean; other?: boolean }): BeaconEventRow {
  const id = `ev-${events++}`;
  return {
    insert_id: `p/${id}`, event_id: id, platform: 'p', type: 'download', ts: '2026-11-16T10:00:00Z', received_at: '2026-11-16T10:00:00Z',
    show_id: 's', episode_id: 'e', household_key: household, user_agent: 'A', method: 'GET', status: 200, counted: true, reason: 'counted', ads,
    ads_delivered: [...(delivered.real ? ['real'] : []), ...(delivered.other ? ['other'] : [])], ghost_ads_delivered: delivered.ghost ? ['ghost'] : [], ua_type: 'app', bot: false,
  };
}

let orders = 0;
function converted(household: string, counts: { exposures: number; ghost: number }, attribution: ConversionRow['attribution'] = 'attributed', advertiser = 'adv'): ConversionRow {
  const id = `o:${orders++}`;
  return {
    insert_id: `${advertiser}/${id}`, conversion_id: id, advertiser_id: advertiser, event: 'purchase', ts: '2026-11-20T10:00:00Z', received_at: '2026-11-20T10:00:00Z',
    source: 'server', household_key: household, attribution, exposures: counts.exposures, ghost_exposures: counts.ghost, busiest_day_agents: 1,
    arms: [{ study_id: advertiser === 'adv' ? 'study-1' : 'study-2', arm: counts.ghost > 0 ? 'control' : 'test', bucket: 42 }],
  };
}

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('lift_results', () => {
  let warehouse: DuckDbWarehouse;
  // Study 1: 40 control households (ghost ads; one heard it twice), 8 of them converting; 50 test households, 15 converting.
  const control = range(40, 'c');
  const test = range(50, 't');
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const beacons = [
      ...control.map((h) => delivery(h, { ghost: true })),
      delivery('c-0', { ghost: true }),
      ...test.map((h) => delivery(h, { real: true })),
      // Another advertiser's ad reaching more households does not change study 1.
      ...range(30, 'x').map((h) => delivery(h, { other: true })),
    ];
    const conversions = [
      ...control.slice(0, 8).map((h) => converted(h, { exposures: 0, ghost: 2 }, 'not_exposed')),
      ...test.slice(0, 14).map((h) => converted(h, { exposures: 1, ghost: 0 })),
      converted('t-14', { exposures: 3, ghost: 0 }, 'shared_household'),
      // Counted once: a household converting twice, a duplicate report, a conversion before any exposure.
      converted('t-0', { exposures: 1, ghost: 0 }),
      converted('t-1', { exposures: 1, ghost: 0 }, 'duplicate'),
      converted('t-20', { exposures: 0, ghost: 0 }, 'not_exposed'),
      converted('t-21', { exposures: 1, ghost: 0 }, 'duplicate'),
      // Study 2's advertiser has conversions only in its test arm.
      converted('x-0', { exposures: 0, ghost: 0 }, 'not_exposed', 'adv-other'),
      converted('x-1', { exposures: 1, ghost: 0 }, 'attributed', 'adv-other'),
    ];
    await warehouse.insert('beacon_events', beacons.map((json) => ({ insertId: json.insert_id, json })));
    await warehouse.insert('conversions', conversions.map((json) => ({ insertId: json.insert_id, json })));
  });
  afterAll(async () => warehouse.close());

  it('counts households per arm from ghost and real deliveries, and converting households from conversions', async () => {
    const { rows } = await warehouse.query('SELECT study_id, advertiser_id, control_households, control_conversions, test_households, test_conversions FROM lift_results ORDER BY study_id');
    expect(rows).toEqual([
      { study_id: 'study-1', advertiser_id: 'adv', control_households: 40, control_conversions: 8, test_households: 50, test_conversions: 15 },
      { study_id: 'study-2', advertiser_id: 'adv-other', control_households: 0, control_conversions: 0, test_households: 30, test_conversions: 1 },
    ]);
  });

  it('computes the statistics as earshot lift does, p-value included', async () => {
    const { rows } = await warehouse.query("SELECT * FROM lift_results WHERE study_id = 'study-1'");
    const row = rows[0] as Record<string, number>;
    const expected = computeLift({ control: { conversions: 8, households: 40 }, test: { conversions: 15, households: 50 }, confidence: 0.95 });
    if (!expected.ok) throw new Error('the fixture must be computable');
    const e = expected.value;
    const pairs: Array<[string, number, number]> = [
      ['control_rate', row.control_rate as number, e.control_rate],
      ['test_rate', row.test_rate as number, e.test_rate],
      ['abs_lift', row.abs_lift as number, e.abs_lift],
      ['rel_lift', row.rel_lift as number, e.rel_lift],
      ['z', row.z as number, e.z],
      ['p_value', row.p_value as number, e.p_value],
      ['ci_abs_low', row.ci_abs_low as number, e.ci_abs[0]],
      ['ci_abs_high', row.ci_abs_high as number, e.ci_abs[1]],
      ['ci_rel_low', row.ci_rel_low as number, e.ci_rel[0]],
      ['ci_rel_high', row.ci_rel_high as number, e.ci_rel[1]],
      ['incremental_conversions', row.incremental_conversions as number, e.incremental_conversions],
    ];
    for (const [name, actual, wanted] of pairs) expect(Math.abs(actual - wanted), name).toBeLessThan(1e-12 * Math.max(1, Math.abs(wanted)));
    expect(row.confidence).toBe(0.95);
  });

  it('leaves the statistics NULL where earshot lift refuses (an arm without conversions)', async () => {
    const { rows } = await warehouse.query("SELECT control_rate, test_rate, abs_lift, rel_lift, z, p_value, ci_abs_low, ci_rel_high, incremental_conversions FROM lift_results WHERE study_id = 'study-2'");
    expect(rows).toEqual([{ control_rate: null, test_rate: 1 / 30, abs_lift: null, rel_lift: null, z: null, p_value: null, ci_abs_low: null, ci_rel_high: null, incremental_conversions: null }]);
  });

  it('uses the 97.5% normal quantile for its 95% intervals', () => {
    expect(liftCritical95).toBe(computeNormalQuantile(0.975));
  });

  it('computes erfc in SQL as computeErfc does, in every range of the approximation', async () => {
    const ys = [0, 1e-9, 0.2, 0.46875, 0.47, 1, 2.5, 3.99, 4, 4.01, 7.5, 15, 26.5, 26.6, 40];
    const { rows } = await warehouse.query(`SELECT y, ${computeErfcSql('y')} AS erfc FROM (SELECT UNNEST([${ys.map((y) => `CAST(${y} AS DOUBLE)`).join(', ')}]) AS y) ORDER BY y`);
    expect(rows).toHaveLength(ys.length);
    for (const row of rows as Array<{ y: number; erfc: number }>) {
      const wanted = computeErfc(row.y);
      if (wanted === 0) expect(row.erfc).toBe(0);
      else expect(Math.abs(row.erfc - wanted) / wanted, `erfc(${row.y})`).toBeLessThan(1e-14);
    }
  });
});
