import type { ViewDefinition } from '../dialect.ts';
import { computeReachSql } from './reach.ts';

/**
 * Reach by geography: the reach_frequency measures per campaign, month, country and region. A
 * household is reached in each place its deliveries were served to (a listener who travels counts
 * in both), so the rows of a campaign-month need not add up to its reach_frequency row.
 */
export const reachGeography: ViewDefinition = {
  name: 'reach_geography',
  description:
    'Per campaign, month, country and region (from the IP at intake, or the platform\'s country): households and listeners reached by delivered ads, impressions and average frequency.',
  sql: (d) => computeReachSql(d, { period: d.month('e.ts'), periodName: 'month', dimensions: ['country', 'region'] }),
};
