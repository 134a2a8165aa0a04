import { TableLayout, viewWindowDays, type TableName } from '../../contracts/schemas/rows.ts';
import type { SqlDialect } from '../../contracts/sql-dialect.ts';

/**
 * Which of several rows with one insert_id a BigQuery view keeps (an ORDER BY list; the first row
 * wins), where they can differ. A delivery written again is the same row, but a `beacon_events`
 * record re-sent in another batch is written again under its key as a `duplicate_event`, with a
 * later `received_at` or, when two uploads race, an earlier one: the row with the real verdict must
 * win, or the views lose its download and ads. Otherwise the first accepted wins, as in DuckDB,
 * where the first write of a key is kept. Unlisted tables write identical rows under one key.
 */
export const dedupeOrder: Partial<Record<TableName, string>> = {
  beacon_events: "CASE WHEN reason = 'duplicate_event' THEN 1 ELSE 0 END, received_at",
  verification_events: 'received_at',
  conversions: 'received_at',
  attributed_conversions: 'received_at',
};

function computeDeliveredAds(d: SqlDialect, event: string, ad: string, delivered: 'ads_delivered' | 'ghost_ads_delivered' = 'ads_delivered') {
  return { join: `CROSS JOIN ${d.unnest(`${event}.ads`, ad)}`, where: d.contains(`${event}.${delivered}`, `${ad}.ad_id`) };
}

/** BigQuery standard SQL, tables qualified by `{{dataset}}` (replaced at deploy time). */
export const bigQueryDialect: SqlDialect = {
  name: 'bigquery',
  table: (name) => `\`{{dataset}}.${name}\``,
  truncHour: (c) => `TIMESTAMP_TRUNC(${c}, HOUR)`,
  truncDay: (c) => `DATE(${c})`,
  safeDivide: (a, b) => `SAFE_DIVIDE(${a}, ${b})`,
  month: (c) => `FORMAT_TIMESTAMP('%Y-%m', ${c})`,
  minusDays: (c, days) => `TIMESTAMP_SUB(${c}, INTERVAL ${days} DAY)`,
  unnest: (array, alias) => `UNNEST(${array}) AS ${alias}`,
  contains: (array, value) => `${value} IN UNNEST(${array})`,
  deliveredAds: (e, a, delivered) => computeDeliveredAds(bigQueryDialect, e, a, delivered),
  // Rows with one insert_id share their partition column, so adding it to the window changes
  // nothing but lets BigQuery push an outer filter on it through to partition pruning.
  deduped: (table) => {
    const layout = TableLayout[table];
    const window = layout.requirePartitionFilter ? ` WHERE t.${layout.partitionBy} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${viewWindowDays} DAY)` : '';
    const order = dedupeOrder[table] ? ` ORDER BY ${dedupeOrder[table]}` : '';
    return `(SELECT * EXCEPT (dedupe_rank) FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY ${layout.partitionBy}, insert_id${order}) AS dedupe_rank FROM \`{{dataset}}.${table}\` AS t${window}) WHERE dedupe_rank = 1)`;
  },
};

/** DuckDB, where `insert_id` is a primary key, so tables are already deduplicated. */
export const duckDbDialect: SqlDialect = {
  name: 'duckdb',
  table: (name) => `"${name}"`,
  truncHour: (c) => `date_trunc('hour', ${c})`,
  truncDay: (c) => `CAST(${c} AS DATE)`,
  safeDivide: (a, b) => `(CAST(${a} AS DOUBLE) / NULLIF(${b}, 0))`,
  month: (c) => `strftime(${c}, '%Y-%m')`,
  minusDays: (c, days) => `(${c} - to_days(CAST(${days} AS INTEGER)))`,
  // `UNNEST(x) AS a` would name the table, whose one column is `unnest`; the column list names the element.
  unnest: (array, alias) => `UNNEST(${array}) AS ${alias}_rows(${alias})`,
  contains: (array, value) => `list_contains(${array}, ${value})`,
  deliveredAds: (e, a, delivered) => computeDeliveredAds(duckDbDialect, e, a, delivered),
  deduped: (table) => `"${table}"`,
};

/**
 * Settings a view's SQL is built with, as SQL literals: numbers locally, where the config is at
 * hand, and `{{placeholders}}` in the BigQuery build, which Terraform fills from its variables.
 */
export interface ViewSettings {
  discrepancyThresholdPct: string;
  /** config reporting.cuped_pre_period_days: the CUPED covariate's window in lift_results. */
  cupedPrePeriodDays: string;
}

export const defaultViewSettings: ViewSettings = { discrepancyThresholdPct: '5', cupedPrePeriodDays: '28' };

/** The BigQuery build's settings: placeholders for Terraform, like `{{dataset}}`. */
export const deployedViewSettings: ViewSettings = { discrepancyThresholdPct: '{{discrepancy_threshold_pct}}', cupedPrePeriodDays: '{{cuped_pre_period_days}}' };

/** A warehouse view: its name, what it answers, and its SQL for a dialect. */
export interface ViewDefinition {
  name: string;
  description: string;
  sql(dialect: SqlDialect, settings: ViewSettings): string;
}
