import type { Exposure } from '../../attribution/exposure.ts';
import type { StateStore } from '../../../contracts/ports.ts';
import { readHouseholdDoc, type HouseholdDoc } from './household-doc.ts';
import { computeHouseholdDocId, computeLegacyExposureDocId, countingCollection } from './state-ids.ts';

/** Documents read in one call here: Firestore takes more, this bounds a reply. */
const maxReadsPerCall = 300;

/** An exposure list of the layout before household documents (version 2). */
interface LegacyExposureDoc {
  x: Exposure[];
}

/**
 * The exposures counting recorded for each household key, read from the household documents in
 * a few calls. The exposure lists of the layout before them (`x:` documents) are read beside
 * them, so a lookback that reaches back before the switch-over still finds what was recorded
 * then; those documents expire by their TTL at most 91 days after the switch.
 */
export async function readExposures(state: StateStore, householdKeys: readonly string[], now: Date): Promise<Map<string, Exposure[]>> {
  const keys = [...new Set(householdKeys)];
  const found = new Map<string, Exposure[]>();
  const perCall = maxReadsPerCall / 2;
  for (let start = 0; start < keys.length; start += perCall) {
    const chunk = keys.slice(start, start + perCall);
    const ids = chunk.flatMap((key) => [computeHouseholdDocId(key), computeLegacyExposureDocId(key)]);
    const docs = await state.getMany<HouseholdDoc | LegacyExposureDoc>(countingCollection, ids);
    chunk.forEach((key, i) => {
      const household = readHouseholdDoc(ids[2 * i] as string, docs[2 * i], now.getTime() / 1000).x;
      const legacy = docs[2 * i + 1]?.x ?? [];
      const recorded = new Set(household.map((x) => `${x.event}\n${x.ad_id}`));
      found.set(key, [...legacy.filter((x) => !recorded.has(`${x.event}\n${x.ad_id}`)), ...household]);
    });
  }
  return found;
}
