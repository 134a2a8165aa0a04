import type { SqlDialect, ViewDefinition } from '../dialect.ts';

const dimensions = ['platform', 'show_id', 'episode_id', 'campaign_id', 'creative_id', 'ad_id', 'advertiser_id', 'country', 'app', 'device'];
const measures = ['requests', 'downloads', 'listeners_first_seen', 'ads_delivered', 'ghost_ads_delivered', 'bot_requests'];

function summed(d: SqlDialect, period: string, periodName: string): string {
  return [
    `SELECT ${period} AS ${periodName}, ${dimensions.join(', ')},`,
    `  ${measures.map((m) => `SUM(${m}) AS ${m}`).join(', ')}`,
    `FROM ${d.deduped('delivery_deltas')} AS deltas`,
    `GROUP BY ${[periodName, ...dimensions].map((_, i) => i + 1).join(', ')}`,
  ].join('\n');
}

export const deliveryHourly: ViewDefinition = {
  name: 'delivery_hourly',
  description: 'Requests, IAB downloads, new listeners, ad and ghost deliveries and bot requests per hour and dimension, from the deduplicated delivery_deltas.',
  sql: (d) => summed(d, 'hour', 'hour'),
};

export const deliveryDaily: ViewDefinition = {
  name: 'delivery_daily',
  description: 'delivery_hourly summed per UTC day.',
  sql: (d) => summed(d, d.truncDay('hour'), 'day'),
};
