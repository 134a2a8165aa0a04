import type { TableName } from './schemas/rows.ts';

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
  /**
   * Rows of `table` with one row per `insert_id` (BigQuery's streaming dedupe is best effort), from
   * the last `viewWindowDays` for a table that requires a partition filter.
   */
  deduped(table: TableName): string;
  /** `YYYY-MM` of a timestamp. */
  month(column: string): string;
  /** A timestamp `days` (an SQL integer expression) days before `column`. */
  minusDays(column: string, days: string): string;
  /**
   * A FROM item with one row per element of an array, the element named `alias` (`alias.field` for
   * a struct): a join to put after the row the array belongs to.
   */
  unnest(array: string, alias: string): string;
  /** Whether `array` holds `value`. */
  contains(array: string, value: string): string;
  /**
   * One row per ad that a `beacon_events` row (alias `event`) delivered, as alias `ad` with
   * `ad.ad_id`, `ad.campaign_id` and `ad.advertiser_id`: the join to add after the FROM item, and
   * its condition. `delivered` picks real deliveries (default) or ghost (holdout) ones.
   */
  deliveredAds(event: string, ad: string, delivered?: 'ads_delivered' | 'ghost_ads_delivered'): { join: string; where: string };
}
