import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../cli/simulate/random.ts';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeSequentialLook, initialSequentialState, type SequentialState } from '../../../../shared/domain/lift/sequential.ts';
import { computeLift, type ArmCounts } from '../../../../shared/domain/lift/two-proportion.ts';
import type { ConversionRow } from '../../../../shared/contracts/schemas/conversion-rows.ts';
import type { BeaconEventRow } from '../../../../shared/contracts/schemas/rows.ts';

/** A household of the fixture: the day of its placement, whether delivered, and the day it converted. */
interface Planned {
  key: string;
  arm: 'control' | 'test';
  day: number;
  delivered: boolean;
  convertedDay?: number;
}

const days = 8;
const dayOf = (d: number) => `2026-11-${String(10 + d).padStart(2, '0')}`;

function plan(): Planned[] {
  const random = new SeededRandom(99);
  return Array.from({ length: 3000 }, (_, i) => {
    const arm = random.chance(0.2) ? 'control' : 'test';
    const day = random.int(0, days - 1);
    const delivered = random.chance(0.8);
    const rate = arm === 'test' && delivered ? 0.08 : 0.05;
    const convertedDay = random.chance(rate) ? Math.min(days - 1, day + random.int(0, 2)) : undefined;
    return { key: `h-${i}`, arm, day, delivered, ...(convertedDay === undefined ? {} : { convertedDay }) };
  });
}

function placement(p: Planned): BeaconEventRow {
  const ghost = p.arm === 'control';
  const ad = { ad_id: ghost ? 'g' : 'a', campaign_id: 'camp', creative_id: 'cr', advertiser_id: 'adv', byte_start: 0, byte_end: 9, study_id: 'daily', ...(ghost ? { ghost: true } : {}) };
  const ts = `${dayOf(p.day)}T08:00:00Z`;
  return {
    insert_id: `p/${p.key}`, event_id: p.key, platform: 'p', type: 'download', ts, received_at: ts, show_id: 's', episode_id: 'e', household_key: p.key,
    user_agent: 'A', method: 'GET', status: 200, counted: true, reason: 'counted', ads: [ad],
    ads_delivered: p.delivered && !ghost ? ['a'] : [], ghost_ads_delivered: p.delivered && ghost ? ['g'] : [], ua_type: 'app', bot: false,
  };
}

function conversion(p: Planned): ConversionRow {
  const ts = `${dayOf(p.convertedDay as number)}T20:00:00Z`;
  return {
    insert_id: `adv/o:${p.key}`, conversion_id: `o:${p.key}`, advertiser_id: 'adv', event: 'purchase', ts, received_at: ts, source: 'server',
    household_key: p.key, attribution: 'attributed', exposures: 1, ghost_exposures: 0, busiest_day_agents: 1, arms: [{ study_id: 'daily', arm: p.arm, bucket: 1 }],
  };
}

/** The cumulative looks, day by day, that the view must reproduce for a comparison. */
function expectedLooks(planned: Planned[], deliveredOnly: boolean): Array<{ control: ArmCounts; test: ArmCounts }> {
  const rows = planned.filter((p) => !deliveredOnly || p.delivered);
  return Array.from({ length: days }, (_, d) => {
    const arm = (name: string): ArmCounts => {
      const mine = rows.filter((p) => p.arm === name && p.day <= d);
      return { households: mine.length, conversions: mine.filter((p) => p.convertedDay !== undefined && p.convertedDay <= d).length };
    };
    return { control: arm('control'), test: arm('test') };
  });
}

describe('lift_daily', () => {
  const planned = plan();
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    await warehouse.insert('beacon_events', planned.map((p) => placement(p)).map((json) => ({ insertId: json.insert_id, json })));
    await warehouse.insert('conversions', planned.filter((p) => p.convertedDay !== undefined).map((p) => conversion(p)).map((json) => ({ insertId: json.insert_id, json })));
  });
  afterAll(async () => warehouse.close());

  for (const [comparison, deliveredOnly] of [['intent_to_treat', false], ['ghost_ads', true]] as const) {
    it(`gives ${comparison} day by day as earshot lift --sequential does on the same cumulative looks`, async () => {
      const { rows } = await warehouse.query(`SELECT * FROM lift_daily WHERE study_id = 'daily' AND comparison = '${comparison}' ORDER BY day`);
      const looks = expectedLooks(planned, deliveredOnly);
      expect(rows).toHaveLength(days);
      let state: SequentialState = initialSequentialState;
      looks.forEach((look, d) => {
        const row = rows[d] as Record<string, number> & { always_valid_p: number; cs_abs_low: number; cs_abs_high: number; p_value: number };
        expect({ c: row.control_households, cx: row.control_conversions, t: row.test_households, tx: row.test_conversions }, `day ${d}`).toEqual({
          c: look.control.households, cx: look.control.conversions, t: look.test.households, tx: look.test.conversions,
        });
        const step = computeSequentialLook(state, look.control, look.test, 0.95);
        state = step.state;
        expect(Math.abs(row.always_valid_p - step.look.always_valid_p), `always_valid_p day ${d}`).toBeLessThan(1e-12);
        expect(Math.abs(row.cs_abs_low - step.look.cs_abs[0]), `cs_abs_low day ${d}`).toBeLessThan(1e-12);
        expect(Math.abs(row.cs_abs_high - step.look.cs_abs[1]), `cs_abs_high day ${d}`).toBeLessThan(1e-12);
        const fixed = computeLift({ ...look, confidence: 0.95 });
        if (fixed.ok) expect(Math.abs(row.p_value - fixed.value.p_value), `p_value day ${d}`).toBeLessThan(1e-12);
      });
    });
  }

  it('never lets the always-valid p-value rise or the confidence sequence widen', async () => {
    const { rows } = await warehouse.query("SELECT always_valid_p, cs_abs_low, cs_abs_high FROM lift_daily WHERE comparison = 'intent_to_treat' ORDER BY day");
    const typed = rows as Array<{ always_valid_p: number; cs_abs_low: number; cs_abs_high: number }>;
    for (let i = 1; i < typed.length; i++) {
      const [before, now] = [typed[i - 1], typed[i]] as [(typeof typed)[number], (typeof typed)[number]];
      expect(now.always_valid_p).toBeLessThanOrEqual(before.always_valid_p);
      expect(now.cs_abs_low).toBeGreaterThanOrEqual(before.cs_abs_low);
      expect(now.cs_abs_high).toBeLessThanOrEqual(before.cs_abs_high);
    }
  });
});
