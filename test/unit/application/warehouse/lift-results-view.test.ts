import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeErfc, computeNormalQuantile } from '../../../../shared/domain/lift/normal.ts';
import { computeCupedArmSums, computeCupedLift, type CupedArmSums } from '../../../../shared/domain/lift/cuped.ts';
import { computeLift } from '../../../../shared/domain/lift/two-proportion.ts';
import type { ConversionRow } from '../../../../shared/contracts/schemas/conversion-rows.ts';
import type { BeaconEventRow } from '../../../../shared/contracts/schemas/rows.ts';
import { computeErfcSql } from '../../../../shared/application/warehouse/erfc-sql.ts';
import { liftCritical95 } from '../../../../shared/application/warehouse/views/lift.ts';

/** One household in one study, as the fixture lays it out. */
interface Planned {
  key: string;
  study: string;
  advertiser: string;
  arm: 'control' | 'test';
  /** Its placement was delivered (else only served: the listener stopped before it). */
  delivered: boolean;
  /** It converted after its placement. */
  converts: boolean;
  /** Its conversions in the 28 days before its placement. */
  pre: number;
}

const placedAt = '2026-11-16T10:00:00Z';
const campaignOf: Record<string, string> = { spring: 'camp-a', 'podcast-b': 'camp-b', other: 'camp-x' };
const many = (n: number, prefix: string, fields: Omit<Planned, 'key'>, from = 0): Planned[] => Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${from + i}`, ...fields }));
const spring = { study: 'spring', advertiser: 'adv' };
const podcastB = { study: 'podcast-b', advertiser: 'adv' };

// Two studies of one advertiser at once, over their own campaigns, and a third advertiser's study.
const planned: Planned[] = [
  // spring, control: 30 delivered ghosts (6 converting, some with pre-period conversions), 10 served only (2 converting).
  ...many(6, 'c', { ...spring, arm: 'control', delivered: true, converts: true, pre: 1 }),
  ...many(24, 'c', { ...spring, arm: 'control', delivered: true, converts: false, pre: 0 }, 6),
  ...many(2, 'c', { ...spring, arm: 'control', delivered: false, converts: true, pre: 2 }, 30),
  ...many(8, 'c', { ...spring, arm: 'control', delivered: false, converts: false, pre: 0 }, 32),
  // spring, test: 40 delivered ads (12 converting), 10 served only (3 converting).
  ...many(12, 't', { ...spring, arm: 'test', delivered: true, converts: true, pre: 1 }),
  ...many(4, 't', { ...spring, arm: 'test', delivered: true, converts: false, pre: 1 }, 12),
  ...many(24, 't', { ...spring, arm: 'test', delivered: true, converts: false, pre: 0 }, 16),
  ...many(3, 't', { ...spring, arm: 'test', delivered: false, converts: true, pre: 0 }, 40),
  ...many(7, 't', { ...spring, arm: 'test', delivered: false, converts: false, pre: 0 }, 43),
  // podcast-b: its own households, plus c-0, which is in spring's control arm and in podcast-b's test arm.
  ...many(2, 'bc', { ...podcastB, arm: 'control', delivered: true, converts: true, pre: 0 }),
  ...many(18, 'bc', { ...podcastB, arm: 'control', delivered: true, converts: false, pre: 0 }, 2),
  ...many(6, 'bt', { ...podcastB, arm: 'test', delivered: true, converts: true, pre: 0 }),
  ...many(24, 'bt', { ...podcastB, arm: 'test', delivered: true, converts: false, pre: 0 }, 6),
  { key: 'c-0', ...podcastB, arm: 'test', delivered: true, converts: true, pre: 1 },
  // other: conversions only in its test arm, so its statistics are undefined.
  ...many(29, 'x', { study: 'other', advertiser: 'adv-other', arm: 'test', delivered: true, converts: false, pre: 0 }),
  { key: 'x-29', study: 'other', advertiser: 'adv-other', arm: 'test', delivered: true, converts: true, pre: 0 },
];

let events = 0;
function placement(p: Planned, ghost: boolean, delivered: boolean): BeaconEventRow {
  const id = `ev-${events++}`;
  const ad = { ad_id: `${p.study}-${ghost ? 'ghost' : 'ad'}`, campaign_id: campaignOf[p.study] as string, creative_id: 'cr', advertiser_id: p.advertiser, byte_start: 0, byte_end: 9, study_id: p.study, ...(ghost ? { ghost: true } : {}) };
  const unrelated = { ad_id: 'plain', campaign_id: 'camp-a', creative_id: 'cr', advertiser_id: 'adv', byte_start: 10, byte_end: 19 };
  return {
    insert_id: `p/${id}`, event_id: id, platform: 'p', type: 'download', ts: placedAt, received_at: placedAt,
    show_id: 's', episode_id: 'e', household_key: p.key, user_agent: 'A', method: 'GET', status: 200, counted: true, reason: 'counted',
    ads: [ad, unrelated], ads_delivered: delivered && !ghost ? [ad.ad_id, 'plain'] : ['plain'], ghost_ads_delivered: delivered && ghost ? [ad.ad_id] : [], ua_type: 'app', bot: false,
  };
}

let orders = 0;
function conversion(household: string, advertiser: string, ts: string, attribution: ConversionRow['attribution'] = 'attributed'): ConversionRow {
  const id = `o:${orders++}`;
  const studies = advertiser === 'adv' ? ['spring', 'podcast-b'] : ['other'];
  return {
    insert_id: `${advertiser}/${id}`, conversion_id: id, advertiser_id: advertiser, event: 'purchase', ts, received_at: ts,
    source: 'server', household_key: household, attribution, exposures: 1, ghost_exposures: 0, busiest_day_agents: 1,
    arms: studies.map((study_id) => ({ study_id, arm: 'test', bucket: 42 })),
  };
}

/** Each household's conversions once, however many studies it is in. */
function plannedConversions(): ConversionRow[] {
  const seen = new Map<string, Planned>();
  for (const p of planned) {
    const before = seen.get(p.key);
    seen.set(p.key, { ...p, converts: p.converts || before?.converts === true, pre: Math.max(p.pre, before?.pre ?? 0) });
  }
  return [...seen.values()].flatMap((p) => [
    ...(p.converts ? [conversion(p.key, p.advertiser, '2026-11-20T10:00:00Z')] : []),
    ...Array.from({ length: p.pre }, (_, i) => conversion(p.key, p.advertiser, `2026-11-${String(14 - i).padStart(2, '0')}T10:00:00Z`)),
  ]);
}

/** What the view must find for a study and comparison, from the plan. */
function expectedArms(study: string, comparison: 'intent_to_treat' | 'ghost_ads') {
  const rows = planned.filter((p) => p.study === study && (comparison === 'intent_to_treat' || p.delivered));
  const arm = (name: 'control' | 'test') => rows.filter((p) => p.arm === name);
  return {
    control: { conversions: arm('control').filter((p) => p.converts).length, households: arm('control').length },
    test: { conversions: arm('test').filter((p) => p.converts).length, households: arm('test').length },
    cuped: (['control', 'test'] as const).map((name) => computeCupedArmSums(arm(name).map((p) => ({ pre: p.pre, converted: p.converts })))),
  };
}

describe('lift_results', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    const beacons = [
      ...planned.map((p) => placement(p, p.arm === 'control', p.delivered)),
      // Served a second time: counted once.
      placement(planned[0] as Planned, true, true),
      // A household key in both arms of spring (a platform's error) is in neither.
      placement({ ...spring, key: 'both', arm: 'test', delivered: true, converts: true, pre: 0 }, false, true),
      placement({ ...spring, key: 'both', arm: 'control', delivered: true, converts: true, pre: 0 }, true, true),
    ];
    const conversions = [
      ...plannedConversions(),
      conversion('both', 'adv', '2026-11-20T10:00:00Z'),
      // Not conversions of the study: a duplicate report, a conversion before the pre-period, another advertiser's.
      conversion('c-7', 'adv', '2026-11-20T11:00:00Z', 'duplicate'),
      conversion('c-8', 'adv', '2026-09-01T10:00:00Z'),
      conversion('c-9', 'adv-other', '2026-11-20T10:00:00Z'),
    ];
    await warehouse.insert('beacon_events', beacons.map((json) => ({ insertId: json.insert_id, json })));
    await warehouse.insert('conversions', conversions.map((json) => ({ insertId: json.insert_id, json })));
  });
  afterAll(async () => warehouse.close());

  it('counts each study apart, intent-to-treat over every served placement and ghost ads over the delivered ones', async () => {
    const { rows } = await warehouse.query('SELECT study_id, advertiser_id, comparison, control_households, control_conversions, test_households, test_conversions FROM lift_results ORDER BY study_id, comparison');
    expect(rows).toEqual([
      { study_id: 'other', advertiser_id: 'adv-other', comparison: 'ghost_ads', control_households: 0, control_conversions: 0, test_households: 30, test_conversions: 1 },
      { study_id: 'other', advertiser_id: 'adv-other', comparison: 'intent_to_treat', control_households: 0, control_conversions: 0, test_households: 30, test_conversions: 1 },
      { study_id: 'podcast-b', advertiser_id: 'adv', comparison: 'ghost_ads', control_households: 20, control_conversions: 2, test_households: 31, test_conversions: 7 },
      { study_id: 'podcast-b', advertiser_id: 'adv', comparison: 'intent_to_treat', control_households: 20, control_conversions: 2, test_households: 31, test_conversions: 7 },
      { study_id: 'spring', advertiser_id: 'adv', comparison: 'ghost_ads', control_households: 30, control_conversions: 6, test_households: 40, test_conversions: 12 },
      { study_id: 'spring', advertiser_id: 'adv', comparison: 'intent_to_treat', control_households: 40, control_conversions: 8, test_households: 50, test_conversions: 15 },
    ]);
  });

  for (const [study, comparison] of [['spring', 'intent_to_treat'], ['spring', 'ghost_ads'], ['podcast-b', 'ghost_ads']] as const) {
    it(`computes ${study} ${comparison} as earshot lift does, p-value included, and CUPED as computeCupedLift does`, async () => {
      const { rows } = await warehouse.query(`SELECT * FROM lift_results WHERE study_id = '${study}' AND comparison = '${comparison}'`);
      const row = rows[0] as Record<string, number>;
      const arms = expectedArms(study, comparison);
      const expected = computeLift({ control: arms.control, test: arms.test, confidence: 0.95 });
      const cuped = computeCupedLift(arms.cuped[0] as CupedArmSums, arms.cuped[1] as CupedArmSums, 0.95);
      if (!expected.ok || !cuped) throw new Error('the fixture must be computable');
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
        ['cuped_theta', row.cuped_theta as number, cuped.theta],
        ['cuped_abs_lift', row.cuped_abs_lift as number, cuped.abs_lift],
        ['cuped_rel_lift', row.cuped_rel_lift as number, cuped.rel_lift],
        ['cuped_ci_abs_low', row.cuped_ci_abs_low as number, cuped.ci_abs[0]],
        ['cuped_ci_abs_high', row.cuped_ci_abs_high as number, cuped.ci_abs[1]],
        ['cuped_ci_rel_low', row.cuped_ci_rel_low as number, cuped.ci_rel[0]],
        ['cuped_ci_rel_high', row.cuped_ci_rel_high as number, cuped.ci_rel[1]],
        ['cuped_variance_reduction', row.cuped_variance_reduction as number, cuped.variance_reduction],
      ];
      for (const [name, actual, wanted] of pairs) expect(Math.abs(actual - wanted), name).toBeLessThan(1e-12 * Math.max(1, Math.abs(wanted)));
      expect(row.confidence).toBe(0.95);
      expect(row.cuped_pre_period_days).toBe(28);
    });
  }

  it('finds that pre-period conversions predict conversion in the study, and removes variance with them', async () => {
    const { rows } = await warehouse.query("SELECT cuped_theta, cuped_variance_reduction FROM lift_results WHERE comparison = 'intent_to_treat' AND study_id = 'spring'");
    const [row] = rows as Array<{ cuped_theta: number; cuped_variance_reduction: number }>;
    expect(row?.cuped_theta).toBeGreaterThan(0);
    expect(row?.cuped_variance_reduction).toBeGreaterThan(0);
  });

  it('leaves the statistics NULL where earshot lift refuses (an arm without conversions)', async () => {
    const { rows } = await warehouse.query("SELECT control_rate, test_rate, abs_lift, rel_lift, z, p_value, ci_abs_low, ci_rel_high, incremental_conversions, cuped_abs_lift FROM lift_results WHERE study_id = 'other' AND comparison = 'ghost_ads'");
    expect(rows).toEqual([{ control_rate: null, test_rate: 1 / 30, abs_lift: null, rel_lift: null, z: null, p_value: null, ci_abs_low: null, ci_rel_high: null, incremental_conversions: null, cuped_abs_lift: null }]);
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
