import type { ViewDefinition } from '../dialect.ts';

export const attributionSummary: ViewDefinition = {
  name: 'attribution_summary',
  description:
    'Per advertiser, campaign and conversion event: households the campaign reached (distinct household keys with a delivered real ad; ' +
    'keys rotate monthly, so a household reached in two months counts twice), attributed_visitors (households credited with a share of a conversion), ' +
    'attributed_conversions (sum of credit: fractions under linear and time-decay), cross_device_conversions (the part credited to an ad heard on another User-Agent), ' +
    'revenue (value x credit) and currency, spend (the latest configured campaign spend), cost_per_visitor = spend / attributed_visitors and roas = revenue / spend. ' +
    'A campaign that reached households but earned no credit has one row with event NULL.',
  sql: (d) => {
    const ads = d.deliveredAds('e', 'ad');
    return `WITH reached AS (
  SELECT ad.campaign_id AS campaign_id, MAX(ad.advertiser_id) AS advertiser_id, COUNT(DISTINCT e.household_key) AS households_reached
  FROM ${d.deduped('beacon_events')} AS e
  ${ads.join}
  WHERE ${ads.where}
  GROUP BY 1
),
credited AS (
  SELECT advertiser_id, campaign_id, event,
    COUNT(DISTINCT household_key) AS attributed_visitors,
    SUM(credit) AS attributed_conversions,
    SUM(CASE WHEN cross_device THEN credit ELSE 0 END) AS cross_device_conversions,
    SUM(revenue) AS revenue,
    MAX(currency) AS currency
  FROM ${d.deduped('attributed_conversions')} AS a
  GROUP BY 1, 2, 3
),
ranked_spend AS (
  SELECT advertiser_id, campaign_id, campaign_spend,
    ROW_NUMBER() OVER (PARTITION BY advertiser_id, campaign_id ORDER BY received_at DESC, insert_id DESC) AS spend_rank
  FROM ${d.deduped('attributed_conversions')} AS a
  WHERE campaign_spend IS NOT NULL
),
joined AS (
  SELECT COALESCE(c.advertiser_id, r.advertiser_id) AS advertiser_id,
    COALESCE(c.campaign_id, r.campaign_id) AS campaign_id,
    c.event AS event,
    COALESCE(r.households_reached, 0) AS households_reached,
    COALESCE(c.attributed_visitors, 0) AS attributed_visitors,
    COALESCE(c.attributed_conversions, 0) AS attributed_conversions,
    COALESCE(c.cross_device_conversions, 0) AS cross_device_conversions,
    c.revenue AS revenue,
    c.currency AS currency
  FROM credited AS c
  FULL OUTER JOIN reached AS r ON r.campaign_id = c.campaign_id
)
SELECT j.advertiser_id, j.campaign_id, j.event, j.households_reached, j.attributed_visitors, j.attributed_conversions,
  j.cross_device_conversions, j.revenue, j.currency, s.campaign_spend AS spend,
  ${d.safeDivide('s.campaign_spend', 'j.attributed_visitors')} AS cost_per_visitor,
  ${d.safeDivide('j.revenue', 's.campaign_spend')} AS roas
FROM joined AS j
LEFT JOIN ranked_spend AS s ON s.advertiser_id = j.advertiser_id AND s.campaign_id = j.campaign_id AND s.spend_rank = 1`;
  },
};
