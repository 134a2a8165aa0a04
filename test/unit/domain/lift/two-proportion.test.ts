import { describe, expect, it } from 'vitest';
import { computeLift, type LiftInput, type LiftResult } from '../../../../shared/domain/lift/two-proportion.ts';

// Expected values computed independently with mpmath 1.3.0 at 50 digits from the textbook
// formulas (pooled z = (pt-pc)/sqrt(p(1-p)(1/nc+1/nt)); p = erfc(|z|/√2); Wald se =
// sqrt(pc(1-pc)/nc + pt(1-pt)/nt); log relative risk se = sqrt(1/xt-1/nt+1/xc-1/nc), Agresti
// CDA §3.1.4; critical value sqrt(2)·erfinv(confidence)), rounded to the nearest double. z² is R's
// prop.test(..., correct = FALSE) X-squared: 2.830251652793252² = 8.0103, as R prints it for the
// first case.
const cases: Array<{ name: string; input: LiftInput; expected: LiftResult }> = [
  {
    name: '2.0% vs 2.6% over 10,000 households each',
    input: { control: { conversions: 200, households: 10_000 }, test: { conversions: 260, households: 10_000 }, confidence: 0.95 },
    expected: {
      control_rate: 0.02, test_rate: 0.026, abs_lift: 0.006, rel_lift: 0.3, z: 2.830251652793252, p_value: 0.004651140450960605,
      ci_abs: [0.0018458009669629102, 0.01015419903303709], ci_rel: [0.08341447790563085, 0.5598831605674784], incremental_conversions: 60,
    },
  },
  {
    name: 'no difference',
    input: { control: { conversions: 50, households: 1000 }, test: { conversions: 50, households: 1000 }, confidence: 0.95 },
    expected: {
      control_rate: 0.05, test_rate: 0.05, abs_lift: 0, rel_lift: 0, z: 0, p_value: 1,
      ci_abs: [-0.019103365880544242, 0.019103365880544242], ci_rel: [-0.31755088918464913, 0.46531072302996723], incremental_conversions: 0,
    },
  },
  {
    name: 'a negative lift',
    input: { control: { conversions: 30, households: 500 }, test: { conversions: 18, households: 500 }, confidence: 0.95 },
    expected: {
      control_rate: 0.06, test_rate: 0.036, abs_lift: -0.024, rel_lift: -0.4, z: -1.7751790062418158, p_value: 0.07586833499439012,
      ci_abs: [-0.05045646478275273, 0.002456464782752727], ci_rel: [-0.661040554368539, 0.06207395793128497], incremental_conversions: -12,
    },
  },
  {
    name: 'tiny arms (the Wald interval may leave [−1, 1]; it is reported as computed)',
    input: { control: { conversions: 1, households: 10 }, test: { conversions: 9, households: 10 }, confidence: 0.95 },
    expected: {
      control_rate: 0.1, test_rate: 0.9, abs_lift: 0.8, rel_lift: 8, z: 3.5777087639996634, p_value: 0.00034661935113466697,
      ci_abs: [0.5370432378270255, 1.0629567621729745], ci_rel: [0.38596549156292936, 57.44301354765889], incremental_conversions: 8,
    },
  },
  {
    name: '99% confidence',
    input: { control: { conversions: 1200, households: 100_000 }, test: { conversions: 1400, households: 100_000 }, confidence: 0.99 },
    expected: {
      control_rate: 0.012, test_rate: 0.014, abs_lift: 0.002, rel_lift: 0.16666666666666666, z: 3.9480691014472913, p_value: 7.87840663392555e-05,
      ci_abs: [0.0006951956208603361, 0.003304804379139664], ci_rel: [0.054930608123465945, 0.2902375764148941], incremental_conversions: 200,
    },
  },
  {
    name: '90% confidence, a small p-value',
    input: { control: { conversions: 5000, households: 50_000 }, test: { conversions: 5600, households: 50_000 }, confidence: 0.9 },
    expected: {
      control_rate: 0.1, test_rate: 0.112, abs_lift: 0.012, rel_lift: 0.12, z: 6.163530626883206, p_value: 7.11406112145385e-10,
      ci_abs: [0.008798183513568897, 0.015201816486431104], ci_rel: [0.08661011913567801, 0.1544159012597702], incremental_conversions: 600,
    },
  },
  {
    name: 'an exposed share of 40% divides the effects, not the rates, z, p or incremental conversions',
    input: { control: { conversions: 200, households: 10_000 }, test: { conversions: 260, households: 10_000 }, confidence: 0.95, exposedShare: 0.4 },
    expected: {
      control_rate: 0.02, test_rate: 0.026, abs_lift: 0.015, rel_lift: 0.75, z: 2.830251652793252, p_value: 0.004651140450960605,
      ci_abs: [0.004614502417407276, 0.025385497582592724], ci_rel: [0.20853619476407712, 1.3997079014186962], incremental_conversions: 60,
    },
  },
  {
    name: 'every control household converted (the relative interval still exists)',
    input: { control: { conversions: 10, households: 10 }, test: { conversions: 5, households: 10 }, confidence: 0.95 },
    expected: {
      control_rate: 1, test_rate: 0.5, abs_lift: -0.5, rel_lift: -0.5, z: -2.581988897471611, p_value: 0.009823274507519249,
      ci_abs: [-0.8098975161522808, -0.1901024838477192], ci_rel: [-0.7309726449364552, -0.07072646965231645], incremental_conversions: -5,
    },
  },
];

