import type { ViewDefinition } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';

/**
 * Reach and frequency per campaign, `period` (an expression of the beacon row `e`) and any further
 * `dimensions` (columns of `e`), over the rows that also meet `where`: the views' SQL, and the
 * reports API's, which cuts it to a date window (and a platform's own rows) before the distinct
 * counts, not after.
 */
export function computeReachSql(d: SqlDialect, options: { period: string; periodName: string; dimensions?: readonly string[]; where?: readonly string[] }): string {
  const ads = d.deliveredAds('e', 'ad');
  const dimensions = options.dimensions ?? [];
  return [
    `SELECT ad.campaign_id AS campaign_id, ${options.period} AS ${options.periodName},${dimensions.map((c) => ` e.${c} AS ${c},`).join('')}`,
    `  COUNT(DISTINCT e.household_key) AS households_reached,`,
    `  COUNT(DISTINCT CONCAT(e.household_key, '|', e.user_agent)) AS listeners_reached,`,
    `  COUNT(*) AS impressions,`,
    `  ${d.safeDivide('COUNT(*)', 'COUNT(DISTINCT e.household_key)')} AS average_frequency`,
    `FROM ${d.deduped('beacon_events')} AS e`,
    ads.join,
    `WHERE ${[ads.where, ...(options.where ?? [])].join(' AND ')}`,
    `GROUP BY ${Array.from({ length: 2 + dimensions.length }, (_, i) => i + 1).join(', ')}`,
  ].join('\n');
}

export const reachFrequency: ViewDefinition = {
  name: 'reach_frequency',
  description:
    'Per campaign and month: households and listeners (household + User-Agent) reached by delivered ads, impressions, and average frequency per household. Monthly because household keys rotate each calendar month.',
  sql: (d) => computeReachSql(d, { period: d.month('e.ts'), periodName: 'month' }),
};
