import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Attribution } from '../../domain/attribution/attribute-conversion.ts';
import type { StateStore, StateWrite } from '../../contracts/ports.ts';
import type { EnrichedConversion } from '../../contracts/schemas/conversion-message.ts';

/** Collection of the conversion claims that dedupe conversions per advertiser. */
export const claimsCollection = 'attribution';

/** How long a claim dedupes: the longest lookback; a report of the order after that is attributed again. */
const claimDays = 90;
const maxClaimsPerTransaction = 250;

/**
 * First report of an (advertiser, conversion id): the digest of the message record that claimed
 * it (`f`) and what attribution concluded for it (`a`). Keeping the conclusion makes a redelivery
 * write the very rows of the first delivery, even when exposures recorded in between (late
 * uploads) would credit another ad now.
 */
export interface ClaimDoc {
  f: string;
  a: Attribution;
}

/**
 * `first`: this report claimed the conversion and was attributed now; `replay`: the same report
 * redelivered, with the attribution stored by its first delivery; `duplicate`: another report.
 */
export type ClaimOutcome = { kind: 'first' | 'replay'; attribution: Attribution } | { kind: 'duplicate'; fingerprint: string };

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
 * wins and is attributed by `attribute` (pure: a store may run the transaction again); a
 * redelivery of that report gets the stored attribution back; any other report is a duplicate.
 * Reports sharing an id are decided in one transaction, in batch order.
 */
export async function claimConversions(
  conversions: readonly EnrichedConversion[],
  state: StateStore,
  now: Date,
  attribute: (conversion: EnrichedConversion) => Attribution,
): Promise<ClaimOutcome[]> {
  const expiresAt = new Date(now.getTime() + claimDays * 86_400_000);
  const byId = new Map<string, number[]>();
  conversions.forEach((c, i) => {
    const id = computeClaimId(c);
    byId.set(id, [...(byId.get(id) ?? []), i]);
  });
  const outcomes = new Array<ClaimOutcome>(conversions.length);
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += maxClaimsPerTransaction) {
    const chunk = ids.slice(start, start + maxClaimsPerTransaction);
    const decided = await state.transact<ClaimDoc, Array<[number, ClaimOutcome]>>(claimsCollection, chunk, (docs) => {
      const writes: Array<StateWrite<ClaimDoc>> = [];
      const result: Array<[number, ClaimOutcome]> = [];
      chunk.forEach((id, k) => {
        let claim = docs[k];
        for (const i of byId.get(id) ?? []) {
          const conversion = conversions[i] as EnrichedConversion;
          const fingerprint = computeFingerprint(conversion);
          if (claim === undefined) {
            claim = { f: fingerprint, a: attribute(conversion) };
            writes.push({ id, doc: claim, expiresAt });
            result.push([i, { kind: 'first', attribution: claim.a }]);
          } else result.push([i, claim.f === fingerprint ? { kind: 'replay', attribution: claim.a } : { kind: 'duplicate', fingerprint }]);
        }
      });
      return { writes, result };
    });
    for (const [i, outcome] of decided) outcomes[i] = outcome;
  }
  return outcomes;
}
