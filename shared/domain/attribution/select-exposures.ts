import type { AttributionRules } from './attribution-rules.ts';
import { compareExposures, type Exposure } from './exposure.ts';

const daySeconds = 86_400;

/** The advertiser's exposures of a household that may explain a conversion, oldest first. */
export interface EligibleExposures {
  /** Real deliveries: the ones that can earn credit. */
  real: Exposure[];
  /** Ghost deliveries (holdout placeholders): never credited, but they place the household in a study's control arm. */
  ghost: Exposure[];
}

/** Whether an exposure is the advertiser's: by the ad's advertiser id, else by a configured campaign. */
export function isAdvertisersExposure(exposure: Exposure, rules: Pick<AttributionRules, 'advertiser' | 'campaigns'>): boolean {
  return exposure.advertiser_id === undefined ? rules.campaigns.has(exposure.campaign_id) : exposure.advertiser_id === rules.advertiser;
}

/**
 * Whether an exposure at `exposureTs` (s) falls in the lookback of a conversion at `conversionMs`:
 * no later than the conversion (an exposure after it cannot have caused it) and no earlier than
 * `lookbackDays` before it (both ends included).
 */
export function isInLookback(exposureTs: number, conversionMs: number, lookbackDays: number): boolean {
  const ms = exposureTs * 1000;
  return ms <= conversionMs && ms >= conversionMs - lookbackDays * daySeconds * 1000;
}

/** The advertiser's exposures in the lookback, split into real and ghost, each oldest first. */
export function selectExposures(exposures: readonly Exposure[], conversionMs: number, rules: Pick<AttributionRules, 'advertiser' | 'campaigns' | 'lookbackDays'>): EligibleExposures {
  const eligible = exposures.filter((x) => isAdvertisersExposure(x, rules) && isInLookback(x.ts, conversionMs, rules.lookbackDays)).sort(compareExposures);
  return { real: eligible.filter((x) => !x.ghost), ghost: eligible.filter((x) => x.ghost) };
}
