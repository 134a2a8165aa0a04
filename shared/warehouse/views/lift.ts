import { computeErfcSql } from '../erfc-sql.ts';
import type { SqlDialect, ViewDefinition } from '../dialect.ts';

/**
 * Φ⁻¹(0.975): the intervals of the view are 95% (views cannot take parameters, and neither
 * dialect has a normal quantile function). `earshot lift --confidence` gives any other level from
 * the view's counts; test/unit/lift/lift-results-view.test.ts checks the constant against
 * `computeNormalQuantile`.
 */
export const liftCritical95 = 1.959963984540054;

// Attribution ran for these (not for duplicates and unknown advertisers).
const attributedStatuses = "('attributed', 'not_exposed', 'shared_household')";

/**
 * Households of each arm come from the ad deliveries of the study's advertiser: a household whose
 * delivered placement was a ghost ad is in control, one that heard the real ad in test (the ad
 * server asked `GET /assign`). A converting household is one whose conversion found such a
 * delivery in its lookback (`conversions.ghost_exposures`, `conversions.exposures`): the same
 * definition on both sides, and the lookback applies to both arms alike. The study's advertiser
 * is read from the arms intake stored on its conversions (the configuration is not in the
 * warehouse). Ads must carry `advertiser_id` to be counted here.
 */
function computeLiftResultsSql(d: SqlDialect): string {
  const real = d.deliveredAds('e', 'ad', 'ads_delivered');
  const ghost = d.deliveredAds('e', 'ad', 'ghost_ads_delivered');
  const perCount = (count: string) => d.safeDivide('1', count);
  // BigQuery raises on division by zero and LN(0), and evaluates only the CASE branch taken.
  const whenComputable = (sql: string) => `CASE WHEN computable THEN ${sql} END`;
  return `WITH study_advertisers AS (
  SELECT DISTINCT arm.study_id AS study_id, c.advertiser_id AS advertiser_id
  FROM ${d.deduped('conversions')} AS c
  CROSS JOIN ${d.unnest('c.arms', 'arm')}
),
deliveries AS (
  SELECT ad.advertiser_id AS advertiser_id, e.household_key AS household_key,
    CASE WHEN ${ghost.where} THEN 'control' ELSE 'test' END AS arm
  FROM ${d.deduped('beacon_events')} AS e
  ${real.join}
  WHERE (${real.where}) OR (${ghost.where})
),
arm_households AS (
  SELECT advertiser_id,
    COUNT(DISTINCT CASE WHEN arm = 'control' THEN household_key END) AS control_households,
    COUNT(DISTINCT CASE WHEN arm = 'test' THEN household_key END) AS test_households
  FROM deliveries
  GROUP BY 1
),
arm_conversions AS (
  SELECT advertiser_id,
    COUNT(DISTINCT CASE WHEN ghost_exposures > 0 THEN household_key END) AS control_conversions,
    COUNT(DISTINCT CASE WHEN exposures > 0 THEN household_key END) AS test_conversions
  FROM ${d.deduped('conversions')} AS c
  WHERE attribution IN ${attributedStatuses}
  GROUP BY 1
),
counts AS (
  SELECT s.study_id, s.advertiser_id,
    COALESCE(h.control_households, 0) AS control_households, COALESCE(c.control_conversions, 0) AS control_conversions,
    COALESCE(h.test_households, 0) AS test_households, COALESCE(c.test_conversions, 0) AS test_conversions
  FROM study_advertisers AS s
  LEFT JOIN arm_households AS h ON h.advertiser_id = s.advertiser_id
  LEFT JOIN arm_conversions AS c ON c.advertiser_id = s.advertiser_id
),
rates AS (
  SELECT study_id, advertiser_id, control_households, control_conversions, test_households, test_conversions,
    ${d.safeDivide('control_conversions', 'control_households')} AS control_rate,
    ${d.safeDivide('test_conversions', 'test_households')} AS test_rate,
    ${d.safeDivide('control_conversions + test_conversions', 'control_households + test_households')} AS pooled_rate,
    -- As earshot lift refuses: a figure would be undefined (no conversions in an arm, every household converting).
    (control_conversions > 0 AND test_conversions > 0 AND control_conversions <= control_households
      AND test_conversions <= test_households
      AND NOT (control_conversions = control_households AND test_conversions = test_households)) AS computable
  FROM counts
),
statistics AS (
  SELECT study_id, advertiser_id, control_households, control_conversions, test_households, test_conversions, control_rate, test_rate, computable,
    ${whenComputable(`(test_rate - control_rate) / SQRT(pooled_rate * (1 - pooled_rate) * (${perCount('control_households')} + ${perCount('test_households')}))`)} AS z,
    ${whenComputable('SQRT(control_rate * (1 - control_rate) / control_households + test_rate * (1 - test_rate) / test_households)')} AS se_abs,
    ${whenComputable(`SQRT(${perCount('test_conversions')} - ${perCount('test_households')} + ${perCount('control_conversions')} - ${perCount('control_households')})`)} AS se_log_rr
  FROM rates
),
with_tail AS (
  SELECT *, ABS(z) / SQRT(2) AS z_over_root2 FROM statistics
)
SELECT study_id, advertiser_id, control_households, control_conversions, test_households, test_conversions,
  control_rate, test_rate,
  ${whenComputable('test_rate - control_rate')} AS abs_lift,
  ${whenComputable('test_rate / control_rate - 1')} AS rel_lift,
  z,
  ${whenComputable(computeErfcSql('z_over_root2'))} AS p_value,
  ${whenComputable(`test_rate - control_rate - ${liftCritical95} * se_abs`)} AS ci_abs_low,
  ${whenComputable(`test_rate - control_rate + ${liftCritical95} * se_abs`)} AS ci_abs_high,
  ${whenComputable(`EXP(LN(test_rate / control_rate) - ${liftCritical95} * se_log_rr) - 1`)} AS ci_rel_low,
  ${whenComputable(`EXP(LN(test_rate / control_rate) + ${liftCritical95} * se_log_rr) - 1`)} AS ci_rel_high,
  ${whenComputable('(test_rate - control_rate) * test_households')} AS incremental_conversions,
  0.95 AS confidence
FROM with_tail`;
}

export const liftResults: ViewDefinition = {
  name: 'lift_results',
  description:
    'Per holdout study: households of each arm (control: reached by a ghost ad of the study advertiser; test: by the real ad) and converting households ' +
    '(a conversion with such a delivery in its lookback), conversion rates, abs_lift and rel_lift, the pooled two-proportion z, its two-sided p_value, ' +
    `95% intervals (Wald for the difference, log relative risk for the relative lift; critical value ${liftCritical95}) and incremental_conversions, ` +
    'as earshot lift computes them (statistics NULL where earshot lift refuses: an arm without conversions, every household converting). ' +
    'Household keys rotate monthly: a household active in two months counts in each.',
  sql: (d) => computeLiftResultsSql(d),
};
