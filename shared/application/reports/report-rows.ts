import { Type, type TObject, type TSchema } from '@sinclair/typebox';

/**
 * The rows of each report, one JSON Schema each: the SQL selects exactly these columns, the CSV
 * header lists them, and the OpenAPI document is generated from them.
 */
const text = (description: string) => Type.String({ description });
const nullableText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const count = (description: string) => Type.Integer({ minimum: 0, description });
const ratio = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const period = Type.String({ description: 'UTC day (YYYY-MM-DD) or month (YYYY-MM), as granularity asks', pattern: '^\\d{4}-\\d{2}(-\\d{2})?$' });

export const DeliveryRow = Type.Object(
  {
    period,
    platform: text('Hosting platform that reported the requests'),
    show_id: text('Show id'),
    episode_id: text('Episode id'),
    campaign_id: nullableText('Campaign of the ad; null on request-level rows (downloads)'),
    requests: count('Requests received, excluded ones included'),
    downloads: count('IAB downloads counted'),
    listeners_first_seen: count("Downloads that were a listener's first for the show that UTC day"),
    ads_delivered: count('Inserted ads delivered'),
    ghost_ads_delivered: count('Holdout (ghost) placements delivered'),
    bot_requests: count('Requests excluded as bots'),
  },
  { additionalProperties: false },
);

export const ReachRow = Type.Object(
  {
    period,
    campaign_id: text('Campaign'),
    households_reached: count('Households the delivered ads reached'),
    listeners_reached: count('Listeners (household + User-Agent) reached'),
    impressions: count('Ad deliveries'),
    average_frequency: ratio('Impressions per household'),
  },
  { additionalProperties: false },
);

export const DiscrepancyRow = Type.Object(
  {
    day: Type.String({ description: 'UTC day', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    campaign_id: text('Campaign'),
    vendor: text('Measurement vendor'),
    earshot_ad_deliveries: count('Ad deliveries Earshot counted'),
    vendor_impressions: count('Impressions the vendor measured'),
    valid_impressions: count('Of those, valid'),
    givt_impressions: count('Of those, general invalid traffic'),
    sivt_impressions: count('Of those, sophisticated invalid traffic'),
    vendor_net_impressions: Type.Integer({ description: 'Vendor impressions net of GIVT' }),
    valid_share: ratio('valid / vendor impressions'),
    givt_rate: ratio('GIVT / vendor impressions'),
    sivt_rate: ratio('SIVT / vendor impressions'),
    discrepancy_pct: ratio('(Earshot - vendor net) / Earshot x 100'),
    threshold_pct: Type.Number({ description: 'Threshold of exceeds_threshold, percent' }),
    exceeds_threshold: Type.Boolean({ description: 'Whether |discrepancy| exceeds threshold_pct' }),
  },
  { additionalProperties: false },
);

export const AttributionRow = Type.Object(
  {
    advertiser_id: text('Advertiser'),
    campaign_id: text('Campaign of the credited ads'),
    event: nullableText('Conversion event; null for a campaign that earned no credit'),
    households_reached: count("Households the campaign's real ads reached"),
    attributed_visitors: count('Households credited with a share of a conversion'),
    attributed_conversions: ratio('Sum of credit'),
    cross_device_conversions: ratio('Credit earned by ads heard on another User-Agent'),
    revenue: ratio('Attributed revenue, in currency'),
    currency: nullableText('ISO 4217 currency of revenue and spend'),
    spend: ratio('Latest configured campaign spend'),
    cost_per_visitor: ratio('spend / attributed visitors'),
    roas: ratio('revenue / spend'),
  },
  { additionalProperties: false },
);

export const LiftRow = Type.Object(
  {
    study_id: text('Holdout study'),
    advertiser_id: text("The study's advertiser"),
    control_households: count('Households given ghost ads'),
    control_conversions: count('Of those, converted'),
    test_households: count('Households given real ads'),
    test_conversions: count('Of those, converted'),
    control_rate: ratio('Control conversion rate'),
    test_rate: ratio('Test conversion rate'),
    abs_lift: ratio('test_rate - control_rate'),
    rel_lift: ratio('abs_lift / control_rate'),
    z: ratio('Pooled two-proportion z'),
    p_value: ratio('Two-sided p-value'),
    ci_abs_low: ratio('95% Wald interval of abs_lift, low'),
    ci_abs_high: ratio('95% Wald interval of abs_lift, high'),
    ci_rel_low: ratio('95% interval of rel_lift (log relative risk), low'),
    ci_rel_high: ratio('95% interval of rel_lift (log relative risk), high'),
    incremental_conversions: ratio('Conversions the campaign caused in the test arm'),
    comparison: text('intent_to_treat (every household a placement of the study was served to) or ghost_ads (households whose placement was delivered)'),
  },
  { additionalProperties: false },
);

/** The column names of a row schema, in order. */
export const columnsOf = (schema: TObject<Record<string, TSchema>>): string[] => Object.keys(schema.properties);
