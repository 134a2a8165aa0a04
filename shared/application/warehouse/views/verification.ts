import type { ViewDefinition, ViewSettings } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';

const counts = ['vendor_impressions', 'valid_impressions', 'givt_impressions', 'sivt_impressions'];

// Both sides filter general invalid traffic (MRC requires it of every counted impression, and
// Earshot's counting drops declared bots), so Earshot's deliveries are compared with the vendor's
// impressions net of GIVT. SIVT stays in: finding it is the vendor's added value, shown as sivt_rate.
const net = '(vendor_impressions - givt_impressions)';

/** Extra conditions on each side, for the reports API's per-platform variant; none in the view. */
export interface DiscrepancyScope {
  /** On `delivery_deltas` (alias `deltas`). */
  deliveries: readonly string[];
  /** On `verification_events` (alias `events`). */
  measurements: readonly string[];
}

const andAll = (conditions: readonly string[]) => conditions.map((c) => ` AND ${c}`).join('');

/**
 * The view's SQL. The threshold (config `reporting.discrepancy_threshold_pct`, 5 by default: the IAB
 * treats first/third-party differences up to about 5% as generally acceptable) is built into the
 * SQL, since a view cannot read the configuration; the view shows it as `threshold_pct`.
 */
export function computeVerificationDiscrepancySql(d: SqlDialect, settings: Pick<ViewSettings, 'discrepancyThresholdPct'>, scope?: DiscrepancyScope): string {
  const threshold = `CAST(${settings.discrepancyThresholdPct} AS ${d.name === 'bigquery' ? 'FLOAT64' : 'DOUBLE'})`;
  const countIf = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  return `WITH earshot_daily AS (
  SELECT campaign_id, ${d.truncDay('hour')} AS day, SUM(ads_delivered) AS ad_deliveries
  FROM ${d.deduped('delivery_deltas')} AS deltas
  WHERE campaign_id IS NOT NULL${andAll(scope?.deliveries ?? [])}
  GROUP BY 1, 2
),
vendor_daily AS (
  SELECT vendor, campaign_id, ${d.truncDay('measured_at')} AS day,
    COUNT(*) AS vendor_impressions,
    ${countIf("ivt = 'valid'")} AS valid_impressions,
    ${countIf("ivt = 'givt'")} AS givt_impressions,
    ${countIf("ivt = 'sivt'")} AS sivt_impressions
  FROM ${d.deduped('verification_events')} AS events${scope?.measurements.length ? `\n  WHERE ${scope.measurements.join(' AND ')}` : ''}
  GROUP BY 1, 2, 3
),
measured_campaigns AS (
  SELECT DISTINCT vendor, campaign_id FROM vendor_daily
),
earshot_per_vendor AS (
  SELECT m.vendor, e.campaign_id, e.day, e.ad_deliveries
  FROM measured_campaigns AS m
  JOIN earshot_daily AS e ON e.campaign_id = m.campaign_id
),
joined AS (
  SELECT COALESCE(v.campaign_id, e.campaign_id) AS campaign_id,
    COALESCE(v.day, e.day) AS day,
    COALESCE(v.vendor, e.vendor) AS vendor,
    COALESCE(e.ad_deliveries, 0) AS earshot_ad_deliveries,
    ${counts.map((c) => `COALESCE(v.${c}, 0) AS ${c}`).join(',\n    ')}
  FROM vendor_daily AS v
  FULL OUTER JOIN earshot_per_vendor AS e
    ON e.vendor = v.vendor AND e.campaign_id = v.campaign_id AND e.day = v.day
)
SELECT campaign_id, day, vendor, earshot_ad_deliveries, ${counts.join(', ')},
  vendor_impressions - givt_impressions AS vendor_net_impressions,
  ${d.safeDivide('valid_impressions', 'vendor_impressions')} AS valid_share,
  ${d.safeDivide('givt_impressions', 'vendor_impressions')} AS givt_rate,
  ${d.safeDivide('sivt_impressions', 'vendor_impressions')} AS sivt_rate,
  ${d.safeDivide(`(earshot_ad_deliveries - ${net}) * 100`, 'earshot_ad_deliveries')} AS discrepancy_pct,
  ${threshold} AS threshold_pct,
  CASE WHEN earshot_ad_deliveries = 0 THEN ${net} > 0
    ELSE ABS(earshot_ad_deliveries - ${net}) * 100 > ${threshold} * earshot_ad_deliveries END AS exceeds_threshold
FROM joined`;
}

export const verificationDiscrepancy: ViewDefinition = {
  name: 'verification_discrepancy',
  description:
    'Per campaign, UTC day and vendor: ad deliveries Earshot counted, impressions the vendor measured (valid, GIVT, SIVT), ' +
    'valid share, IVT rates, vendor_net_impressions (vendor impressions net of GIVT, which both sides filter), ' +
    'discrepancy_pct = (earshot - vendor_net) / earshot * 100, and exceeds_threshold where ' +
    `|discrepancy| is over threshold_pct (config reporting.discrepancy_threshold_pct, 5% by default; a vendor count on a day Earshot counted nothing always exceeds). ` +
    'Covers every day the vendor measured the campaign or Earshot delivered a campaign the vendor measures.',
  sql: computeVerificationDiscrepancySql,
};
