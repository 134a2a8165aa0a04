import { mixingRelativeSd } from '../../../domain/lift/sequential.ts';
import type { ViewDefinition, ViewSettings } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';
import { computeStudyHouseholdsSql } from './study-households.ts';
import { computeTwoProportionColumns, computeTwoProportionCtes } from './two-proportion-sql.ts';

/** ln(1/α) of the view's 95% confidence sequence. */
const logInverseAlpha = Math.log(20);

/**
 * Per study, comparison and UTC day, each arm cumulative to the end of that day: a household
 * counts from the day of its first placement (intent to treat) or delivery (ghost ads), and
 * converts on the day of its first conversion after it.
 */
function computeCumulativeSql(d: SqlDialect): string {
  const entries = (comparison: string, entered: string, converted: string, filter: string) => `SELECT study_id, '${comparison}' AS comparison, ${d.truncDay(entered)} AS day,
    CASE WHEN arm = 'control' THEN 1 ELSE 0 END AS control_entered, CASE WHEN arm = 'test' THEN 1 ELSE 0 END AS test_entered, 0 AS control_converted, 0 AS test_converted
  FROM household_outcomes WHERE ${entered} IS NOT NULL${filter}
  UNION ALL
  SELECT study_id, '${comparison}', ${d.truncDay(converted)}, 0, 0, CASE WHEN arm = 'control' THEN 1 ELSE 0 END, CASE WHEN arm = 'test' THEN 1 ELSE 0 END
  FROM household_outcomes WHERE ${converted} IS NOT NULL${filter}`;
  const running = (column: string) => `SUM(${column}) OVER (PARTITION BY study_id, comparison ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  return `daily_entries AS (
  ${entries('intent_to_treat', 'assigned_at', 'converted_at', '')}
  UNION ALL
  ${entries('ghost_ads', 'delivered_at', 'converted_after_delivery_at', ' AND delivered_at IS NOT NULL')}
),
per_day AS (
  SELECT study_id, comparison, day, SUM(control_entered) AS control_entered, SUM(test_entered) AS test_entered,
    SUM(control_converted) AS control_converted, SUM(test_converted) AS test_converted
  FROM daily_entries GROUP BY study_id, comparison, day
),
cumulative AS (
  SELECT study_id, comparison, day,
    ${running('control_entered')} AS control_households, ${running('control_converted')} AS control_conversions,
    ${running('test_entered')} AS test_households, ${running('test_converted')} AS test_conversions
  FROM per_day
)`;
}

/**
 * The mixture SPRT of shared/domain/lift/sequential.ts as SQL over `with_tail`: 1/Λ(0) with the pooled
 * variance, the half width of {θ0 : Λ(θ0) < 20} with the unpooled one, τ = mixingRelativeSd × p̄.
 */
function computeSequentialCtes(d: SqlDialect): string {
  const tau2 = `(${mixingRelativeSd} * pooled_rate) * (${mixingRelativeSd} * pooled_rate)`;
  const pooledVariance = `pooled_rate * (1 - pooled_rate) * (${d.safeDivide('1', 'control_households')} + ${d.safeDivide('1', 'test_households')})`;
  const waldVariance = `${d.safeDivide('control_conversions * (control_households - control_conversions)', 'control_households * control_households * control_households')} + ${d.safeDivide('test_conversions * (test_households - test_conversions)', 'test_households * test_households * test_households')}`;
  const diff = `(${d.safeDivide('test_conversions', 'test_households')} - ${d.safeDivide('control_conversions', 'control_households')})`;
  const window = 'OVER (PARTITION BY study_id, comparison ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)';
  return `mixture AS (
  SELECT *, ${tau2} AS tau2, ${pooledVariance} AS pooled_variance, ${waldVariance} AS wald_variance, ${diff} AS observed_diff
  FROM with_tail WHERE control_households > 0 AND test_households > 0
),
look AS (
  SELECT *,
    CASE WHEN pooled_variance > 0 AND tau2 > 0
      THEN LEAST(1, EXP(-(0.5 * LN(pooled_variance / (pooled_variance + tau2)) + observed_diff * observed_diff * tau2 / (2 * pooled_variance * (pooled_variance + tau2)))))
      ELSE 1 END AS look_p,
    CASE WHEN wald_variance > 0 AND tau2 > 0
      THEN SQRT(2 * wald_variance * (wald_variance + tau2) / tau2 * (${logInverseAlpha} + 0.5 * LN((wald_variance + tau2) / wald_variance)))
      END AS look_half_width
  FROM mixture
),
sequence AS (
  SELECT *,
    MIN(look_p) ${window} AS running_p,
    MAX(observed_diff - look_half_width) ${window} AS running_low,
    MIN(observed_diff + look_half_width) ${window} AS running_high
  FROM look
)`;
}

function computeLiftDailySql(d: SqlDialect, settings: ViewSettings): string {
  return `WITH ${computeStudyHouseholdsSql(d, settings)},
${computeCumulativeSql(d)},
${computeTwoProportionCtes(d, 'cumulative', ['study_id', 'comparison', 'day'])},
${computeSequentialCtes(d)}
SELECT study_id, comparison, day, control_households, control_conversions, test_households, test_conversions,
  ${computeTwoProportionColumns()},
  running_p AS always_valid_p,
  GREATEST(-1, COALESCE(running_low, -1)) AS cs_abs_low,
  LEAST(1, COALESCE(running_high, 1)) AS cs_abs_high,
  0.95 AS confidence
FROM sequence`;
}

export const liftDaily: ViewDefinition = {
  name: 'lift_daily',
  description:
    'Per holdout study, comparison (intent_to_treat, ghost_ads; as lift_results) and UTC day: both arms cumulative to the end of that day, the fixed-horizon ' +
    'figures of earshot lift for that day alone (its p_value is not valid when looked at daily), and the always-valid ones of earshot lift --sequential ' +
    `(mixture SPRT, normal mixture over the difference of rates with standard deviation ${mixingRelativeSd} x the pooled rate): always_valid_p, the running minimum, ` +
    'and the 95% confidence sequence cs_abs_low..cs_abs_high for abs_lift, the running intersection, so a study may be looked at every day without raising its false-positive rate.',
  sql: (d, settings) => computeLiftDailySql(d, settings),
};
