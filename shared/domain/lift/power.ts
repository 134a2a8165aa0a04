import type { FieldError, Validation } from '../../contracts/schemas/validator.ts';
import { computeNormalCdf, computeNormalQuantile } from './normal.ts';

/**
 * Power of a holdout study's two-sided test on the arcsine scale, as statsmodels'
 * `NormalIndPower` computes it (Cohen, Statistical Power Analysis, 2nd ed., ch. 6): the effect is
 * Cohen's h = 2 asin √p_test − 2 asin √p_control, the arms n_c and n_t enter through
 * n = n_c n_t / (n_c + n_t), and the power counts both rejection regions,
 * Φ(h√n − z) + Φ(−h√n − z) with z = Φ⁻¹(1 − α/2).
 */

/** Cohen's h of a test rate against a control rate. */
export function computeCohensH(testRate: number, controlRate: number): number {
  return 2 * Math.asin(Math.sqrt(testRate)) - 2 * Math.asin(Math.sqrt(controlRate));
}

/** The arms' effective size n_c n_t / (n_c + n_t) for N households with `holdout` of them in control. */
function effectiveHouseholds(total: number, holdout: number): number {
  return total * holdout * (1 - holdout);
}

/** Power of the two-sided test at Cohen's h with N households, `holdout` of them in control. */
export function computePower(cohensH: number, totalHouseholds: number, alpha: number, holdout: number): number {
  const z = computeNormalQuantile(1 - alpha / 2);
  const shift = Math.abs(cohensH) * Math.sqrt(effectiveHouseholds(totalHouseholds, holdout));
  return computeNormalCdf(shift - z) + computeNormalCdf(-shift - z);
}

/**
 * Solves an increasing function for `target` by bisection on [low, high] (growing `high` until it
 * brackets): the power is monotone in both the households and |h|, and 200 halvings reach the
 * double precision of any bracket.
 */
function solveIncreasing(f: (x: number) => number, target: number, low: number, high: number, limit: number): number {
  while (f(high) < target && high < limit) high = Math.min(high * 2, limit);
  for (let i = 0; i < 200 && high - low > Number.EPSILON * high; i++) {
    const mid = (low + high) / 2;
    if (f(mid) < target) low = mid;
    else high = mid;
  }
  return high;
}

export interface PowerInput {
  /** Conversion rate of the control arm, 0 < p < 1. */
  baseline: number;
  /** Relative lift to detect (0.1 = 10 %); either this or `totalHouseholds` may be left out. */
  mde?: number;
  alpha: number;
  power: number;
  /** Share of all households held out in control. */
  holdout: number;
  /** Households the study has (or will have): given, the answer is the power, or the mde it reaches. */
  totalHouseholds?: number;
}

/** DESIGN.md §4 `earshot power` output; `power` and `mde` are added when households are given. */
export interface PowerResult {
  cohens_h: number;
  control_households: number;
  test_households: number;
  total_households: number;
  power?: number;
  mde?: number;
}

/** Households the study needs for `power`: the control arm (statsmodels' nobs1) rounded up, the test arm in the holdout's ratio. */
function householdsFor(cohensH: number, input: PowerInput): PowerResult {
  const { alpha, holdout, power } = input;
  const total = solveIncreasing((n) => computePower(cohensH, n, alpha, holdout), power, 0, 1024, 1e18);
  const control = total * holdout;
  const test = control * ((1 - holdout) / holdout);
  const controlHouseholds = Math.ceil(control - 1e-9 * control);
  const testHouseholds = Math.ceil(test - 1e-9 * test);
  return { cohens_h: cohensH, control_households: controlHouseholds, test_households: testHouseholds, total_households: controlHouseholds + testHouseholds };
}

/** The arms of N households split by the holdout share, as the assignment splits them (control rounded). */
function splitHouseholds(total: number, holdout: number): Pick<PowerResult, 'control_households' | 'test_households' | 'total_households'> {
  const control = Math.round(total * holdout);
  return { control_households: control, test_households: total - control, total_households: total };
}

/**
 * The smallest positive relative lift the study detects with `power` at N households: h solved on
 * the power curve, then p_test = sin²(asin √p + h/2). Undefined (Infinity) when even p_test = 1
 * is not detectable.
 */
export function computeMinimumDetectableLift(input: PowerInput & { totalHouseholds: number }): { cohensH: number; mde: number } {
  const { baseline, alpha, holdout, power, totalHouseholds } = input;
  const maxH = Math.PI - 2 * Math.asin(Math.sqrt(baseline));
  if (computePower(maxH, totalHouseholds, alpha, holdout) < power) return { cohensH: maxH, mde: Infinity };
  const cohensH = solveIncreasing((h) => computePower(h, totalHouseholds, alpha, holdout), power, 0, maxH, maxH);
  const testRate = Math.sin(Math.asin(Math.sqrt(baseline)) + cohensH / 2) ** 2;
  return { cohensH, mde: testRate / baseline - 1 };
}

/**
 * `earshot power`: with `mde`, the households needed (and with households too, the power they
 * give); with households and no `mde`, the smallest detectable relative lift.
 */
export function computePowerPlan(input: PowerInput): Validation<PowerResult> {
  const errors = checkPowerInput(input);
  if (errors.length) return { ok: false, errors };
  const { baseline, mde, totalHouseholds, alpha, holdout } = input;
  if (mde === undefined) {
    const total = totalHouseholds as number;
    const found = computeMinimumDetectableLift({ ...input, totalHouseholds: total });
    return { ok: true, value: { cohens_h: found.cohensH, ...splitHouseholds(total, holdout), power: input.power, mde: found.mde } };
  }
  const cohensH = computeCohensH(baseline * (1 + mde), baseline);
  if (totalHouseholds === undefined) return { ok: true, value: householdsFor(cohensH, input) };
  return { ok: true, value: { cohens_h: cohensH, ...splitHouseholds(totalHouseholds, holdout), power: computePower(cohensH, totalHouseholds, alpha, holdout), mde } };
}

function checkPowerInput(input: PowerInput): FieldError[] {
  const errors: FieldError[] = [];
  const open = (v: number) => v > 0 && v < 1;
  if (!open(input.baseline)) errors.push({ path: '/baseline', rule: 'range', message: 'must be a conversion rate between 0 and 1, e.g. 0.02' });
  if (!open(input.alpha)) errors.push({ path: '/alpha', rule: 'range', message: 'must be between 0 and 1, e.g. 0.05' });
  if (!(input.power > input.alpha / 2 && input.power < 1)) errors.push({ path: '/power', rule: 'range', message: 'must be above alpha/2 and below 1, e.g. 0.8' });
  if (!open(input.holdout)) errors.push({ path: '/holdout', rule: 'range', message: 'must be between 0 and 1, e.g. 0.1' });
  const { mde, totalHouseholds } = input;
  if (mde === undefined && totalHouseholds === undefined) errors.push({ path: '/mde', rule: 'required', message: 'is required (or --households, to get the smallest detectable lift)' });
  if (mde !== undefined && !(Number.isFinite(mde) && mde !== 0 && mde > -1 && (!open(input.baseline) || input.baseline * (1 + mde) < 1))) {
    errors.push({ path: '/mde', rule: 'range', message: 'must be a relative lift other than 0, above -1, that keeps baseline x (1 + mde) below 1' });
  }
  if (totalHouseholds !== undefined && !(Number.isSafeInteger(totalHouseholds) && totalHouseholds >= 2)) {
    errors.push({ path: '/households', rule: 'minimum', message: 'must be a whole number of households, at least 2' });
  }
  return errors;
}
