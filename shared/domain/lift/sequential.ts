import type { ArmCounts } from './two-proportion.ts';

/**
 * Always-valid inference for a holdout study looked at again and again: the mixture sequential
 * probability ratio test of Johari, Pekelis & Walsh ("Always valid inference: continuous
 * monitoring of A/B tests", Operations Research 70 (2022); arXiv 1512.04922), on the normal
 * approximation of the difference of the arms' conversion rates θ = p_t − p_c.
 *
 * With θ̂ the observed difference and V its variance at a look, the likelihood ratio of the mixture
 * θ ~ N(0, τ²) against θ = θ0 is
 *   Λ(θ0) = √(V / (V + τ²)) · exp((θ̂ − θ0)² τ² / (2 V (V + τ²))),
 * a martingale under θ0, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α however often one looks.
 * The always-valid p-value is the running minimum of 1/Λ(0) (JPW eq. 9); the confidence sequence
 * is the running intersection of {θ0 : Λ(θ0) < 1/α} (JPW Proposition 6).
 */

/**
 * The mixing standard deviation as a share of the pooled conversion rate: τ = 0.2 p̄, a mixture
 * spread over relative lifts of about ±20 %, what podcast holdout studies report (single-digit to
 * 30 %). Too wide a mixture costs little (a log term in the boundary), too narrow one much (the
 * boundary grows as V/τ²), so it errs wide. Scaling by p̄ keeps the test tuned whatever the
 * advertiser's baseline; docs/lift.md gives the numbers.
 */
export const mixingRelativeSd = 0.2;

/** τ² for a pooled rate: the variance of the normal mixture over θ. */
export function computeMixingVariance(pooledRate: number, relativeSd = mixingRelativeSd): number {
  return (relativeSd * pooledRate) ** 2;
}

/** 1/Λ(θ0) for a difference `estimate` − θ0 with variance `variance` under mixing variance `tau2`; 1 when nothing is known yet. */
export function computeInverseLikelihoodRatio(distance: number, variance: number, tau2: number): number {
  if (!(variance > 0) || !(tau2 > 0)) return 1;
  const total = variance + tau2;
  const logLambda = 0.5 * Math.log(variance / total) + (distance * distance * tau2) / (2 * variance * total);
  return Math.min(1, Math.exp(-logLambda));
}

/** Half the width of {θ0 : Λ(θ0) < 1/α}: √(2 V (V + τ²) / τ² · (ln(1/α) + ½ ln((V + τ²) / V))). */
export function computeSequenceHalfWidth(variance: number, tau2: number, alpha: number): number {
  if (!(variance > 0) || !(tau2 > 0)) return Infinity;
  const total = variance + tau2;
  return Math.sqrt(((2 * variance * total) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log(total / variance)));
}

/** What a sequence of looks carries from one look to the next. */
export interface SequentialState {
  alwaysValidP: number;
  csAbs: [number, number];
  /** The previous look's counts, to tell a cumulative look from the start of another study. */
  last?: { control: ArmCounts; test: ArmCounts };
}

export const initialSequentialState: SequentialState = { alwaysValidP: 1, csAbs: [-1, 1] };

/** The always-valid figures of one look. */
export interface SequentialLook {
  always_valid_p: number;
  cs_abs: [number, number];
}

/**
 * One look of a study: its counts are cumulative (everything since the study started). The
 * p-value tests θ = 0 with the pooled variance p̄(1−p̄)(1/n_c + 1/n_t), as the fixed-horizon z
 * does; the confidence sequence uses the unpooled variance, as the Wald interval does (both as in
 * `earshot lift`). τ² is 0.04 p̄² at every look (see `mixingRelativeSd`).
 */
export function computeSequentialLook(state: SequentialState, control: ArmCounts, test: ArmCounts, confidence: number): { look: SequentialLook; state: SequentialState } {
  const alpha = 1 - confidence;
  const pc = control.conversions / control.households;
  const pt = test.conversions / test.households;
  const pooled = (control.conversions + test.conversions) / (control.households + test.households);
  const tau2 = computeMixingVariance(pooled);
  const diff = pt - pc;
  const pooledVariance = pooled * (1 - pooled) * (1 / control.households + 1 / test.households);
  const p = Math.min(state.alwaysValidP, computeInverseLikelihoodRatio(diff, pooledVariance, tau2));
  const waldVariance = (pc * (1 - pc)) / control.households + (pt * (1 - pt)) / test.households;
  const half = computeSequenceHalfWidth(waldVariance, tau2, alpha);
  const [lastLow, lastHigh] = state.csAbs;
  let cs: [number, number] = [Math.max(lastLow, diff - half), Math.min(lastHigh, diff + half)];
  // An empty intersection happens with probability at most α (the sequence missed θ): the look's own set is then the honest answer.
  if (cs[0] > cs[1]) cs = [Math.max(-1, diff - half), Math.min(1, diff + half)];
  return { look: { always_valid_p: p, cs_abs: cs }, state: { alwaysValidP: p, csAbs: cs, last: { control, test } } };
}

/** Whether a look continues the previous one: no arm's households or conversions went down. */
export function isContinuation(state: SequentialState, control: ArmCounts, test: ArmCounts): boolean {
  const last = state.last;
  if (!last) return true;
  const notBelow = (now: ArmCounts, before: ArmCounts) => now.households >= before.households && now.conversions >= before.conversions;
  return notBelow(control, last.control) && notBelow(test, last.test);
}
