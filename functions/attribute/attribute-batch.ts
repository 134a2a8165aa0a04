import { computeAttribution } from '../../shared/attribution/attribute-conversion.ts';
import type { AttributionRules } from '../../shared/attribution/attribution-rules.ts';
import type { Exposure } from '../../shared/attribution/exposure.ts';
import { toAttributedConversionRows, toConversionRow, type ConversionOutcome } from '../../shared/facts/conversion-rows.ts';
import type { StateStore } from '../../shared/ports.ts';
import type { EnrichedConversion } from '../../shared/schemas/conversion-message.ts';
import type { AttributedConversionRow, ConversionRow } from '../../shared/schemas/conversion-rows.ts';
import { countingCollection, type ExposureDoc } from '../count/state-docs.ts';
import { claimConversions } from './claims.ts';

const maxReadsPerCall = 300;

export interface AttributedBatch {
  conversions: ConversionRow[];
  attributed: AttributedConversionRow[];
}

/** The exposure-index documents of every household key, read in a few calls. */
async function readExposures(state: StateStore, keys: readonly string[]): Promise<Map<string, Exposure[]>> {
  const ids = [...new Set(keys)].map((key) => `x:${key}`);
  const found = new Map<string, Exposure[]>();
  for (let start = 0; start < ids.length; start += maxReadsPerCall) {
    const chunk = ids.slice(start, start + maxReadsPerCall);
    const docs = await state.getMany<ExposureDoc>(countingCollection, chunk);
    chunk.forEach((id, i) => found.set(id.slice(2), docs[i]?.x ?? []));
  }
  return found;
}

/**
 * Attributes a batch of conversions: dedupes them by advertiser and order/event id, reads the
 * households' exposures from the index the `count` function keeps (one document per household and
 * month key, hence every month key of the lookback), and credits them by the advertiser's model.
 */
export async function attributeBatch(
  conversions: readonly EnrichedConversion[],
  deps: { state: StateStore; now: Date; rulesOf: (advertiser: string) => AttributionRules | undefined },
): Promise<AttributedBatch> {
  const known = conversions.filter((c) => deps.rulesOf(c.advertiser_id) !== undefined);
  const claims = await claimConversions(known, deps.state, deps.now);
  const claimOf = new Map(known.map((c, i) => [c, claims[i]]));
  const live = known.filter((c) => claimOf.get(c)?.kind !== 'duplicate');
  const exposures = await readExposures(deps.state, live.flatMap((c) => c.household_keys));

  const rows: AttributedBatch = { conversions: [], attributed: [] };
  for (const conversion of conversions) {
    const rules = deps.rulesOf(conversion.advertiser_id);
    const claim = claimOf.get(conversion);
    let outcome: ConversionOutcome;
    if (!rules) outcome = { status: 'unknown_advertiser' };
    else if (claim?.kind === 'duplicate') outcome = { status: 'duplicate', fingerprint: claim.fingerprint };
    else {
      const household = conversion.household_keys.flatMap((key) => exposures.get(key) ?? []);
      const attribution = computeAttribution({ ms: Date.parse(conversion.ts), uaHash: conversion.ua_hash }, household, rules);
      outcome = { status: attribution.status, rules, attribution };
      rows.attributed.push(...toAttributedConversionRows(conversion, rules, attribution));
    }
    rows.conversions.push(toConversionRow(conversion, outcome));
  }
  return rows;
}
