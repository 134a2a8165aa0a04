import { describe, expect, it } from 'vitest';
import { computeCohensH, computePowerPlan, type PowerInput } from '../../../../shared/domain/lift/power.ts';

// Expected values from statsmodels 0.13.5 (Debian python3-statsmodels):
//   h = proportion_effectsize(baseline * (1 + mde), baseline)
//   nobs1 = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power,
//             ratio=(1 - holdout) / holdout, alternative='two-sided')
// nobs1 is the control arm, nobs1 * ratio the test arm; earshot rounds each up.
const households: Array<{ input: PowerInput; h: number; control: number; test: number }> = [
  { input: { baseline: 0.02, mde: 0.1, alpha: 0.05, power: 0.8, holdout: 0.1 }, h: 0.013952450866945354, control: 44798.461324891025, test: 403186.1519240192 },
  { input: { baseline: 0.02, mde: 0.2, alpha: 0.05, power: 0.8, holdout: 0.5 }, h: 0.02729749258363351, control: 21066.437206055296, test: 21066.437206055296 },
  { input: { baseline: 0.05, mde: 0.05, alpha: 0.01, power: 0.9, holdout: 0.2 }, h: 0.011338312223165004, control: 144676.57982679093, test: 578706.3193071637 },
  { input: { baseline: 0.01, mde: 0.3, alpha: 0.05, power: 0.8, holdout: 0.1 }, h: 0.02819723162450455, control: 10968.59895722044, test: 98717.39061498396 },
  { input: { baseline: 0.1, mde: -0.1, alpha: 0.05, power: 0.8, holdout: 0.3 }, h: -0.03411580076248932, control: 9633.795694387298, test: 22478.856620237028 },
  { input: { baseline: 0.3, mde: 0.5, alpha: 0.1, power: 0.95, holdout: 0.05 }, h: 0.31134942490592854, control: 117.51511647691346, test: 2232.7872130613555 },
];

describe('earshot power against statsmodels NormalIndPower', () => {
  for (const { input, h, control, test } of households) {
    it(`baseline ${input.baseline}, mde ${input.mde}, alpha ${input.alpha}, power ${input.power}, holdout ${input.holdout}`, () => {
      const result = computePowerPlan(input);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.value.cohens_h).toBeCloseTo(h, 14);
      expect(result.value.control_households).toBe(Math.ceil(control));
      expect(result.value.test_households).toBe(Math.ceil(test));
      expect(result.value.total_households).toBe(Math.ceil(control) + Math.ceil(test));
    });
  }

  // statsmodels: NormalIndPower().power(h, nobs1=round(N*holdout), alpha, ratio=(N-nobs1)/nobs1).
  it('gives the power of a study with its households', () => {
    const plan = computePowerPlan({ baseline: 0.02, mde: 0.1, alpha: 0.05, power: 0.8, holdout: 0.1, totalHouseholds: 200_000 });
    expect(plan.ok && plan.value.power).toBeCloseTo(0.46498353419977456, 12);
    const even = computePowerPlan({ baseline: 0.05, mde: 0.05, alpha: 0.05, power: 0.8, holdout: 0.5, totalHouseholds: 40_000 });
    expect(even.ok && even.value.power).toBeCloseTo(0.20535246152960632, 12);
  });

  // statsmodels: h = solve_power(effect_size=None, nobs1, alpha, power, ratio); mde = sin²(asin √p + h/2) / p − 1.
  it('gives the smallest lift a study with its households detects', () => {
    const small = computePowerPlan({ baseline: 0.02, alpha: 0.05, power: 0.8, holdout: 0.1, totalHouseholds: 200_000 });
    expect(small.ok && small.value.cohens_h).toBeCloseTo(0.020881955494117324, 6);
    expect(small.ok && small.value.mde).toBeCloseTo(0.15139554801083577, 4);
    const even = computePowerPlan({ baseline: 0.05, alpha: 0.05, power: 0.9, holdout: 0.5, totalHouseholds: 40_000 });
    expect(even.ok && even.value.mde).toBeCloseTo(0.14599749779234306, 4);
  });

  it("computes Cohen's h as 2 asin √p1 − 2 asin √p2", () => {
    expect(computeCohensH(0.5, 0.5)).toBe(0);
    expect(computeCohensH(1, 0)).toBeCloseTo(Math.PI, 15);
  });

  const refused: Array<[string, PowerInput, RegExp]> = [
    ['a baseline of 0', { baseline: 0, mde: 0.1, alpha: 0.05, power: 0.8, holdout: 0.1 }, /\/baseline/],
    ['a lift of 0', { baseline: 0.02, mde: 0, alpha: 0.05, power: 0.8, holdout: 0.1 }, /\/mde/],
    ['a test rate of 1 or more', { baseline: 0.5, mde: 1, alpha: 0.05, power: 0.8, holdout: 0.1 }, /\/mde/],
    ['a holdout of 1', { baseline: 0.02, mde: 0.1, alpha: 0.05, power: 0.8, holdout: 1 }, /\/holdout/],
    ['a power of 1', { baseline: 0.02, mde: 0.1, alpha: 0.05, power: 1, holdout: 0.1 }, /\/power/],
    ['an alpha of 0', { baseline: 0.02, mde: 0.1, alpha: 0, power: 0.8, holdout: 0.1 }, /\/alpha/],
    ['neither a lift nor households', { baseline: 0.02, alpha: 0.05, power: 0.8, holdout: 0.1 }, /\/mde/],
    ['a fractional household count', { baseline: 0.02, alpha: 0.05, power: 0.8, holdout: 0.1, totalHouseholds: 10.5 }, /\/households/],
  ];
  for (const [name, input, path] of refused) {
    it(`refuses ${name}`, () => {
      const result = computePowerPlan(input);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(!result.ok && result.errors)).toMatch(path);
    });
  }
});

describe('earshot power on the command line', () => {
  it('prints exactly the DESIGN.md fields for --baseline and --mde, and exits 2 naming a bad option', async () => {
    const { main } = await import('../../../../cli/main.ts');
    const { vi } = await import('vitest');
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const ok = await main(['power', '--baseline', '0.02', '--mde', '0.1']);
    const bad = await main(['power', '--baseline', '0.02', '--mde', '0.1', '--holdout', '1.5']);
    vi.restoreAllMocks();
    expect(ok).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ cohens_h: 0.013952450866945354, control_households: 44799, test_households: 403187, total_households: 447986 });
    expect(bad).toBe(2);
    expect(stderr).toMatch(/^earshot power: --holdout must be between 0 and 1/);
  });
});
