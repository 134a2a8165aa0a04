import { computeNormalQuantile } from './normal.ts';

/**
 * CUPED (Deng, Xu, Kohavi & Walker, "Improving the sensitivity of online controlled experiments
 * by utilizing pre-experiment data", WSDM 2013): each household's outcome Y (converted in the
 * study, 0 or 1) is adjusted by its covariate X (its conversions in a pre-period before the
 * study) as Y − θ (X − X̄), θ = cov(X, Y) / var(X) over both arms. X is fixed before assignment,
 * so the adjustment cannot bias the difference of the arms; it removes the share ρ² of the
 * variance that X predicts.
 */

/** Sums over the households of one arm: the sufficient statistics of the adjustment. */
export interface CupedArmSums {
  households: number;
  /** Σ Y: converting households. */
  conversions: number;
  /** Σ X: pre-period conversions. */
  pre: number;
  /** Σ X². */
  preSquares: number;
  /** Σ X Y. */
  preTimesConversions: number;
}

export interface CupedResult {
  /** cov(X, Y) / var(X) over both arms; 0 when no household converted in the pre-period. */
  theta: number;
  control_rate: number;
  test_rate: number;
  abs_lift: number;
  rel_lift: number;
  ci_abs: [number, number];
  ci_rel: [number, number];
  /** 1 − var(adjusted difference) / var(unadjusted difference): the share of the variance removed. */
  variance_reduction: number;
}

/** Within-arm variance of Y − θX (n − 1 denominators). */
function adjustedVariance(arm: CupedArmSums, theta: number): { raw: number; adjusted: number } {
  const n = arm.households;
  const meanY = arm.conversions / n;
  const meanX = arm.pre / n;
  const varY = (arm.conversions - n * meanY * meanY) / (n - 1);
  const varX = (arm.preSquares - n * meanX * meanX) / (n - 1);
  const covXY = (arm.preTimesConversions - n * meanX * meanY) / (n - 1);
  return { raw: varY, adjusted: Math.max(0, varY - 2 * theta * covXY + theta * theta * varX) };
}

/**
 * The CUPED-adjusted lift of two arms at `confidence`: Wald interval for the difference, delta
 * method for the ratio of the adjusted rates. Undefined for arms of fewer than 2 households or an
 * adjusted control rate of 0 or less.
 */
export function computeCupedLift(control: CupedArmSums, test: CupedArmSums, confidence: number): CupedResult | undefined {
  if (control.households < 2 || test.households < 2) return undefined;
  const n = control.households + test.households;
  const meanX = (control.pre + test.pre) / n;
  const meanY = (control.conversions + test.conversions) / n;
  const varX = (control.preSquares + test.preSquares - n * meanX * meanX) / (n - 1);
  const covXY = (control.preTimesConversions + test.preTimesConversions - n * meanX * meanY) / (n - 1);
  const theta = varX > 0 ? covXY / varX : 0;
  const adjustedRate = (arm: CupedArmSums) => arm.conversions / arm.households - theta * (arm.pre / arm.households - meanX);
  const pc = adjustedRate(control);
  const pt = adjustedRate(test);
  if (!(pc > 0)) return undefined;
  const vc = adjustedVariance(control, theta);
  const vt = adjustedVariance(test, theta);
  const varDiff = vc.adjusted / control.households + vt.adjusted / test.households;
  const varRaw = vc.raw / control.households + vt.raw / test.households;
  const critical = computeNormalQuantile((1 + confidence) / 2);
  const diff = pt - pc;
  const se = Math.sqrt(varDiff);
  const seRel = Math.sqrt(vt.adjusted / test.households / (pc * pc) + ((pt * pt) / (pc * pc * pc * pc)) * (vc.adjusted / control.households));
  const rel = pt / pc - 1;
  return {
    theta,
    control_rate: pc,
    test_rate: pt,
    abs_lift: diff,
    rel_lift: rel,
    ci_abs: [diff - critical * se, diff + critical * se],
    ci_rel: [rel - critical * seRel, rel + critical * seRel],
    variance_reduction: varRaw > 0 ? 1 - varDiff / varRaw : 0,
  };
}

/** The sums of one arm from its households' (pre-period conversions, converted) pairs. */
export function computeCupedArmSums(households: ReadonlyArray<{ pre: number; converted: boolean }>): CupedArmSums {
  const sums: CupedArmSums = { households: 0, conversions: 0, pre: 0, preSquares: 0, preTimesConversions: 0 };
  for (const { pre, converted } of households) {
    const y = converted ? 1 : 0;
    sums.households++;
    sums.conversions += y;
    sums.pre += pre;
    sums.preSquares += pre * pre;
    sums.preTimesConversions += pre * y;
  }
  return sums;
}
