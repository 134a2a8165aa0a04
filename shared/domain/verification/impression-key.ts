import type { VerificationEvent } from '../../contracts/schemas/verification.ts';

/**
 * What makes a vendor's verdict one impression: the vendor, the beacon, and the ad within it when
 * named. Ids hold no whitespace, so space-joined parts can never be read two ways.
 */
export function computeImpressionKey(vendor: string, event: Pick<VerificationEvent, 'impression_id' | 'ad_id'>): string {
  return event.ad_id === undefined ? `${vendor} ${event.impression_id}` : `${vendor} ${event.impression_id} ${event.ad_id}`;
}
