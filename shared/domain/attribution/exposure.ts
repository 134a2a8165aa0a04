/**
 * One ad delivery to a household, as counting records it in the household's state document
 * (`shared/domain/counting/state/household-doc.ts`) and attribution reads it.
 */
export interface Exposure {
  /** Delivery time, seconds since the epoch. */
  ts: number;
  campaign_id: string;
  creative_id: string;
  ad_id: string;
  advertiser_id?: string;
  /** 31-bit hash of the delivering User-Agent: tells cross-device conversions from same-device ones. */
  ua: number;
  /** A holdout placeholder: the household is in a study's control arm and did not hear the ad. */
  ghost: boolean;
  /** Lift study the placement was assigned in, when the platform named one. */
  study_id?: string;
  /** 31-bit hash of the delivering event id: makes recording an exposure idempotent. */
  event: number;
}

/** Orders exposures by time, then by event and ad, so ties are broken the same way every time. */
export function compareExposures(a: Exposure, b: Exposure): number {
  return a.ts - b.ts || a.event - b.event || (a.ad_id < b.ad_id ? -1 : a.ad_id > b.ad_id ? 1 : 0);
}
