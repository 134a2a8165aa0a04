import type { SqlDialect } from '../../../contracts/sql-dialect.ts';
import { liftCritical95 } from './two-proportion-sql.ts';

/**
 * CUPED in SQL, from each arm's sums (`<arm>_households`, `<arm>_conversions`, `<arm>_pre`,
 * `<arm>_pre_squares`, `<arm>_pre_times_conversions`): the formulas of `computeCupedLift`
 * (shared/domain/lift/cuped.ts), which test/unit/application/warehouse/lift-results-view.test.ts holds the view to.
 * CTEs `cuped_pooled`, `cuped_slope` and `cuped_arms` over `source`, each keeping every column.
 */
export function computeCupedCtes(d: SqlDialect, source: string): string {
  const n = '(control_households + test_households)';
  const sum = (column: string) => `(control_${column} + test_${column})`;
  const div = d.safeDivide;
  const meanX = div(sum('pre'), n);
  const meanY = div(sum('conversions'), n);
  // Within-arm variances and covariance (n − 1 denominators) of Y, X and of Y − θX.
  const armMoments = (arm: string) => {
    const households = `${arm}_households`;
    const my = div(`${arm}_conversions`, households);
    const mx = div(`${arm}_pre`, households);
    const varY = div(`${arm}_conversions - ${households} * ${my} * ${my}`, `${households} - 1`);
    const varX = div(`${arm}_pre_squares - ${households} * ${mx} * ${mx}`, `${households} - 1`);
    const cov = div(`${arm}_pre_times_conversions - ${households} * ${mx} * ${my}`, `${households} - 1`);
    return `${my} - theta * (${mx} - mean_pre) AS ${arm}_adjusted_rate,
    ${varY} AS ${arm}_raw_variance,
    GREATEST(0, ${varY} - 2 * theta * ${cov} + theta * theta * ${varX}) AS ${arm}_adjusted_variance`;
  };
  return `cuped_pooled AS (
  SELECT *, ${meanX} AS mean_pre,
    ${div(`${sum('pre_squares')} - ${n} * ${meanX} * ${meanX}`, `${n} - 1`)} AS pooled_pre_variance,
    ${div(`${sum('pre_times_conversions')} - ${n} * ${meanX} * ${meanY}`, `${n} - 1`)} AS pooled_pre_covariance
  FROM ${source}
),
cuped_slope AS (
  SELECT *, CASE WHEN pooled_pre_variance > 0 THEN pooled_pre_covariance / pooled_pre_variance ELSE 0 END AS theta,
    (control_households >= 2 AND test_households >= 2) AS cuped_sized
  FROM cuped_pooled
),
cuped_arms AS (
  SELECT *,
    ${armMoments('control')},
    ${armMoments('test')}
  FROM cuped_slope
)`;
}

/** The columns `computeCupedColumns` adds, in order. */
export const cupedColumnNames = ['cuped_theta', 'cuped_abs_lift', 'cuped_rel_lift', 'cuped_ci_abs_low', 'cuped_ci_abs_high', 'cuped_ci_rel_low', 'cuped_ci_rel_high', 'cuped_variance_reduction'] as const;

/** The CUPED columns of a row of `cuped_arms`: adjusted lift, 95% intervals and the variance removed. */
export function computeCupedColumns(): string {
  const ok = (sql: string) => `CASE WHEN cuped_sized AND control_adjusted_rate > 0 THEN ${sql} END`;
  const se = 'SQRT(control_adjusted_variance / control_households + test_adjusted_variance / test_households)';
  const seRel =
    'SQRT(test_adjusted_variance / test_households / (control_adjusted_rate * control_adjusted_rate) + ' +
    'test_adjusted_rate * test_adjusted_rate / (control_adjusted_rate * control_adjusted_rate * control_adjusted_rate * control_adjusted_rate) * (control_adjusted_variance / control_households))';
  const raw = '(control_raw_variance / control_households + test_raw_variance / test_households)';
  const rel = '(test_adjusted_rate / control_adjusted_rate - 1)';
  return `${ok('theta')} AS cuped_theta,
  ${ok('test_adjusted_rate - control_adjusted_rate')} AS cuped_abs_lift,
  ${ok(rel)} AS cuped_rel_lift,
  ${ok(`test_adjusted_rate - control_adjusted_rate - ${liftCritical95} * ${se}`)} AS cuped_ci_abs_low,
  ${ok(`test_adjusted_rate - control_adjusted_rate + ${liftCritical95} * ${se}`)} AS cuped_ci_abs_high,
  ${ok(`${rel} - ${liftCritical95} * ${seRel}`)} AS cuped_ci_rel_low,
  ${ok(`${rel} + ${liftCritical95} * ${seRel}`)} AS cuped_ci_rel_high,
  ${ok(`CASE WHEN ${raw} > 0 THEN 1 - (control_adjusted_variance / control_households + test_adjusted_variance / test_households) / ${raw} ELSE 0 END`)} AS cuped_variance_reduction`;
}
