import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common.ts';
import { StudyArm } from './conversion-message.ts';

const optional = Type.Optional;
const described = <T extends object>(description: string, schema: T): T => ({ ...schema, description });

/** How attribution ended for a conversion; every conversion keeps one, nothing is dropped. */
export const attributionStatuses = ['attributed', 'not_exposed', 'shared_household', 'duplicate', 'unknown_advertiser'] as const;

/**
 * `conversions`: every conversion received, with how attribution ended. Keyed by advertiser and
 * conversion id; a second report of the same order (another message) is kept as its own row with
 * status `duplicate`, so the views count it once and the audit trail stays.
 */
export const ConversionRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: advertiser and conversion id (plus the report digest for a duplicate)' }),
    conversion_id: Type.String({ description: 'o:<order_id>, e:<event_id>, or h_<keyed content digest> when the advertiser sent neither' }),
    advertiser_id: Type.String({ description: 'Advertiser the conversion belongs to' }),
    event: Type.String({ description: 'Conversion event name as sent (purchase, visit, lead, ...)' }),
    ts: Type.String({ format: 'date-time', description: 'When the conversion happened (partition column)' }),
    received_at: Type.String({ format: 'date-time', description: 'When Earshot accepted it' }),
    source: Type.String({ description: 'pixel (GET /conversion/p) or server (POST /conversion/events)' }),
    value: optional(Type.Number({ description: 'Revenue of the conversion, in the currency column' })),
    currency: optional(Type.String({ description: "ISO 4217 currency of the value: the advertiser's" })),
    order_id: optional(Type.String({ description: 'Order id as sent' })),
    event_id: optional(Type.String({ description: 'Event id as sent' })),
    household_key: Type.String({ description: "Household key (HMAC of the truncated IP) under the conversion month's key; never the IP" }),
    attribution: described('attributed, not_exposed (no exposure of the advertiser in the lookback), shared_household, duplicate or unknown_advertiser', StringEnum(attributionStatuses)),
    model: optional(Type.String({ description: 'Attribution model applied: last_touch, first_touch, linear or time_decay (empty when attribution did not run)' })),
    lookback_days: optional(Type.Integer({ description: 'Lookback applied, days' })),
    exposures: optional(Type.Integer({ description: "The advertiser's real ad deliveries to the household in the lookback" })),
    ghost_exposures: optional(Type.Integer({ description: "The advertiser's ghost (holdout) deliveries to the household in the lookback" })),
    busiest_day_agents: optional(Type.Integer({ description: 'Most distinct User-Agents the household showed on one UTC day in the lookback (shared-network check)' })),
    arms: Type.Array(described("The household's arm in each of the advertiser's lift studies, assigned as GET /assign does", StudyArm)),
  },
  { additionalProperties: false },
);
export type ConversionRow = Static<typeof ConversionRow>;

/**
 * `attributed_conversions`: one row per exposure credited for a conversion, with its share. A
 * conversion's shares sum to 1 (fractions under the linear and time-decay models).
 */
export const AttributedConversionRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: advertiser, conversion id, delivering event hash and ad id' }),
    conversion_id: Type.String({ description: 'The conversion (conversions.conversion_id)' }),
    advertiser_id: Type.String({ description: 'Advertiser of the conversion and the ad' }),
    event: Type.String({ description: 'Conversion event name' }),
    ts: Type.String({ format: 'date-time', description: 'When the conversion happened (partition column)' }),
    received_at: Type.String({ format: 'date-time', description: 'When Earshot accepted the conversion' }),
    household_key: Type.String({ description: "Household key under the conversion month's key" }),
    campaign_id: Type.String({ description: 'Campaign of the credited ad' }),
    creative_id: Type.String({ description: 'Creative of the credited ad' }),
    ad_id: Type.String({ description: 'Credited ad' }),
    exposed_at: Type.String({ format: 'date-time', description: 'When the credited ad was delivered' }),
    model: Type.String({ description: 'Attribution model: last_touch, first_touch, linear or time_decay' }),
    credit: Type.Number({ description: 'Share of the conversion credited to this exposure, 0 < credit <= 1' }),
    revenue: optional(Type.Number({ description: 'value x credit, in the currency column' })),
    currency: Type.String({ description: "ISO 4217 currency: the advertiser's" }),
    cross_device: Type.Boolean({ description: 'The ad reached the household on another User-Agent than the one that converted' }),
    seconds_to_convert: Type.Integer({ description: 'Seconds from the delivery to the conversion' }),
    campaign_spend: optional(Type.Number({ description: 'Campaign spend as configured when the row was written (advertiser currency); views take the latest' })),
  },
  { additionalProperties: false },
);
export type AttributedConversionRow = Static<typeof AttributedConversionRow>;
