import type { FieldError, Validation } from '../../contracts/schemas/validator.ts';
import { computeNormalQuantile, computeTwoSidedP } from './normal.ts';

/** Converting households out of the households of one arm. */
export interface ArmCounts {
  conversions: number;
  households: number;
}

export interface LiftInput {
  control: ArmCounts;
  test: ArmCounts;
  /** Two-sided confidence level of the intervals, e.g. 0.95. */
  confidence: number;
  /**
   * Share of the test arm actually exposed. Given, the effects (not the rates, z or p) are divided
   * by it: the intent-to-treat effect becomes the effect on the exposed (Bloom's estimator).
   */
  exposedShare?: number;
}

/** The `earshot lift` output (README.md, Commands). */
export interface LiftResult {
  control_rate: number;
  test_rate: number;
  abs_lift: number;
  rel_lift: number;
  z: number;
  p_value: number;
  ci_abs: [number, number];
  ci_rel: [number, number];
  incremental_conversions: number;
}

/**
 * Lift of a holdout study from the two arms' conversion counts:
 * - z: pooled two-proportion z test, z = (p_t - p_c) / sqrt(p(1-p)(1/n_c + 1/n_t)), p pooled;
 *   p_value two-sided.
 * - ci_abs: Wald (unpooled) interval for p_t - p_c, se = sqrt(p_c(1-p_c)/n_c + p_t(1-p_t)/n_t).
 * - ci_rel: delta-method interval for log(p_t/p_c), se = sqrt(1/x_t - 1/n_t + 1/x_c - 1/n_c),
 *   exponentiated, minus one (Agresti, Categorical Data Analysis, 3rd ed., §3.1.4).
 * - incremental_conversions: (p_t - p_c) n_t, the test arm's conversions the ads caused; the same
 *   with or without an exposed share (the effect per exposed household times the exposed ones).
 * Refuses, with a reason, input where a figure would be undefined (an arm without conversions,
 * every household converting in both) instead of answering NaN or Infinity.
 */
export function computeLift(input: LiftInput): Validation<LiftResult> {
  const errors = checkInput(input);
  if (errors.length) return { ok: false, errors };
  const { control, test, confidence } = input;
  const share = input.exposedShare ?? 1;
  const pc = control.conversions / control.households;
  const pt = test.conversions / test.households;
  const pooled = (control.conversions + test.conversions) / (control.households + test.households);
  const diff = pt - pc;
  const z = diff / Math.sqrt(pooled * (1 - pooled) * (1 / control.households + 1 / test.households));
  const critical = computeNormalQuantile((1 + confidence) / 2);
  const seAbs = Math.sqrt((pc * (1 - pc)) / control.households + (pt * (1 - pt)) / test.households);
  const logRatio = Math.log(pt / pc);
  const seLog = Math.sqrt(1 / test.conversions - 1 / test.households + 1 / control.conversions - 1 / control.households);
  return {
    ok: true,
    value: {
      control_rate: pc,
      test_rate: pt,
      abs_lift: diff / share,
      rel_lift: (pt / pc - 1) / share,
      z,
      p_value: computeTwoSidedP(z),
      ci_abs: [(diff - critical * seAbs) / share, (diff + critical * seAbs) / share],
      ci_rel: [Math.expm1(logRatio - critical * seLog) / share, Math.expm1(logRatio + critical * seLog) / share],
      incremental_conversions: diff * test.households,
    },
  };
}

function checkArm(arm: ArmCounts, path: string): FieldError[] {
  if (!Number.isSafeInteger(arm.households) || arm.households < 1) {
    return [{ path: `${path}/households`, rule: 'minimum', message: 'must be a whole number of households, at least 1' }];
  }
  if (!Number.isSafeInteger(arm.conversions) || arm.conversions < 0 || arm.conversions > arm.households) {
    return [{ path: `${path}/conversions`, rule: 'range', message: `must be a whole number from 0 to the households (${arm.households})` }];
  }
  if (arm.conversions === 0) {
    return [{ path: `${path}/conversions`, rule: 'nonZero', message: 'the arm has no conversions: the relative lift and its interval need at least one in each arm' }];
  }
  return [];
}

function checkInput(input: LiftInput): FieldError[] {
  const errors = [...checkArm(input.control, '/control'), ...checkArm(input.test, '/test')];
  if (!(input.confidence > 0 && input.confidence < 1)) {
    errors.push({ path: '/confidence', rule: 'range', message: 'must be between 0 and 1, e.g. 0.95' });
  }
  const share = input.exposedShare;
  if (share !== undefined && !(share > 0 && share <= 1)) {
    errors.push({ path: '/exposed_share', rule: 'range', message: 'must be more than 0 and at most 1' });
  }
  const { control, test } = input;
  if (!errors.length && control.conversions === control.households && test.conversions === test.households) {
    errors.push({ path: '/', rule: 'variance', message: 'every household converted in both arms: the z test has no variance' });
  }
  return errors;
}
