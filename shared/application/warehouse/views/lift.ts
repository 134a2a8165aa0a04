import type { ViewDefinition, ViewSettings } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';
import { computeCupedColumns, computeCupedCtes, cupedColumnNames } from './cuped-sql.ts';
import { computeStudyHouseholdsSql } from './study-households.ts';
import { computeTwoProportionColumns, computeTwoProportionCtes, liftCritical95 } from './two-proportion-sql.ts';

export { liftCritical95 };

/** The two comparisons of a study (Johnson, Lewis & Nubbemeyer 2017), as lift_results names them. */
export const liftComparisons = ['intent_to_treat', 'ghost_ads'] as const;

/** Per study and comparison, each arm's households, converting households and CUPED sums. */
function computeArmSumsSql(): string {
  const armSums = (arm: string, converted: string, filter: string) => {
    const mine = `arm = '${arm}'${filter}`;
    const y = `CASE WHEN ${converted} IS NOT NULL THEN 1 ELSE 0 END`;
    return `SUM(CASE WHEN ${mine} THEN 1 ELSE 0 END) AS ${arm}_households,
    SUM(CASE WHEN ${mine} THEN ${y} ELSE 0 END) AS ${arm}_conversions,
    SUM(CASE WHEN ${mine} THEN pre_conversions ELSE 0 END) AS ${arm}_pre,
    SUM(CASE WHEN ${mine} THEN pre_conversions * pre_conversions ELSE 0 END) AS ${arm}_pre_squares,
    SUM(CASE WHEN ${mine} THEN pre_conversions * ${y} ELSE 0 END) AS ${arm}_pre_times_conversions`;
  };
  const comparison = (name: string, converted: string, filter: string) => `SELECT s.study_id AS study_id, s.advertiser_id AS advertiser_id, '${name}' AS comparison,
    ${armSums('control', converted, filter)},
    ${armSums('test', converted, filter)}
  FROM studies AS s LEFT JOIN household_outcomes AS o ON o.study_id = s.study_id
  GROUP BY s.study_id, s.advertiser_id`;
  return `counts AS (
  ${comparison('intent_to_treat', 'converted_at', '')}
  UNION ALL
  ${comparison('ghost_ads', 'converted_after_delivery_at', ' AND delivered_at IS NOT NULL')}
)`;
}

function computeLiftResultsSql(d: SqlDialect, settings: ViewSettings): string {
  return `WITH ${computeStudyHouseholdsSql(d, settings)},
${computeArmSumsSql()},
${computeCupedCtes(d, 'counts')},
cuped_results AS (
  SELECT *, ${computeCupedColumns()} FROM cuped_arms
),
${computeTwoProportionCtes(d, 'cuped_results', ['study_id', 'advertiser_id', 'comparison', ...cupedColumnNames])}
SELECT study_id, advertiser_id, control_households, control_conversions, test_households, test_conversions,
  ${computeTwoProportionColumns()},
  0.95 AS confidence,
  comparison,
  ${cupedColumnNames.join(', ')},
  ${settings.cupedPrePeriodDays} AS cuped_pre_period_days
FROM with_tail`;
}

export const liftResults: ViewDefinition = {
  name: 'lift_results',
  description:
    'Per holdout study (ads and ghosts naming its study_id), two rows: comparison intent_to_treat (every household a placement of the study was served to: ' +
    'control got the ghost, test the ad; converting: a conversion of the study advertiser at or after its first placement) and ghost_ads ' +
    '(households whose placement was delivered: test heard the ad, control would have; converting at or after the first delivery; Johnson, Lewis & Nubbemeyer). ' +
    'Each with households and converting households per arm, rates, abs_lift and rel_lift, the pooled two-proportion z, its two-sided p_value, ' +
    `95% intervals (Wald for the difference, log relative risk for the relative lift; critical value ${liftCritical95}) and incremental_conversions, ` +
    'as earshot lift computes them (statistics NULL where earshot lift refuses: an arm without conversions, every household converting), ' +
    "and the CUPED-adjusted lift (covariate: the household's conversions in the cuped_pre_period_days before its first placement; theta, adjusted abs and rel lift, " +
    '95% intervals, the share of variance removed). Household keys rotate monthly: a household active in two months counts in each.',
  sql: (d, settings) => computeLiftResultsSql(d, settings),
};
