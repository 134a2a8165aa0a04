import { computeAttribution } from '../../domain/attribution/attribute-conversion.ts';
import type { AttributionRules } from '../../domain/attribution/attribution-rules.ts';
import { toAttributedConversionRows, toConversionRow, type ConversionOutcome } from '../../domain/facts/conversion-rows.ts';
import { readExposures } from '../../domain/counting/state/read-exposures.ts';
import type { StateStore } from '../../contracts/ports.ts';
import type { EnrichedConversion } from '../../contracts/schemas/conversion-message.ts';
import type { AttributedConversionRow, ConversionRow } from '../../contracts/schemas/conversion-rows.ts';
import { claimConversions } from './claims.ts';

export interface AttributedBatch {
  conversions: ConversionRow[];
  attributed: AttributedConversionRow[];
}

/**
 * Attributes a batch of conversions: reads the households' exposures (from the household
 * documents counting keeps) under every month key of the lookback (keys rotate monthly, DESIGN.md
 * §7), dedupes the conversions by advertiser and order/event id, and credits the first report of
 * each by the advertiser's model. A redelivered batch writes the same rows with the same keys: its
 * attribution is the one stored at the claim.
 */
export async function attributeBatch(
  conversions: readonly EnrichedConversion[],
  deps: { state: StateStore; now: Date; rulesOf: (advertiser: string) => AttributionRules | undefined },
): Promise<AttributedBatch> {
  const known = conversions.filter((c) => deps.rulesOf(c.advertiser_id) !== undefined);
  const exposures = await readExposures(deps.state, known.flatMap((c) => c.household_keys), deps.now);
  const attribute = (conversion: EnrichedConversion) =>
    computeAttribution(
      { ms: Date.parse(conversion.ts), uaHash: conversion.ua_hash },
      conversion.household_keys.flatMap((key) => exposures.get(key) ?? []),
      deps.rulesOf(conversion.advertiser_id) as AttributionRules,
    );
  const claims = await claimConversions(known, deps.state, deps.now, attribute);
  const claimOf = new Map(known.map((c, i) => [c, claims[i] as (typeof claims)[number]]));

  const rows: AttributedBatch = { conversions: [], attributed: [] };
  for (const conversion of conversions) {
    const rules = deps.rulesOf(conversion.advertiser_id);
    const claim = claimOf.get(conversion);
    let outcome: ConversionOutcome;
    if (!rules || !claim) outcome = { status: 'unknown_advertiser' };
    else if (claim.kind === 'duplicate') outcome = { status: 'duplicate', fingerprint: claim.fingerprint };
    else {
      outcome = { status: claim.attribution.status, rules, attribution: claim.attribution };
      rows.attributed.push(...toAttributedConversionRows(conversion, rules, claim.attribution));
    }
    rows.conversions.push(toConversionRow(conversion, outcome));
  }
  return rows;
}
