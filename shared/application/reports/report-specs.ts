import type { TObject, TSchema } from '@sinclair/typebox';
import { computeReachSql } from '../warehouse/views/reach.ts';
import { computeVerificationDiscrepancySql } from '../warehouse/views/verification.ts';
import { AttributionRow, DeliveryRow, DiscrepancyRow, LiftRow, ReachRow, columnsOf } from './report-rows.ts';
import type { SqlBuilder } from './sql-builder.ts';
import type { TenantKind } from './tenant.ts';

export const reportNames = ['delivery', 'reach', 'discrepancy', 'attribution', 'lift'] as const;
export type ReportName = (typeof reportNames)[number];
export const filterNames = ['campaign', 'show', 'study'] as const;
export type FilterName = (typeof filterNames)[number];
export type Granularity = 'day' | 'month';

/** A report's inputs once validated; the tenant comes separately, from the key. */
export interface ReportFilters {
  from: string;
  to: string;
  /** The day after `to`: timestamps are compared with `< until`. */
  until: string;
  /** The day before `from`, and the day after `until`: margins for lookups across the window's edge. */
  before: string;
  after: string;
  /** config reporting.discrepancy_threshold_pct, as text (the view's setting is a SQL expression). */
  thresholdPct: string;
  granularity: Granularity;
  campaign?: string;
  show?: string;
  study?: string;
}

/** The columns a tenant's scope is checked on, in the rows `source` filters. */
interface ScopeColumns {
  /** Advertisers see the campaigns listed under them. */
  campaign?: string;
  /** Or, where rows carry it, their own advertiser id. */
  advertiser?: string;
  /** The advertiser id the platform sent with the ad: widens `campaign` to unlisted campaigns. */
  adAdvertiser?: string;
  /** Platforms see the rows they reported; a report without this column refuses platform keys. */
  platform?: string;
  /** Or the report's source cuts its inputs to the platform itself (its rows have no platform). */
  platformInSource?: true;
}

export interface ReportSpec {
  name: ReportName;
  /** The warehouse view the report reads (docs/analysts.md). */
  view: string;
  summary: string;
  row: TObject<Record<string, TSchema>>;
  /** Which filters apply, and the column each one tests. */
  filters: Partial<Record<FilterName, string>>;
  granularities: readonly Granularity[];
  scope: ScopeColumns;
  /** A total order of the rows (every grouping column), so pages never overlap or skip. */
  sort: readonly string[];
  /** Whether from/to cut the rows; the whole-study views have no date. */
  dated: boolean;
  /**
   * The rows, before the page is cut: `conditions` hold the tenant's scope and the filters;
   * `platform` is the placeholder of a platform tenant's id where `scope.platformInSource`.
   */
  source(b: SqlBuilder, filters: ReportFilters, conditions: readonly string[], platform?: string): string;
}

export const kindsFor = (spec: ReportSpec): TenantKind[] => [
  'analyst',
  'advertiser',
  ...(spec.scope.platform || spec.scope.platformInSource ? ['platform' as const] : []),
];

