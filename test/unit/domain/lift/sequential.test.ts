import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../cli/simulate/random.ts';
import { computeSequentialLook, initialSequentialState, isContinuation, type SequentialState } from '../../../../shared/domain/lift/sequential.ts';
import { computeLift, type ArmCounts } from '../../../../shared/domain/lift/two-proportion.ts';
import { drawBinomial } from '../../../support/binomial.ts';

const arm = (conversions: number, households: number): ArmCounts => ({ conversions, households });

// Independent references with scipy 1.10.1 (Debian python3-scipy): the mixture likelihood ratio
// by numerical integration, Λ(θ0) = ∫ N(θ̂; θ, V) N(θ; θ0, τ²) dθ / N(θ̂; θ0, V) (quad, relative
// tolerance 1e-12), with τ = 0.2 p̄, V pooled for the p-value (1/Λ(0)) and unpooled for the
// confidence sequence, whose ends are the roots of Λ(θ0) = 1/α found by brentq.
const references: Array<{ control: ArmCounts; test: ArmCounts; p: number; cs: [number, number] }> = [
  { control: arm(200, 10_000), test: arm(260, 10_000), p: 0.08781149193445362, cs: [-0.0004899215911548149, 0.012489921591154812] },
  { control: arm(20, 1000), test: arm(35, 9000), p: 0.031589727949915, cs: [-0.06223392505911815, 0.030011702836895998] },
  { control: arm(500, 20_000), test: arm(4800, 180_000), p: 1, cs: [-0.0019325054517669012, 0.005265838785100235] },
  { control: arm(30, 1000), test: arm(290, 9000), p: 1, cs: [-0.017723661093607596, 0.02216810553805204] },
  { control: arm(1000, 50_000), test: arm(10_800, 450_000), p: 1.5549080451472927e-6, cs: [0.0018796670226402948, 0.006120332977359705] },
];

describe('mixture SPRT of one look', () => {
  for (const { control, test, p, cs } of references) {
    it(`${control.conversions}/${control.households} vs ${test.conversions}/${test.households}`, () => {
      const { look } = computeSequentialLook(initialSequentialState, control, test, 0.95);
      expect(look.always_valid_p).toBeCloseTo(p, 9);
      expect(look.cs_abs[0]).toBeCloseTo(cs[0], 9);
      expect(look.cs_abs[1]).toBeCloseTo(cs[1], 9);
    });
  }

  it('keeps the running minimum of the p-value and the running intersection of the sequence', () => {
    const first = computeSequentialLook(initialSequentialState, arm(1000, 50_000), arm(10_800, 450_000), 0.95);
    const second = computeSequentialLook(first.state, arm(1000, 50_001), arm(10_000, 450_001), 0.95);
    expect(second.look.always_valid_p).toBe(first.look.always_valid_p);
    expect(second.look.cs_abs[0]).toBeGreaterThanOrEqual(first.look.cs_abs[0]);
    expect(second.look.cs_abs[1]).toBeLessThanOrEqual(first.look.cs_abs[1]);
  });

  it('learns nothing from a look without conversions', () => {
    const { look } = computeSequentialLook(initialSequentialState, arm(0, 100), arm(0, 900), 0.95);
    expect(look).toEqual({ always_valid_p: 1, cs_abs: [-1, 1] });
  });

  it('tells a cumulative look from the start of another study', () => {
    const { state } = computeSequentialLook(initialSequentialState, arm(10, 100), arm(90, 900), 0.95);
    expect(isContinuation(state, arm(10, 120), arm(95, 1000))).toBe(true);
    expect(isContinuation(state, arm(9, 120), arm(95, 1000))).toBe(false);
    expect(isContinuation(state, arm(10, 120), arm(95, 800))).toBe(false);
  });
});

/** Daily cumulative looks at a simulated study: `households` a day, `holdout` of them in control. */
function* simulateStudy(random: SeededRandom, days: number, households: number, holdout: number, controlRate: number, testRate: number) {
  let control = arm(0, 0);
  let test = arm(0, 0);
  for (let day = 0; day < days; day++) {
    const nc = drawBinomial(random, households, holdout);
    const nt = households - nc;
    control = arm(control.conversions + drawBinomial(random, nc, controlRate), control.households + nc);
    test = arm(test.conversions + drawBinomial(random, nt, testRate), test.households + nt);
    yield { control, test };
  }
}

/** Whether each way of looking ever declared the study significant at 5 %, looking every day. */
function peekDaily(looks: Iterable<{ control: ArmCounts; test: ArmCounts }>): { sequential: boolean; fixedHorizon: boolean; coveredZero: boolean } {
  let state: SequentialState = initialSequentialState;
  let fixedHorizon = false;
  let coveredZero = true;
  for (const { control, test } of looks) {
    const step = computeSequentialLook(state, control, test, 0.95);
    state = step.state;
    const fixed = computeLift({ control, test, confidence: 0.95 });
    if (fixed.ok && fixed.value.p_value < 0.05) fixedHorizon = true;
    if (step.look.cs_abs[0] > 0 || step.look.cs_abs[1] < 0) coveredZero = false;
  }
  return { sequential: state.alwaysValidP < 0.05, fixedHorizon, coveredZero };
}

describe('always valid under daily peeking (simulation, fixed seeds)', () => {
  it('A/A studies looked at daily for 30 days: the mixture SPRT stays at or under 5 % false positives, the fixed-horizon p-value does not', () => {
    const random = new SeededRandom(20_260_315);
    const studies = 1000;
    let sequential = 0;
    let fixedHorizon = 0;
    let missedByCs = 0;
    for (let s = 0; s < studies; s++) {
      const outcome = peekDaily(simulateStudy(random, 30, 2000, 0.2, 0.02, 0.02));
      if (outcome.sequential) sequential++;
      if (outcome.fixedHorizon) fixedHorizon++;
      if (!outcome.coveredZero) missedByCs++;
    }
    expect(sequential / studies).toBeLessThanOrEqual(0.05);
    expect(missedByCs / studies).toBeLessThanOrEqual(0.05);
    // Peeking 30 times at a fixed-horizon test inflates its 5 % several times over.
    expect(fixedHorizon / studies).toBeGreaterThan(0.15);
  });

  it('a true 30 % lift is still found in most studies, and the sequence covers it', () => {
    const random = new SeededRandom(7);
    const studies = 300;
    let found = 0;
    let covered = 0;
    for (let s = 0; s < studies; s++) {
      let state: SequentialState = initialSequentialState;
      for (const { control, test } of simulateStudy(random, 30, 4000, 0.2, 0.02, 0.026)) state = computeSequentialLook(state, control, test, 0.95).state;
      if (state.alwaysValidP < 0.05) found++;
      if (state.csAbs[0] <= 0.006 && 0.006 <= state.csAbs[1]) covered++;
    }
    expect(found / studies).toBeGreaterThan(0.8);
    expect(covered / studies).toBeGreaterThanOrEqual(0.95);
  });
});
