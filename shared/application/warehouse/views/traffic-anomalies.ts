import type { ViewDefinition } from '../dialect.ts';

/** Reasons of the data-centre and volume rules (docs/methodology.md), the requests this view lists. */
export const anomalyReasons = ['datacenter', 'household_volume', 'address_burst'] as const;

/**
 * Requests kept but never counted by the IAB v2.2 / MRC GIVT rules, per UTC day, platform, show,
 * episode, reason, country and hosting provider: what an auditor asks to see of the filtered
 * traffic, beside the counts that exclude it.
 */
export const trafficAnomalies: ViewDefinition = {
  name: 'traffic_anomalies',
  description:
    'Requests excluded as data-centre traffic (datacenter) or volume anomalies (household_volume, address_burst) per UTC day, platform, show, episode, reason, country and hosting provider: requests, households and listeners.',
  sql: (d) =>
    [
      `SELECT ${d.truncDay('e.ts')} AS day, e.platform AS platform, e.show_id AS show_id, e.episode_id AS episode_id, e.reason AS reason,`,
      `  e.country AS country, e.datacenter AS datacenter,`,
      `  COUNT(*) AS requests,`,
      `  COUNT(DISTINCT e.household_key) AS households,`,
      `  COUNT(DISTINCT CONCAT(e.household_key, '|', e.user_agent)) AS listeners`,
      `FROM ${d.deduped('beacon_events')} AS e`,
      `WHERE e.reason IN (${anomalyReasons.map((r) => `'${r}'`).join(', ')})`,
      `GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    ].join('\n'),
};
