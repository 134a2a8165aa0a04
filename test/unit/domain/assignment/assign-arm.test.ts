import { describe, expect, it } from 'vitest';
import { bucketCount, computeArm, computeAssignment, computeBucket, tryHouseholdIdentity } from '../../../../shared/domain/assignment/assign-arm.ts';

const households = 100_000;
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const identities = Array.from({ length: households }, (_, i) => tryHouseholdIdentity(ipOf(i)) as Buffer);

/** Pearson's chi-square of observed counts against equal expected counts. */
function chiSquareUniform(counts: readonly number[]): number {
  const expected = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
}

// Critical values of the chi-square distribution at the 0.1% level (scipy.stats.chi2.ppf(0.999, df)):
// 27.877 for 9 degrees of freedom, 10.828 for 1. The inputs are fixed, so the test is
// deterministic; a sound HMAC fails it with probability 0.001 for a given salt.
const chiSquare999 = { df9: 27.877, df1: 10.828 };

describe('assignment buckets', () => {
  it('are uniform: chi-square over 100,000 households in 10 bins below the 0.1% critical value', () => {
    const bins = new Array<number>(10).fill(0);
    for (const household of identities) bins[Math.floor(computeBucket('salt_study_uniformity', household) / (bucketCount / 10))]! += 1;
    expect(chiSquareUniform(bins)).toBeLessThan(chiSquare999.df9);
  });

  it('put the holdout share in control: 10 arms of 10% each, and a 20% holdout', () => {
    const arms = new Array<number>(10).fill(0);
    let control = 0;
    for (const household of identities) {
      const bucket = computeBucket('salt_study_arms', household);
      arms[bucket % 10]! += 1;
      if (computeAssignment({ id: 's', salt: 'salt_study_arms', holdout_share: 0.2 }, household).arm === 'control') control++;
    }
    expect(chiSquareUniform(arms)).toBeLessThan(chiSquare999.df9);
    // Binomial sd of the share: sqrt(0.2 * 0.8 / 100000) = 0.00126; allow 4 sd.
    expect(Math.abs(control / households - 0.2)).toBeLessThan(4 * 0.00126);
  });

  it('are independent across studies: arms of two studies cross-tabulated, chi-square below the 0.1% critical value', () => {
    const table = [0, 0, 0, 0];
    for (const household of identities) {
      const a = computeAssignment({ id: 'a', salt: 'salt_study_aaaaa', holdout_share: 0.5 }, household).arm === 'control' ? 1 : 0;
      const b = computeAssignment({ id: 'b', salt: 'salt_study_bbbbb', holdout_share: 0.5 }, household).arm === 'control' ? 1 : 0;
      table[a * 2 + b]! += 1;
    }
    const [n00, n01, n10, n11] = table as [number, number, number, number];
    // Pearson's chi-square for a 2x2 table: n (ad - bc)^2 / (row and column totals).
    const chi2 = (households * (n00 * n11 - n01 * n10) ** 2) / ((n00 + n01) * (n10 + n11) * (n00 + n10) * (n01 + n11));
    expect(chi2).toBeLessThan(chiSquare999.df1);
  });

  it('are stable: the same household and salt always give the same bucket, whatever the day', () => {
    const study = { id: 's', salt: 'salt_study_stable', holdout_share: 0.3 };
    const once = computeAssignment(study, tryHouseholdIdentity('203.0.113.9') as Buffer);
    expect(computeAssignment(study, tryHouseholdIdentity('203.0.113.9') as Buffer)).toEqual(once);
    expect(once.bucket).toBe(computeBucket(study.salt, tryHouseholdIdentity('203.0.113.9') as Buffer));
  });

  it('treat an IPv6 /64 as one household, as household keys do', () => {
    const a = tryHouseholdIdentity('2001:db8:1:2::1') as Buffer;
    const b = tryHouseholdIdentity('2001:db8:1:2:ffff:ffff:ffff:ffff') as Buffer;
    const other = tryHouseholdIdentity('2001:db8:1:3::1') as Buffer;
    expect(a.equals(b)).toBe(true);
    expect(a.equals(other)).toBe(false);
  });
});

describe('computeArm', () => {
  const cases: Array<[number, number, 'control' | 'test']> = [
    [0, 0.2, 'control'],
    [1999, 0.2, 'control'],
    [2000, 0.2, 'test'],
    [9999, 0.2, 'test'],
    [4999, 0.5, 'control'],
    [5000, 0.5, 'test'],
    [0, 0.0001, 'control'],
    [1, 0.0001, 'test'],
  ];
  for (const [bucket, share, arm] of cases) it(`bucket ${bucket} with a ${share} holdout is ${arm}`, () => expect(computeArm(bucket, share)).toBe(arm));
});

describe('tryHouseholdIdentity', () => {
  it('takes an address or a household key, and keeps them apart', () => {
    expect(tryHouseholdIdentity('203.0.113.9')?.toString('latin1').startsWith('ip:')).toBe(true);
    expect(tryHouseholdIdentity('hh_0123456789abcdef')?.toString()).toBe('key:hh_0123456789abcdef');
  });
  for (const bad of ['', 'not an address', 'short_key', '999.1.1.1', 'a'.repeat(129), 'key/with/slashes/1234']) {
    it(`refuses ${JSON.stringify(bad.slice(0, 20))}`, () => expect(tryHouseholdIdentity(bad)).toBeUndefined());
  }
});
