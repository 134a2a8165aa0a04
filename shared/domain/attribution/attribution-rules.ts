import { advertiserDefaults, type AdvertiserConfig } from '../../contracts/schemas/config.ts';
import type { Static } from '@sinclair/typebox';

export type AttributionModel = 'last_touch' | 'first_touch' | 'linear' | 'time_decay';

/** An advertiser's attribution settings with every default filled in. */
export interface AttributionRules {
  advertiser: string;
  model: AttributionModel;
  lookbackDays: number;
  halfLifeDays: number;
  sharedHouseholdAgents: number;
  currency: string;
  /** Campaigns configured for the advertiser: matches exposures whose ad carries no advertiser id. */
  campaigns: ReadonlySet<string>;
  /** Configured spend per campaign, where known. */
  spend: ReadonlyMap<string, number>;
}

/** The rules of one advertiser's configuration entry, defaults applied. */
export function computeAttributionRules(advertiser: Static<typeof AdvertiserConfig>): AttributionRules {
  const campaigns = advertiser.campaigns ?? [];
  return {
    advertiser: advertiser.id,
    model: advertiser.model,
    lookbackDays: advertiser.lookback_days,
    halfLifeDays: advertiser.half_life_days ?? advertiserDefaults.half_life_days,
    sharedHouseholdAgents: advertiser.shared_household_agents ?? advertiserDefaults.shared_household_agents,
    currency: advertiser.currency ?? advertiserDefaults.currency,
    campaigns: new Set(campaigns.map((c) => c.id)),
    spend: new Map(campaigns.flatMap((c) => (c.spend === undefined ? [] : [[c.id, c.spend] as const]))),
  };
}
