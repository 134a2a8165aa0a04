import { describe, expect, it } from 'vitest';
import { computeErfc, computeNormalCdf, computeNormalQuantile, computeTwoSidedP } from '../../../../shared/domain/lift/normal.ts';

// Reference values from mpmath 1.3.0 at 50 significant digits (mp.dps = 50; erfc, ncdf, and
// sqrt(2)*erfinv(2p-1) for the quantile; 1e-20 and 1e-5 by findroot on log(ncdf(x)) - log(p)),
// rounded to the nearest double. The tests ask for 1e-14 relative error, far inside the 1e-9.
const relativeTolerance = 1e-14;

function expectClose(actual: number, expected: number, tolerance = relativeTolerance): void {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThan(tolerance);
  else expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

describe('computeErfc (Cody 1969)', () => {
  // Each of Cody's three ranges (|x| <= 0.46875, <= 4, > 4), their edges, and negative x.
  const cases: Array<[number, number]> = [
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.46875, 0.507386526782062],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-05],
    [3.999, 1.5544749490995007e-08],
    [4, 1.541725790028002e-08],
    [4.5, 1.9661604415428876e-10],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
    [-1, 1.842700792949715],
    [-3, 1.9999779095030015],
  ];
  for (const [x, expected] of cases) it(`erfc(${x}) = ${expected}`, () => expectClose(computeErfc(x), expected));

  it('underflows to 0 far in the upper tail and is 2 far in the lower one', () => {
    expect(computeErfc(27)).toBe(0);
    expect(computeErfc(-30)).toBe(2);
  });
  it('is NaN for NaN', () => expect(computeErfc(Number.NaN)).toBeNaN());
});

describe('computeNormalCdf', () => {
  const cases: Array<[number, number]> = [
    [-1, 0.15865525393145705],
    [0, 0.5],
    [2.5, 0.9937903346742238],
    [-5, 2.866515718791939e-07],
    [-10, 7.619853024160525e-24],
    [-37, 5.725571222524577e-300],
  ];
  // Φ's condition number in the lower tail is about x²: rounding -x/√2 to a double alone moves
  // Φ(-37) by about 1e-13 relative, whatever the algorithm.
  for (const [x, expected] of cases) {
    it(`Φ(${x}) = ${expected}`, () => expectClose(computeNormalCdf(x), expected, relativeTolerance * Math.max(1, x * x / 10)));
  }
});

describe('computeTwoSidedP', () => {
  it('is erfc(|z|/√2): 1 at z = 0, 0.05 at the 97.5% quantile, symmetric in z', () => {
    expect(computeTwoSidedP(0)).toBe(1);
    expectClose(computeTwoSidedP(1.959963984540054), 0.05, 1e-13);
    expect(computeTwoSidedP(-2.1)).toBe(computeTwoSidedP(2.1));
  });
});

describe('computeNormalQuantile (Acklam + Halley)', () => {
  const cases: Array<[number, number]> = [
    [0.975, 1.9599639845400543],
    [0.025, -1.9599639845400543],
    [0.5, 0],
    [0.995, 2.575829303548901],
    [0.95, 1.6448536269514726],
    [0.9, 1.2815515655446006],
    // Acklam's region boundary, and the tails.
    [0.02425, -1.972961051311885],
    [1e-5, -4.264890793922825],
    [1e-10, -6.361340902404057],
    [1e-20, -9.262340089798407],
    [0.999999, 4.753424308822899],
  ];
  for (const [p, expected] of cases) {
    // Near 1 the input itself carries a relative error of 1e-16 / (1 - p) in its tail.
    const tolerance = p > 0.99 ? 1e-10 : relativeTolerance;
    it(`Φ⁻¹(${p}) = ${expected}`, () => expectClose(computeNormalQuantile(p), expected, tolerance));
  }

  it('inverts the CDF deep in the lower tail', () => expectClose(computeNormalCdf(computeNormalQuantile(1e-300)), 1e-300, 1e-12));
  it('is ±Infinity at 0 and 1 and NaN outside [0, 1]', () => {
    expect(computeNormalQuantile(0)).toBe(-Infinity);
    expect(computeNormalQuantile(1)).toBe(Infinity);
    expect(computeNormalQuantile(-0.1)).toBeNaN();
    expect(computeNormalQuantile(1.1)).toBeNaN();
    expect(computeNormalQuantile(Number.NaN)).toBeNaN();
  });
});
