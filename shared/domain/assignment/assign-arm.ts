import { createHmac } from 'node:crypto';
import { tryTruncateIp } from '../privacy/ip.ts';

/** Buckets a household can fall in; the holdout share selects the lowest ones. */
export const bucketCount = 10_000;

export type Arm = 'control' | 'test';

/** A household's place in one study. */
export interface Assignment {
  study: string;
  arm: Arm;
  bucket: number;
}

// A household key as a caller may pass one instead of an address (base64url, hex, UUID-like).
const householdKeyPattern = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The bytes a household is assigned by: its address truncated as for household keys (the whole
 * IPv4 address, an IPv6 /64), or a household key the caller already has. Not the monthly household
 * key: that rotates, and a household must keep its arm for the whole study. Domain-separated, so an
 * address and a key can never collide. Undefined for text that is neither.
 */
export function tryHouseholdIdentity(ipOrKey: string): Buffer | undefined {
  const truncated = tryTruncateIp(ipOrKey);
  if (truncated) return Buffer.concat([Buffer.from('ip:'), truncated]);
  return householdKeyPattern.test(ipOrKey) ? Buffer.from(`key:${ipOrKey}`) : undefined;
}

/**
 * HMAC-SHA256(study salt, household) as a bucket 0..9999: stable (a pure function of its inputs),
 * uniform (HMAC output is indistinguishable from random; the first 48 bits modulo 10,000 leave a
 * bias below 1e-11) and independent across studies (each study has its own secret salt).
 */
export function computeBucket(salt: string, household: Buffer): number {
  // Empty is what a function that is not given the study salts holds (shared/platform/config/merge-secrets.ts).
  if (salt === '') throw new Error('a lift study needs its salt, and this function is not given it');
  return createHmac('sha256', salt).update(household).digest().readUIntBE(0, 6) % bucketCount;
}

/** Control when the bucket falls in the lowest `holdoutShare` of the buckets, else test. */
export function computeArm(bucket: number, holdoutShare: number): Arm {
  return bucket < Math.round(holdoutShare * bucketCount) ? 'control' : 'test';
}

/** A household's arm in a study (README.md, lift studies: control households get a ghost ad instead of the ad). */
export function computeAssignment(study: { id: string; salt: string; holdout_share: number }, household: Buffer): Assignment {
  const bucket = computeBucket(study.salt, household);
  return { study: study.id, arm: computeArm(bucket, study.holdout_share), bucket };
}
