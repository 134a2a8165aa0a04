import type { ViewDefinition } from '../dialect.ts';

export const reachFrequency: ViewDefinition = {
  name: 'reach_frequency',
  description:
    'Per campaign and month: households and listeners (household + User-Agent) reached by delivered ads, impressions, and average frequency per household. Monthly because household keys rotate each calendar month.',
  sql: (d) => {
    const ads = d.deliveredAds('e', 'ad');
    return [
      `SELECT ad.campaign_id AS campaign_id, ${d.month('e.ts')} AS month,`,
      `  COUNT(DISTINCT e.household_key) AS households_reached,`,
      `  COUNT(DISTINCT CONCAT(e.household_key, '|', e.user_agent)) AS listeners_reached,`,
      `  COUNT(*) AS impressions,`,
      `  ${d.safeDivide('COUNT(*)', 'COUNT(DISTINCT e.household_key)')} AS average_frequency`,
      `FROM ${d.deduped('beacon_events')} AS e`,
      ads.join,
      `WHERE ${ads.where}`,
      `GROUP BY 1, 2`,
    ].join('\n');
  },
};
