import { beforeAll, describe, expect, it } from 'vitest';
import { loadReportData } from '../../../cli/report/report-data.ts';
import { renderTerminalReport } from '../../../cli/report/terminal-report.ts';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import type { AttributedConversionRow } from '../../../shared/contracts/schemas/conversion-rows.ts';
import type { BeaconEventRow } from '../../../shared/contracts/schemas/rows.ts';
import { campaignOf, seedDays, seedReports, showOf, studyOf } from '../../support/report-seed.ts';

const keyed = <T extends { insert_id: string }>(rows: T[]) => rows.map((json) => ({ insertId: json.insert_id, json: json as unknown as Record<string, unknown> }));

/** More households reached without converting, so the lift of a1's study is computable, with rates that do not divide evenly. */
function unconvertedHouseholds(count: number, ghost: boolean): BeaconEventRow[] {
  const ad = { ad_id: `c1-${ghost ? 'ghost' : 'ad'}`, campaign_id: campaignOf.a1, creative_id: 'c1-cr', advertiser_id: 'a1', study_id: studyOf.a1, byte_start: 0, byte_end: 99, ...(ghost ? { ghost: true } : {}) };
  return Array.from({ length: count }, (_, i) => ({
    insert_id: `p1/extra-${ghost}-${i}`, event_id: `extra-${ghost}-${i}`, platform: 'p1', type: 'download', ts: `${seedDays[0]}T12:00:00Z`, received_at: `${seedDays[0]}T12:00:01Z`,
    show_id: showOf.p1, episode_id: `${showOf.p1}-ep`, household_key: `hh-extra-${ghost}-${i}`, user_agent: 'Overcast/3.0', method: 'GET', status: 200,
    counted: true, reason: 'counted', ads: [ad], ads_delivered: ghost ? [] : [ad.ad_id], ghost_ads_delivered: ghost ? [ad.ad_id] : [], ua_type: 'app', bot: false,
  }));
}

describe('the terminal report', () => {
  let text = '';
  beforeAll(async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    try {
      await seedReports(warehouse);
      await warehouse.insert('beacon_events', keyed([...unconvertedHouseholds(5, false), ...unconvertedHouseholds(1, true)]));
      // A linear credit of a third: revenue, credits and cost per visitor that do not divide evenly.
      const third: AttributedConversionRow = {
        insert_id: 'a1/o:third', conversion_id: 'o:third', advertiser_id: 'a1', event: 'purchase', ts: `${seedDays[0]}T20:00:00Z`, received_at: `${seedDays[0]}T20:00:01Z`,
        household_key: 'hh-third', campaign_id: campaignOf.a1, creative_id: 'c1-cr', ad_id: 'c1-ad', exposed_at: `${seedDays[0]}T11:00:00Z`, model: 'linear',
        credit: 1 / 3, revenue: 50 / 3, currency: 'USD', cross_device: true, seconds_to_convert: 32400, campaign_spend: 100,
      };
      await warehouse.insert('attributed_conversions', keyed([third]));
      text = renderTerminalReport(await loadReportData((sql) => warehouse.query(sql)), 'report');
    } finally {
      await warehouse.close();
    }
  });

  it('rounds money, credits and ratios: no number with more than four decimals', () => {
    expect(text).toContain('216.67');
    expect(text).not.toMatch(/\d\.\d{5,}/);
  });

  it('shows a computable lift as percentages with intervals, from the arms counts', () => {
    const lift = text.slice(text.indexOf('== Lift'));
    for (const comparison of ['intent_to_treat', 'ghost_ads']) {
      expect(lift).toMatch(new RegExp(`study-a1 · ${comparison} +66\\.67% +44\\.44% +-22\\.22% +\\[-?\\d+\\.\\d\\d%, -?\\d+\\.\\d\\d%\\]`));
    }
    expect(lift).not.toContain('p_value  ci_abs_low');
  });
});
