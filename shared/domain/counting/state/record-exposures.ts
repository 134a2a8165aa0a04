import type { Exposure } from '../../attribution/exposure.ts';
import type { EnrichedBeacon } from '../../../contracts/schemas/beacon-message.ts';
import { computeHash31 } from '../hash31.ts';
import type { WindowRequest } from '../listener-window.ts';
import type { Verdict } from '../verdict.ts';

export const maxExposuresPerHousehold = 500;

/**
 * A household's exposures with the ads `verdict` delivered added, each (event, ad) once, ghost
 * ones flagged; `exposures` itself when none is new. Kept in time order, since uploads arrive out
 * of order, so the cap drops the oldest.
 */
export function addExposures(exposures: readonly Exposure[], beacon: EnrichedBeacon, verdict: Verdict, request: WindowRequest): readonly Exposure[] {
  const delivered = new Set([...verdict.ads_delivered, ...verdict.ghost_ads_delivered]);
  const ua = computeHash31(beacon.user_agent);
  let added: Exposure[] | undefined;
  for (const ad of beacon.ads ?? []) {
    if (!delivered.has(ad.ad_id) || [...exposures, ...(added ?? [])].some((x) => x.event === request.eventHash && x.ad_id === ad.ad_id)) continue;
    const exposure: Exposure = { ts: request.ts, campaign_id: ad.campaign_id, creative_id: ad.creative_id, ad_id: ad.ad_id, ua, ghost: ad.ghost === true, event: request.eventHash };
    if (ad.advertiser_id !== undefined) exposure.advertiser_id = ad.advertiser_id;
    if (ad.study_id !== undefined) exposure.study_id = ad.study_id;
    (added ??= []).push(exposure);
  }
  if (!added) return exposures;
  return [...exposures, ...added].sort((a, b) => a.ts - b.ts).slice(-maxExposuresPerHousehold);
}