const where = (conditions: readonly string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
const deliveryMeasures = ['requests', 'downloads', 'listeners_first_seen', 'ads_delivered', 'ghost_ads_delivered', 'bot_requests'];

const delivery: ReportSpec = {
  name: 'delivery',
  view: 'delivery_daily',
  summary: 'Requests, IAB downloads, new listeners, ad and ghost deliveries and bot requests per day or month, platform, show, episode and campaign',
  row: DeliveryRow,
  filters: { campaign: 'campaign_id', show: 'show_id' },
  granularities: ['day', 'month'],
  scope: { campaign: 'campaign_id', adAdvertiser: 'advertiser_id', platform: 'platform' },
  sort: ['period', 'platform', 'show_id', 'episode_id', 'campaign_id'],
  dated: true,
  source: (b, f, conditions) => {
    const d = b.dialect;
    // Months come from delivery_hourly: its TIMESTAMP `hour` has the same month text in both dialects.
    const [view, period, window] =
      f.granularity === 'day'
        ? ['delivery_daily', b.asText('day'), [`day >= CAST(${b.bind('from_day', f.from)} AS DATE)`, `day <= CAST(${b.bind('to_day', f.to)} AS DATE)`]]
        : ['delivery_hourly', d.month('hour'), [`hour >= ${b.midnightUtc('from_ts', f.from)}`, `hour < ${b.midnightUtc('until_ts', f.until)}`]];
    return [
      `SELECT ${period} AS period, platform, show_id, episode_id, campaign_id, ${deliveryMeasures.map((m) => `SUM(${m}) AS ${m}`).join(', ')}`,
      `FROM ${d.table(view)} AS v`,
      where([...window, ...conditions]),
      'GROUP BY 1, 2, 3, 4, 5',
    ].join('\n');
  },
};

const reach: ReportSpec = {
  name: 'reach',
  view: 'reach_frequency',
  summary: 'Households and listeners reached, impressions and average frequency per campaign and month (or day), counted inside the window',
  row: ReachRow,
  filters: { campaign: 'ad.campaign_id', show: 'e.show_id' },
  granularities: ['month', 'day'],
  scope: { campaign: 'ad.campaign_id', adAdvertiser: 'ad.advertiser_id', platform: 'e.platform' },
  sort: ['period', 'campaign_id'],
  dated: true,
  source: (b, f, conditions) => {
    const d = b.dialect;
    const window = [`e.ts >= ${b.midnightUtc('from_ts', f.from)}`, `e.ts < ${b.midnightUtc('until_ts', f.until)}`];
    const period = f.granularity === 'day' ? b.asText(d.truncDay('e.ts')) : d.month('e.ts');
    return computeReachSql(d, { period, periodName: 'period', where: [...window, ...conditions] });
  },
};

const discrepancy: ReportSpec = {
  name: 'discrepancy',
  view: 'verification_discrepancy',
  summary: "Earshot's ad deliveries against each vendor's measured impressions (valid, GIVT, SIVT) per campaign and UTC day",
  row: DiscrepancyRow,
  filters: { campaign: 'campaign_id' },
  granularities: ['day'],
  // A campaign's rows span every platform that delivered it: a platform gets the view's SQL with
  // both sides cut to its own deliveries and the vendor verdicts on its own requests.
  scope: { campaign: 'campaign_id', platformInSource: true },
  sort: ['day', 'campaign_id', 'vendor'],
  dated: true,
  source: (b, f, conditions, platform) => {
    const d = b.dialect;
    const columns = columnsOf(DiscrepancyRow).map((c) => (c === 'day' ? `${b.asText('day')} AS day` : c));
    const window = [`day >= CAST(${b.bind('from_day', f.from)} AS DATE)`, `day <= CAST(${b.bind('to_day', f.to)} AS DATE)`];
    if (platform === undefined) return `SELECT ${columns.join(', ')} FROM ${d.table('verification_discrepancy')} AS v ${where([...window, ...conditions])}`;
    const from = b.midnightUtc('from_ts', f.from);
    const until = b.midnightUtc('until_ts', f.until);
    // A vendor measures an impression after the request: its request is looked up a day either side.
    const requests = `SELECT r.event_id FROM ${d.deduped('beacon_events')} AS r WHERE r.platform = ${platform} AND r.ts >= ${b.midnightUtc('requests_from_ts', f.before)} AND r.ts < ${b.midnightUtc('requests_until_ts', f.after)}`;
    const scoped = computeVerificationDiscrepancySql(d, { discrepancyThresholdPct: b.bind('threshold_pct', f.thresholdPct) }, {
      deliveries: [`deltas.platform = ${platform}`, `deltas.hour >= ${from}`, `deltas.hour < ${until}`],
      measurements: [`events.measured_at >= ${from}`, `events.measured_at < ${until}`, `events.impression_id IN (${requests})`],
    });
    return `SELECT ${columns.join(', ')} FROM (\n${scoped}\n) AS v ${where([...window, ...conditions])}`;
  },
};

const attribution: ReportSpec = {
  name: 'attribution',
  view: 'attribution_summary',
  summary: 'Households reached, attributed visitors and conversions, revenue, spend, cost per visitor and ROAS per advertiser, campaign and event (whole campaign)',
  row: AttributionRow,
  filters: { campaign: 'campaign_id' },
  granularities: ['day', 'month'],
  scope: { advertiser: 'advertiser_id' },
  sort: ['advertiser_id', 'campaign_id', 'event'],
  dated: false,
  source: (b, _f, conditions) => `SELECT ${columnsOf(AttributionRow).join(', ')} FROM ${b.dialect.table('attribution_summary')} AS v ${where(conditions)}`,
};

const lift: ReportSpec = {
  name: 'lift',
  view: 'lift_results',
  summary: 'Holdout study results per comparison (intent to treat, ghost ads): households and conversions per arm, rates, absolute and relative lift, z, p-value and 95% intervals (whole study)',
  row: LiftRow,
  filters: { study: 'study_id' },
  granularities: ['day', 'month'],
  scope: { advertiser: 'advertiser_id' },
  sort: ['study_id', 'advertiser_id'],
  dated: false,
  source: (b, _f, conditions) => `SELECT ${columnsOf(LiftRow).join(', ')} FROM ${b.dialect.table('lift_results')} AS v ${where(conditions)}`,
};

export const reportSpecs: Record<ReportName, ReportSpec> = { delivery, reach, discrepancy, attribution, lift };
