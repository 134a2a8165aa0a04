import type { ViewDefinition } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';

const dimensions = ['platform', 'show_id', 'episode_id', 'campaign_id', 'creative_id', 'ad_id', 'advertiser_id', 'country', 'region', 'metro', 'app', 'device'];
const measures = ['requests', 'downloads', 'listeners_first_seen', 'ads_delivered', 'ghost_ads_delivered', 'bot_requests'];
// Optional columns (rows written before them have NULL): summed as 0.
const laterMeasures = ['datacenter_requests', 'anomalous_requests'];

function summed(d: SqlDialect, period: string, periodName: string): string {
  return [
    `SELECT ${period} AS ${periodName}, ${dimensions.join(', ')},`,
    `  ${[...measures.map((m) => `SUM(${m}) AS ${m}`), ...laterMeasures.map((m) => `COALESCE(SUM(${m}), 0) AS ${m}`)].join(', ')}`,
    `FROM ${d.deduped('delivery_deltas')} AS deltas`,
    `GROUP BY ${[periodName, ...dimensions].map((_, i) => i + 1).join(', ')}`,
  ].join('\n');
}

export const deliveryHourly: ViewDefinition = {
  name: 'delivery_hourly',
  description:
    'Requests, IAB downloads, new listeners, ad and ghost deliveries, and requests excluded as bots, data-centre traffic and volume anomalies, per hour and dimension (geography included), from the deduplicated delivery_deltas.',
  sql: (d) => summed(d, 'hour', 'hour'),
};

export const deliveryDaily: ViewDefinition = {
  name: 'delivery_daily',
  description: 'delivery_hourly summed per UTC day.',
  sql: (d) => summed(d, d.truncDay('hour'), 'day'),
};
