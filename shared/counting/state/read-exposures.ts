import type { Exposure } from '../../attribution/exposure.ts';
import type { StateStore } from '../../ports.ts';
import { readHouseholdDoc, type HouseholdDoc } from './household-doc.ts';
import { computeHouseholdDocId, countingCollection } from './state-ids.ts';

/** Firestore reads up to this many documents in one call here (its own limit is higher; this bounds a reply). */
const maxReadsPerCall = 300;

/** The exposures counting recorded for each household key, read from the household documents in a few calls. */
export async function readExposures(state: StateStore, householdKeys: readonly string[], now: Date): Promise<Map<string, Exposure[]>> {
  const keys = [...new Set(householdKeys)];
  const found = new Map<string, Exposure[]>();
  for (let start = 0; start < keys.length; start += maxReadsPerCall) {
    const chunk = keys.slice(start, start + maxReadsPerCall);
    const ids = chunk.map(computeHouseholdDocId);
    const docs = await state.getMany<HouseholdDoc>(countingCollection, ids);
    chunk.forEach((key, i) => found.set(key, readHouseholdDoc(ids[i] as string, docs[i], now.getTime() / 1000).x));
  }
  return found;
}