function expectClose(actual: number, expected: number, label: string): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected) / scale, `${label}: ${actual} vs ${expected}`).toBeLessThan(expected === 0 ? Infinity : 1e-12);
  if (expected === 0) expect(Math.abs(actual), label).toBeLessThan(1e-15);
}

describe('computeLift', () => {
  for (const { name, input, expected } of cases) {
    it(name, () => {
      const result = computeLift(input);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      for (const [key, value] of Object.entries(expected) as Array<[keyof LiftResult, number | [number, number]]>) {
        const actual = result.value[key];
        if (Array.isArray(value) && Array.isArray(actual)) value.forEach((v, i) => expectClose(actual[i] as number, v, `${key}[${i}]`));
        else expectClose(actual as number, value as number, key);
      }
    });
  }

  const base: LiftInput = { control: { conversions: 200, households: 10_000 }, test: { conversions: 260, households: 10_000 }, confidence: 0.95 };
  const refusals: Array<{ name: string; input: LiftInput; path: string }> = [
    { name: 'no conversions in the control arm', input: { ...base, control: { conversions: 0, households: 10_000 } }, path: '/control/conversions' },
    { name: 'no conversions in the test arm', input: { ...base, test: { conversions: 0, households: 10_000 } }, path: '/test/conversions' },
    { name: 'no households', input: { ...base, test: { conversions: 0, households: 0 } }, path: '/test/households' },
    { name: 'more conversions than households', input: { ...base, control: { conversions: 11, households: 10 } }, path: '/control/conversions' },
    { name: 'a fractional count', input: { ...base, control: { conversions: 2.5, households: 10 } }, path: '/control/conversions' },
    { name: 'negative households', input: { ...base, control: { conversions: 1, households: -10 } }, path: '/control/households' },
    { name: 'confidence 1', input: { ...base, confidence: 1 }, path: '/confidence' },
    { name: 'confidence 0', input: { ...base, confidence: 0 }, path: '/confidence' },
    { name: 'confidence NaN', input: { ...base, confidence: Number.NaN }, path: '/confidence' },
    { name: 'exposed share 0', input: { ...base, exposedShare: 0 }, path: '/exposed_share' },
    { name: 'exposed share over 1', input: { ...base, exposedShare: 1.5 }, path: '/exposed_share' },
    { name: 'every household converting in both arms', input: { ...base, control: { conversions: 5, households: 5 }, test: { conversions: 7, households: 7 } }, path: '/' },
  ];
  for (const { name, input, path } of refusals) {
    it(`refuses ${name} with a reason, never NaN`, () => {
      const result = computeLift(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors.map((e) => e.path)).toContain(path);
        for (const e of result.errors) expect(e.message.length).toBeGreaterThan(5);
      }
    });
  }

  it('gives finite numbers at the edges it accepts (one conversion per arm, huge arms)', () => {
    for (const input of [
      { ...base, control: { conversions: 1, households: 1 }, test: { conversions: 1, households: 2 } },
      { ...base, control: { conversions: 1, households: 1e9 }, test: { conversions: 1e6, households: 1e9 } },
    ]) {
      const result = computeLift(input);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      for (const value of Object.values(result.value).flat()) expect(Number.isFinite(value)).toBe(true);
    }
  });
});
