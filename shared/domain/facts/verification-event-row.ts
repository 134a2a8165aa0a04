import type { VerificationEventRow } from '../../contracts/schemas/rows.ts';
import type { VerificationEvent } from '../../contracts/schemas/verification.ts';
import { computeImpressionKey } from '../verification/impression-key.ts';

/** Where a callback came from and when Earshot took it. */
export interface CallbackOrigin {
  vendor: string;
  webhookId: string;
  receivedAt: string;
}

/**
 * The `verification_events` rows of one callback. The key is the vendor and the impression (beacon
 * and ad), not the webhook id: a vendor that re-sends an impression under a new webhook id must not
 * count it twice.
 */
export function toVerificationEventRows(origin: CallbackOrigin, events: readonly VerificationEvent[]): VerificationEventRow[] {
  return events.map((event) => {
    const row: VerificationEventRow = {
      insert_id: computeImpressionKey(origin.vendor, event),
      vendor: origin.vendor,
      webhook_id: origin.webhookId,
      campaign_id: event.campaign_id,
      impression_id: event.impression_id,
      measured_at: event.measured_at,
      ivt: event.ivt,
      reasons: event.reasons ?? [],
      received_at: origin.receivedAt,
    };
    if (event.ad_id !== undefined) row.ad_id = event.ad_id;
    if (event.geo_match !== undefined) row.geo_match = event.geo_match;
    if (event.brand_safe !== undefined) row.brand_safe = event.brand_safe;
    if (event.audible !== undefined) row.audible = event.audible;
    return row;
  });
}
