/**
 * The SQL differences between BigQuery and DuckDB that the views need. A view is written once as
 * a function of a dialect; where the two disagree the dialect says how, side by side.
 */
export interface SqlDialect {
  name: 'bigquery' | 'duckdb';
  /** A table or view of the warehouse. */
  table(name: string): string;
  truncHour(column: string): string;
  truncDay(column: string): string;
  /** `a / b`, NULL when b is 0. */
  safeDivide(a: string, b: string): string;
  /** Rows of `table` with one row per `insert_id` (BigQuery's streaming dedupe is best effort). */
  deduped(table: string): string;
  /** `YYYY-MM` of a timestamp. */
  month(column: string): string;
  /**
   * One row per ad that a `beacon_events` row (alias `event`) delivered, as alias `ad` with
   * `ad.ad_id` and `ad.campaign_id`: the join to add after the FROM item, and its condition.
   */
  deliveredAds(event: string, ad: string): { join: string; where: string };
}

/** BigQuery standard SQL, tables qualified by `{{dataset}}` (replaced at deploy time). */
export const bigQueryDialect: SqlDialect = {
  name: 'bigquery',
  table: (name) => `\`{{dataset}}.${name}\``,
  truncHour: (c) => `TIMESTAMP_TRUNC(${c}, HOUR)`,
  truncDay: (c) => `DATE(${c})`,
  safeDivide: (a, b) => `SAFE_DIVIDE(${a}, ${b})`,
  month: (c) => `FORMAT_TIMESTAMP('%Y-%m', ${c})`,
  deliveredAds: (e, a) => ({ join: `CROSS JOIN UNNEST(${e}.ads) AS ${a}`, where: `${a}.ad_id IN UNNEST(${e}.ads_delivered)` }),
  deduped: (table) =>
    `(SELECT * EXCEPT (dedupe_rank) FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY insert_id) AS dedupe_rank FROM \`{{dataset}}.${table}\` AS t) WHERE dedupe_rank = 1)`,
};

/** DuckDB, where `insert_id` is a primary key, so tables are already deduplicated. */
export const duckDbDialect: SqlDialect = {
  name: 'duckdb',
  table: (name) => `"${name}"`,
  truncHour: (c) => `date_trunc('hour', ${c})`,
  truncDay: (c) => `CAST(${c} AS DATE)`,
  safeDivide: (a, b) => `(CAST(${a} AS DOUBLE) / NULLIF(${b}, 0))`,
  month: (c) => `strftime(${c}, '%Y-%m')`,
  // Nested columns are JSON locally; read them back as typed lists.
  deliveredAds: (e, a) => ({
    join: `CROSS JOIN UNNEST(from_json(${e}.ads, '[{"ad_id":"VARCHAR","campaign_id":"VARCHAR"}]')) AS ads_unnested(${a})`,
    where: `list_contains(from_json(${e}.ads_delivered, '["VARCHAR"]'), ${a}.ad_id)`,
  }),
  deduped: (table) => `"${table}"`,
};

/** A warehouse view: its name, what it answers, and its SQL for a dialect. */
export interface ViewDefinition {
  name: string;
  description: string;
  sql(dialect: SqlDialect): string;
}
