/**
 * Why a request counted or not. Every request gets one; excluded requests are kept with their
 * reason, never deleted (OP3, Dovetail), so a rule can be re-run over the history. Each is
 * described in docs/methodology.md (a test keeps the two in step).
 */
export const verdictReasons = [
  'counted',
  'already_counted',
  'below_minimum',
  'not_get',
  'not_modified',
  'http_error',
  'first_two_bytes_probe',
  'no_bytes_served',
  'bot',
  'apple_watch',
  'client_event',
  'duplicate_event',
  'late_event',
  // IAB v2.2 / MRC GIVT: decided after the listener window (shared/domain/traffic/).
  'datacenter',
  'household_volume',
  'address_burst',
] as const;
export type VerdictReason = (typeof verdictReasons)[number];

export interface Verdict {
  event_id: string;
  counted: boolean;
  reason: VerdictReason;
  /** Real inserted ads this request completed inside a counted download. */
  ads_delivered: readonly string[];
  /** Holdout (ghost) placements delivered the same way, reported apart. */
  ghost_ads_delivered: readonly string[];
}

/** Most verdicts deliver no ads: they share one empty list (frozen, so nobody adds to it). */
export const noAds: readonly string[] = Object.freeze([]);

export function computeVerdict(eventId: string, reason: VerdictReason, ads: readonly string[] = noAds, ghosts: readonly string[] = noAds): Verdict {
  return { event_id: eventId, counted: reason === 'counted', reason, ads_delivered: ads, ghost_ads_delivered: ghosts };
}
