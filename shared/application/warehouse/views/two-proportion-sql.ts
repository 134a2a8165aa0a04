import { computeErfcSql } from '../erfc-sql.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';

/**
 * Φ⁻¹(0.975): the intervals of the views are 95% (views cannot take parameters, and neither
 * dialect has a normal quantile function). `earshot lift --confidence` gives any other level from
 * the view's counts; test/unit/application/warehouse/lift-results-view.test.ts checks the constant against
 * `computeNormalQuantile`.
 */
export const liftCritical95 = 1.959963984540054;

/** The arms' counts every two-proportion CTE chain reads, beside its key columns. */
const countColumns = ['control_households', 'control_conversions', 'test_households', 'test_conversions'];

/** BigQuery raises on division by zero and LN(0), and evaluates only the CASE branch taken. */
export const whenComputable = (sql: string) => `CASE WHEN computable THEN ${sql} END`;

/**
 * CTEs `rates`, `statistics` and `with_tail` over `source` (a CTE with the arms' counts and the
 * `carried` columns): `earshot lift`'s figures, NULL where it refuses (an arm without conversions,
 * every household converting).
 */
export function computeTwoProportionCtes(d: SqlDialect, source: string, carried: readonly string[]): string {
  const keep = [...carried, ...countColumns].join(', ');
  const perCount = (count: string) => d.safeDivide('1', count);
  return `rates AS (
  SELECT ${keep},
    ${d.safeDivide('control_conversions', 'control_households')} AS control_rate,
    ${d.safeDivide('test_conversions', 'test_households')} AS test_rate,
    ${d.safeDivide('control_conversions + test_conversions', 'control_households + test_households')} AS pooled_rate,
    (control_conversions > 0 AND test_conversions > 0 AND control_conversions <= control_households
      AND test_conversions <= test_households
      AND NOT (control_conversions = control_households AND test_conversions = test_households)) AS computable
  FROM ${source}
),
statistics AS (
  SELECT *,
    ${whenComputable(`(test_rate - control_rate) / SQRT(pooled_rate * (1 - pooled_rate) * (${perCount('control_households')} + ${perCount('test_households')}))`)} AS z,
    ${whenComputable('SQRT(control_rate * (1 - control_rate) / control_households + test_rate * (1 - test_rate) / test_households)')} AS se_abs,
    ${whenComputable(`SQRT(${perCount('test_conversions')} - ${perCount('test_households')} + ${perCount('control_conversions')} - ${perCount('control_households')})`)} AS se_log_rr
  FROM rates
),
with_tail AS (
  SELECT *, ABS(z) / SQRT(2) AS z_over_root2 FROM statistics
)`;
}

/** The `earshot lift` columns of a row of `with_tail`, in the order of `lift_results`. */
export function computeTwoProportionColumns(): string {
  return `control_rate, test_rate,
  ${whenComputable('test_rate - control_rate')} AS abs_lift,
  ${whenComputable('test_rate / control_rate - 1')} AS rel_lift,
  z,
  ${whenComputable(computeErfcSql('z_over_root2'))} AS p_value,
  ${whenComputable(`test_rate - control_rate - ${liftCritical95} * se_abs`)} AS ci_abs_low,
  ${whenComputable(`test_rate - control_rate + ${liftCritical95} * se_abs`)} AS ci_abs_high,
  ${whenComputable(`EXP(LN(test_rate / control_rate) - ${liftCritical95} * se_log_rr) - 1`)} AS ci_rel_low,
  ${whenComputable(`EXP(LN(test_rate / control_rate) + ${liftCritical95} * se_log_rr) - 1`)} AS ci_rel_high,
  ${whenComputable('(test_rate - control_rate) * test_households')} AS incremental_conversions`;
}
