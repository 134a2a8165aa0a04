import type { QueryResult } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { computeLift, type LiftResult } from '../../shared/domain/lift/two-proportion.ts';
import { anomalyReasons } from '../../shared/application/warehouse/views/traffic-anomalies.ts';

/** A section's rows, or why it has none (a view not there yet, a query that failed). */
export type SectionData = { ok: true; columns: string[]; rows: Array<Record<string, unknown>> } | { ok: false; reason: string };

export interface ReportData {
  delivery: SectionData;
  geography: SectionData;
  excluded: SectionData;
  reach: SectionData;
  discrepancy: SectionData;
  attribution: SectionData;
  lift: SectionData;
  liftDaily: SectionData;
}

export type RunQuery = (sql: string) => Promise<QueryResult>;

/** The report's queries: small summaries over the views (docs/analysts.md), one per section. */
export const reportQueries: Record<keyof ReportData, string> = {
  delivery: `SELECT CAST(CAST(day AS DATE) AS VARCHAR) AS day, SUM(requests) AS requests, SUM(downloads) AS downloads,
  SUM(listeners_first_seen) AS new_listeners, SUM(ads_delivered) AS ads_delivered, SUM(ghost_ads_delivered) AS ghost_ads_delivered,
  SUM(bot_requests) AS bot_requests, SUM(datacenter_requests) AS datacenter_requests, SUM(anomalous_requests) AS anomalous_requests
FROM delivery_daily GROUP BY 1 ORDER BY 1`,
  // Request-level rows only (ad-level rows repeat the geography of the requests they come from).
  geography: `SELECT coalesce(country, '(unknown)') AS country, SUM(downloads) AS downloads, SUM(requests) AS requests,
  SUM(datacenter_requests) AS datacenter_requests, SUM(anomalous_requests) AS anomalous_requests,
  arg_max(region, downloads) AS top_region
FROM delivery_daily WHERE campaign_id IS NULL GROUP BY 1 ORDER BY downloads DESC, country LIMIT 20`,
  // From the rows traffic_anomalies reads: households are counted across episodes, not per episode.
  excluded: `SELECT reason, coalesce(datacenter, '') AS network, count(*) AS requests, count(DISTINCT household_key) AS households
FROM beacon_events WHERE reason IN (${anomalyReasons.map((r) => `'${r}'`).join(', ')})
GROUP BY 1, 2 ORDER BY requests DESC, reason, network LIMIT 20`,
  reach: `SELECT campaign_id, month, households_reached, listeners_reached, impressions, round(average_frequency, 2) AS average_frequency
FROM reach_frequency ORDER BY campaign_id, month`,
  discrepancy: `SELECT campaign_id, vendor, SUM(earshot_ad_deliveries) AS earshot_ad_deliveries, SUM(vendor_impressions) AS vendor_impressions,
  SUM(vendor_net_impressions) AS vendor_net_impressions,
  round(SUM(givt_impressions) / NULLIF(SUM(vendor_impressions), 0), 4) AS givt_rate,
  round(SUM(sivt_impressions) / NULLIF(SUM(vendor_impressions), 0), 4) AS sivt_rate,
  round((SUM(earshot_ad_deliveries) - SUM(vendor_net_impressions)) * 100.0 / NULLIF(SUM(earshot_ad_deliveries), 0), 2) AS discrepancy_pct,
  SUM(CASE WHEN exceeds_threshold THEN 1 ELSE 0 END) AS days_over_threshold, COUNT(*) AS days
FROM verification_discrepancy GROUP BY 1, 2 ORDER BY 1, 2`,
  // Money to the cent, credits (fractions under linear and time-decay models) and ROAS to 2 places.
  attribution: `SELECT advertiser_id, campaign_id, event, households_reached, attributed_visitors,
  round(attributed_conversions, 2) AS attributed_conversions, round(cross_device_conversions, 2) AS cross_device_conversions,
  round(revenue, 2) AS revenue, currency, round(spend, 2) AS spend, round(cost_per_visitor, 2) AS cost_per_visitor, round(roas, 2) AS roas
FROM attribution_summary ORDER BY ALL`,
  lift: `SELECT study_id, comparison, control_households, control_conversions, test_households, test_conversions,
  round(cuped_rel_lift, 4) AS cuped_rel_lift, round(cuped_ci_rel_low, 4) AS cuped_ci_rel_low, round(cuped_ci_rel_high, 4) AS cuped_ci_rel_high,
  round(cuped_variance_reduction, 4) AS cuped_variance_reduction, cuped_pre_period_days
FROM lift_results ORDER BY study_id, comparison`,
  liftDaily: `SELECT study_id, comparison, CAST(day AS VARCHAR) AS day, control_households, control_conversions, test_households, test_conversions,
  round(abs_lift, 4) AS abs_lift, round(p_value, 4) AS p_value, round(always_valid_p, 4) AS always_valid_p, round(cs_abs_low, 4) AS cs_abs_low, round(cs_abs_high, 4) AS cs_abs_high
FROM lift_daily ORDER BY study_id, comparison, day`,
};

/** Runs every section's query; a section that fails is reported as such, never the whole report. */
export async function loadReportData(query: RunQuery): Promise<ReportData> {
  const entries = await Promise.all(
    (Object.entries(reportQueries) as Array<[keyof ReportData, string]>).map(async ([name, sql]): Promise<[keyof ReportData, SectionData]> => {
      try {
        const { columns, rows } = await query(sql);
        return [name, { ok: true, columns, rows }];
      } catch (err) {
        return [name, { ok: false, reason: (err as Error).message.split('\n')[0] ?? 'query failed' }];
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as ReportData;
}

/** A study's lift as `earshot lift` computes it, from the arms' households and conversions. */
export interface StudyLift {
  study: string;
  result: LiftResult | undefined;
  /** Why there is no result (an arm without conversions, ...). */
  reason: string | undefined;
}

const count = (row: Record<string, unknown>, column: string) => Number(row[column] ?? 0);

/** The statistics of each `lift_results` row, computed by the same code as `earshot lift`. */
export function computeStudyLifts(lift: SectionData, confidence = 0.95): StudyLift[] {
  if (!lift.ok) return [];
  return lift.rows.map((row) => {
    const computed = computeLift({
      control: { households: count(row, 'control_households'), conversions: count(row, 'control_conversions') },
      test: { households: count(row, 'test_households'), conversions: count(row, 'test_conversions') },
      confidence,
    });
    const study = [row.study_id ?? row.study ?? '', row.comparison].filter((part) => part !== undefined && part !== null).join(' · ');
    return computed.ok
      ? { study, result: computed.value, reason: undefined }
      : { study, result: undefined, reason: computed.errors.map((e) => `${e.path} ${e.message}`).join('; ') };
  });
}
