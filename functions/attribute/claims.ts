import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { StateStore, StateWrite } from '../../shared/ports.ts';
import type { EnrichedConversion } from '../../shared/schemas/conversion-message.ts';

/** Collection of the conversion claims that dedupe conversions per advertiser. */
export const claimsCollection = 'attribution';

/** How long a claim dedupes: the longest lookback; a report of the order after that is attributed again. */
const claimDays = 90;
const maxClaimsPerTransaction = 250;

/** First report of an (advertiser, conversion id): the digest of the message record that claimed it. */
export interface ClaimDoc {
  f: string;
}

/** `first` claimed the conversion; `replay` is the same record redelivered; `duplicate` another report of it. */
export type ClaimOutcome = { kind: 'first' | 'replay' } | { kind: 'duplicate'; fingerprint: string };

/** A digest of the conversion as published: a redelivered message has the same one, another report not (its receipt time differs). */
export function computeFingerprint(conversion: EnrichedConversion): string {
  return createHash('sha256').update(stringify(conversion) ?? '').digest('base64url').slice(0, 16);
}

/** A Firestore-safe document id for an advertiser's conversion id. */
export function computeClaimId(conversion: Pick<EnrichedConversion, 'advertiser_id' | 'conversion_id'>): string {
  return 'c:' + createHash('sha256').update(`${conversion.advertiser_id}\n${conversion.conversion_id}`).digest('base64url').slice(0, 27);
}

/**
 * Claims each conversion in the state store: the first report of an advertiser's order (or event)
 * wins; a redelivery of that same report is told apart by its fingerprint and processed again, so
 * it rewrites the same rows. Reports sharing an id are decided in one transaction.
 */
export async function claimConversions(conversions: readonly EnrichedConversion[], state: StateStore, now: Date): Promise<ClaimOutcome[]> {
  const expiresAt = new Date(now.getTime() + claimDays * 86_400_000);
  const byId = new Map<string, number[]>();
  conversions.forEach((c, i) => byId.set(computeClaimId(c), [...(byId.get(computeClaimId(c)) ?? []), i]));
  const outcomes = new Array<ClaimOutcome>(conversions.length);
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += maxClaimsPerTransaction) {
    const chunk = ids.slice(start, start + maxClaimsPerTransaction);
    const decided = await state.transact<ClaimDoc, Array<[number, ClaimOutcome]>>(claimsCollection, chunk, (docs) => {
      const writes: Array<StateWrite<ClaimDoc>> = [];
      const result: Array<[number, ClaimOutcome]> = [];
      chunk.forEach((id, k) => {
        let claimed = docs[k]?.f;
        for (const i of byId.get(id) ?? []) {
          const fingerprint = computeFingerprint(conversions[i] as EnrichedConversion);
          if (claimed === undefined) {
            claimed = fingerprint;
            writes.push({ id, doc: { f: fingerprint }, expiresAt });
            result.push([i, { kind: 'first' }]);
          } else result.push([i, claimed === fingerprint ? { kind: 'replay' } : { kind: 'duplicate', fingerprint }]);
        }
      });
      return { writes, result };
    });
    for (const [i, outcome] of decided) outcomes[i] = outcome;
  }
  return outcomes;
}
