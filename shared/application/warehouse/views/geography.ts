import type { ViewDefinition } from '../dialect.ts';

/**
 * Reach by geography: the reach_frequency measures per campaign, month, country and region. A
 * household is reached in each place its deliveries were served to (a listener who travels counts
 * in both), so the rows of a campaign-month need not add up to its reach_frequency row.
 */
export const reachGeography: ViewDefinition = {
  name: 'reach_geography',
  description:
    'Per campaign, month, country and region (from the IP at intake, or the platform\'s country): households and listeners reached by delivered ads, impressions and average frequency.',
  sql: (d) => {
    const ads = d.deliveredAds('e', 'ad');
    return [
      `SELECT ad.campaign_id AS campaign_id, ${d.month('e.ts')} AS month, e.country AS country, e.region AS region,`,
      `  COUNT(DISTINCT e.household_key) AS households_reached,`,
      `  COUNT(DISTINCT CONCAT(e.household_key, '|', e.user_agent)) AS listeners_reached,`,
      `  COUNT(*) AS impressions,`,
      `  ${d.safeDivide('COUNT(*)', 'COUNT(DISTINCT e.household_key)')} AS average_frequency`,
      `FROM ${d.deduped('beacon_events')} AS e`,
      ads.join,
      `WHERE ${ads.where}`,
      `GROUP BY 1, 2, 3, 4`,
    ].join('\n');
  },
};
