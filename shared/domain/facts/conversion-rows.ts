import type { Attribution } from '../attribution/attribute-conversion.ts';
import type { AttributionRules } from '../attribution/attribution-rules.ts';
import type { EnrichedConversion } from '../../contracts/schemas/conversion-message.ts';
import type { AttributedConversionRow, ConversionRow } from '../../contracts/schemas/conversion-rows.ts';

/** How a conversion ended: attribution ran, or it did not and why. */
export type ConversionOutcome =
  | { status: 'attributed' | 'not_exposed' | 'shared_household'; rules: AttributionRules; attribution: Attribution }
  | { status: 'duplicate'; fingerprint: string }
  | { status: 'unknown_advertiser' };

/** The `conversions` row of a conversion and its outcome. */
export function toConversionRow(conversion: EnrichedConversion, outcome: ConversionOutcome): ConversionRow {
  const key = `${conversion.advertiser_id}/${conversion.conversion_id}`;
  const row: ConversionRow = {
    insert_id: outcome.status === 'duplicate' ? `${key}/duplicate/${outcome.fingerprint}` : key,
    conversion_id: conversion.conversion_id,
    advertiser_id: conversion.advertiser_id,
    event: conversion.event,
    ts: conversion.ts,
    received_at: conversion.received_at,
    source: conversion.source,
    household_key: conversion.household_keys[0] as string,
    attribution: outcome.status,
    arms: conversion.arms,
  };
  if (conversion.value !== undefined) row.value = conversion.value;
  if (conversion.currency !== undefined) row.currency = conversion.currency;
  if (conversion.order_id !== undefined) row.order_id = conversion.order_id;
  if (conversion.event_id !== undefined) row.event_id = conversion.event_id;
  if ('rules' in outcome) {
    row.currency ??= outcome.rules.currency;
    row.model = outcome.rules.model;
    row.lookback_days = outcome.rules.lookbackDays;
    row.exposures = outcome.attribution.exposures;
    row.ghost_exposures = outcome.attribution.ghostExposures;
    row.busiest_day_agents = outcome.attribution.busiestDayAgents;
  }
  return row;
}

/** One `attributed_conversions` row per credited exposure; keyed by conversion and exposure. */
export function toAttributedConversionRows(conversion: EnrichedConversion, rules: AttributionRules, attribution: Attribution): AttributedConversionRow[] {
  const conversionMs = Date.parse(conversion.ts);
  return attribution.credits.map(({ exposure, credit, crossDevice }) => {
    const row: AttributedConversionRow = {
      insert_id: `${conversion.advertiser_id}/${conversion.conversion_id}/${exposure.event}/${exposure.ad_id}`,
      conversion_id: conversion.conversion_id,
      advertiser_id: conversion.advertiser_id,
      event: conversion.event,
      ts: conversion.ts,
      received_at: conversion.received_at,
      household_key: conversion.household_keys[0] as string,
      campaign_id: exposure.campaign_id,
      creative_id: exposure.creative_id,
      ad_id: exposure.ad_id,
      exposed_at: new Date(exposure.ts * 1000).toISOString(),
      model: rules.model,
      credit,
      currency: conversion.currency ?? rules.currency,
      cross_device: crossDevice,
      seconds_to_convert: Math.floor(conversionMs / 1000) - exposure.ts,
    };
    if (conversion.value !== undefined) row.revenue = conversion.value * credit;
    const spend = rules.spend.get(exposure.campaign_id);
    if (spend !== undefined) row.campaign_spend = spend;
    return row;
  });
}
