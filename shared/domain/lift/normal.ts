/**
 * The standard normal distribution to double precision, with no dependency.
 *
 * erfc: W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of
 * Computation 23 (1969) 631-637, as coded in Netlib SPECFUN `CALERF` (coefficients from there,
 * rounded to double precision): three rational approximations on |x| <= 0.46875, <= 4 and > 4,
 * each with relative error below about 1e-16 (test/unit/domain/lift/normal.test.ts checks 1e-14 against mpmath references).
 */

/**
 * Cody's coefficients for the three ranges; exported so the warehouse computes p-values in SQL
 * with the very same approximation (shared/application/warehouse/erfc-sql.ts).
 */
export const codyErfc = {
  /** erf(y) = y P(y²) / Q(y²) for y <= smallMax. */
  small: { a: [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315], b: [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171] },
  smallMax: 0.46875,
  /** erfc(y) = exp(-y²) P(y) / Q(y) for y <= middleMax. */
  middle: {
    c: [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8],
    d: [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495],
  },
  middleMax: 4,
  /** erfc(y) = exp(-y²) (1/√π - R(1/y²)) / y above middleMax. */
  large: {
    p: [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097],
    q: [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918],
  },
  oneOverSqrtPi: 0.5641895835477563,
  /** Past this, erfc(y) underflows to 0 in double precision (CALERF's XBIG). */
  underflow: 26.543,
} as const;

/** exp(-y^2) computed as in CALERF: splitting y keeps the rounding of y*y out of the exponent. */
function expMinusSquare(y: number): number {
  const head = Math.trunc(16 * y) / 16;
  return Math.exp(-head * head) * Math.exp(-(y - head) * (y + head));
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in both tails. */
export function computeErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let result: number;
  if (y <= codyErfc.smallMax) {
    const { a, b } = codyErfc.small;
    const ysq = y * y;
    let num = (a[4] as number) * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + (a[i] as number)) * ysq;
      den = (den + (b[i] as number)) * ysq;
    }
    return 1 - (x * (num + (a[3] as number))) / (den + (b[3] as number));
  } else if (y <= codyErfc.middleMax) {
    const { c, d } = codyErfc.middle;
    let num = (c[8] as number) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + (c[i] as number)) * y;
      den = (den + (d[i] as number)) * y;
    }
    result = (expMinusSquare(y) * (num + (c[7] as number))) / (den + (d[7] as number));
  } else if (y < codyErfc.underflow) {
    const { p, q } = codyErfc.large;
    const ysq = 1 / (y * y);
    let num = (p[5] as number) * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + (p[i] as number)) * ysq;
      den = (den + (q[i] as number)) * ysq;
    }
    const tail = (ysq * (num + (p[4] as number))) / (den + (q[4] as number));
    result = (expMinusSquare(y) * (codyErfc.oneOverSqrtPi - tail)) / y;
  } else result = 0;
  return x < 0 ? 2 - result : result;
}

/** Φ(x), the standard normal CDF: erfc(-x/√2)/2, which keeps full relative accuracy for x << 0. */
export function computeNormalCdf(x: number): number {
  return computeErfc(-x / Math.SQRT2) / 2;
}

/** Two-sided p-value of a standard normal statistic: P(|Z| >= |z|) = erfc(|z|/√2). */
export function computeTwoSidedP(z: number): number {
  return computeErfc(Math.abs(z) / Math.SQRT2);
}

// P. J. Acklam's rational approximation of the normal quantile (relative error < 1.15e-9), used as
// the starting point of the Halley refinement below.
const acklam = {
  a: [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239],
  b: [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572],
  c: [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783],
  d: [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416],
};

function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, c) => sum * x + c, 0);
}

function acklamStart(p: number): number {
  const { a, b, c, d } = acklam;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(c, q) / (horner(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -horner(c, q) / (horner(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(a, r) * q) / (horner(b, r) * r + 1);
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's approximation refined by two Halley steps on the
 * Cody CDF above, which brings it to about 1e-15 (Acklam's own note describes the refinement).
 * NaN outside [0, 1]; ±Infinity at the ends.
 */
export function computeNormalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x = acklamStart(p);
  for (let step = 0; step < 2; step++) {
    // Work in the tail nearer to x, where the CDF keeps its relative precision.
    const e = x < 0 ? computeNormalCdf(x) - p : 1 - p - computeNormalCdf(-x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}
