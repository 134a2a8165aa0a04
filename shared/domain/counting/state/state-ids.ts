import { createHash } from 'node:crypto';

/** Collection of the counting state: one household document (`h:`) per household key. */
export const countingCollection = 'counting';

/**
 * The household document of a household key: every listener window, listener day and exposure of
 * the household under that key (keys rotate monthly, so a document spans at most a month of a
 * household). The key is already a keyed digest, safe as a document id.
 */
export function computeHouseholdDocId(householdKey: string): string {
  return `h:${householdKey}`;
}

/**
 * A short name for an entry inside a household document, from the parts of its key: hex, so it
 * can never be a name Firestore reserves (`__…__`); 64 bits, so two of one household never meet.
 */
export function computeEntryName(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A household's exposure list in the layout before household documents: still read by attribution until it expires. */
export function computeLegacyExposureDocId(householdKey: string): string {
  return `x:${householdKey}`;
}
