import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../cli/simulate/random.ts';
import { computeCupedArmSums, computeCupedLift } from '../../../../shared/domain/lift/cuped.ts';
import { computeLift } from '../../../../shared/domain/lift/two-proportion.ts';
import { drawBinomial } from '../../../support/binomial.ts';

const repeat = (times: number, pre: number, converted: boolean) => Array.from({ length: times }, () => ({ pre, converted }));

describe('CUPED-adjusted lift', () => {
  // numpy 1.24 / scipy 1.10 (Debian) on the same 112 households: theta = np.cov(X, Y)[0,1] / np.var(X, ddof=1)
  // over both arms, Y − theta (X − X̄) per household, np.var(ddof=1) per arm, norm.ppf(0.975).
  it('matches a numpy computation over the households themselves', () => {
    const control = [...repeat(40, 0, false), ...repeat(6, 1, false), ...repeat(3, 2, true), ...repeat(2, 0, true), ...repeat(2, 3, true), ...repeat(3, 1, true)];
    const test = [...repeat(35, 0, false), ...repeat(5, 1, false), ...repeat(5, 2, true), ...repeat(4, 0, true), ...repeat(2, 3, true), ...repeat(4, 1, true), ...repeat(1, 4, false)];
    const result = computeCupedLift(computeCupedArmSums(control), computeCupedArmSums(test), 0.95);
    expect(result?.theta).toBeCloseTo(0.2991931869116989, 13);
    expect(result?.control_rate).toBeCloseTo(0.19994237049369282, 13);
    expect(result?.test_rate).toBeCloseTo(0.2464862009348787, 13);
    expect(result?.abs_lift).toBeCloseTo(0.046543830441185874, 13);
    expect(result?.rel_lift).toBeCloseTo(0.23278622898318635, 13);
    expect(result?.ci_abs[0]).toBeCloseTo(-0.07694356569728426, 12);
    expect(result?.ci_abs[1]).toBeCloseTo(0.17003122657965603, 12);
    expect(result?.ci_rel[0]).toBeCloseTo(-0.4385318471861507, 12);
    expect(result?.ci_rel[1]).toBeCloseTo(0.9041043051525234, 12);
    expect(result?.variance_reduction).toBeCloseTo(0.363088099599693, 12);
  });

  it('is the plain difference when no household converted before the study', () => {
    const sums = (households: number, conversions: number) => ({ households, conversions, pre: 0, preSquares: 0, preTimesConversions: 0 });
    const result = computeCupedLift(sums(1000, 20), sums(9000, 234), 0.95);
    const plain = computeLift({ control: { conversions: 20, households: 1000 }, test: { conversions: 234, households: 9000 }, confidence: 0.95 });
    expect(result?.theta).toBe(0);
    expect(result?.variance_reduction).toBeCloseTo(0, 12);
    expect(result?.abs_lift).toBeCloseTo(plain.ok ? plain.value.abs_lift : NaN, 15);
  });

  it('is undefined for arms too small to have a variance', () => {
    const one = { households: 1, conversions: 1, pre: 0, preSquares: 0, preTimesConversions: 0 };
    expect(computeCupedLift(one, { ...one, households: 10 }, 0.95)).toBeUndefined();
  });
});

/**
 * Households whose propensity to convert persists: a latent rate drawn per household gives both
 * its pre-period conversions (a binomial over 28 days) and its chance to convert in a 10-day study.
 */
function simulateArm(random: SeededRandom, households: number, lift: number) {
  const out: Array<{ pre: number; converted: boolean }> = [];
  for (let i = 0; i < households; i++) {
    const heavy = random.chance(0.1);
    const daily = heavy ? 0.04 : 0.0005;
    const pre = drawBinomial(random, 28, daily);
    out.push({ pre, converted: random.chance(daily * 10 * (1 + lift)) });
  }
  return out;
}

describe('CUPED by simulation (fixed seed)', () => {
  it('is unbiased and tighter than the plain difference when pre-period behaviour predicts', () => {
    const random = new SeededRandom(1515);
    const lift = 0.2;
    const trueDiff = (0.1 * 0.04 + 0.9 * 0.0005) * 10 * lift;
    const studies = 200;
    const adjusted: number[] = [];
    const plain: number[] = [];
    let narrower = 0;
    const reductions: number[] = [];
    let covered = 0;
    for (let s = 0; s < studies; s++) {
      const control = computeCupedArmSums(simulateArm(random, 4000, 0));
      const test = computeCupedArmSums(simulateArm(random, 4000, lift));
      const cuped = computeCupedLift(control, test, 0.95);
      const fixed = computeLift({ control, test, confidence: 0.95 });
      if (!cuped || !fixed.ok) continue;
      adjusted.push(cuped.abs_lift);
      plain.push(fixed.value.abs_lift);
      if (cuped.ci_abs[1] - cuped.ci_abs[0] < fixed.value.ci_abs[1] - fixed.value.ci_abs[0]) narrower++;
      reductions.push(cuped.variance_reduction);
      if (cuped.ci_abs[0] <= trueDiff && trueDiff <= cuped.ci_abs[1]) covered++;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = (xs: number[]) => xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
    expect(adjusted.length).toBe(studies);
    expect(mean(reductions)).toBeGreaterThan(0.1);
    // Unbiased: the mean estimate is within 3 standard errors of the true difference.
    expect(Math.abs(mean(adjusted) - trueDiff)).toBeLessThan(3 * Math.sqrt(variance(adjusted) / studies));
    // Tighter: the estimates vary less and every interval is narrower, and the intervals still cover.
    expect(variance(adjusted)).toBeLessThan(0.9 * variance(plain));
    expect(narrower).toBe(studies);
    expect(covered / studies).toBeGreaterThanOrEqual(0.92);
  });
});
