import { Type, type Static, type TObject } from '@sinclair/typebox';
import { InsertedAd, PlaybackEventName } from './beacon-record.ts';
import { StringEnum } from './common.ts';
import { AttributedConversionRow, ConversionRow } from './conversion-rows.ts';
import { ivtCategories } from './verification.ts';

const described = <T extends object>(description: string, schema: T): T => ({ ...schema, description });
const optional = Type.Optional;

/** `beacon_events`: every accepted request with its verdict and reason (docs/analysts.md). */
export const BeaconEventRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: platform and event id' }),
    event_id: Type.String({ description: 'Platform event id, or a hash of the record when none was sent' }),
    platform: Type.String({ description: 'Hosting platform that sent the request' }),
    type: Type.String({ description: 'download, impression or playback' }),
    ts: Type.String({ format: 'date-time', description: 'When the request happened (partition column)' }),
    received_at: Type.String({ format: 'date-time', description: 'When Earshot accepted the record' }),
    show_id: Type.String({ description: 'Show (podcast) id' }),
    episode_id: Type.String({ description: 'Episode id' }),
    household_key: Type.String({ description: 'HMAC-SHA256 of the truncated IP under the month key; never the IP' }),
    user_agent: Type.String({ description: 'User-Agent header as sent' }),
    referer: optional(Type.String({ description: 'Referer header as sent' })),
    country: optional(Type.String({ description: 'ISO 3166-1 alpha-2 country: the platform\'s if it sent one, else looked up from the IP at intake' })),
    method: Type.String({ description: 'HTTP method (GET when not sent)' }),
    status: Type.Integer({ description: 'HTTP status (200 when not sent)' }),
    range: optional(Type.String({ description: 'Range header as sent' })),
    bytes_sent: optional(Type.Integer({ description: 'Bytes the server sent' })),
    file_size: optional(Type.Integer({ description: 'Size of the whole file in bytes' })),
    duration_s: optional(Type.Number({ description: 'Audio duration in seconds' })),
    id3_size: optional(Type.Integer({ description: 'Size of the ID3 header in bytes' })),
    bitrate_kbps: optional(Type.Number({ description: 'Audio bitrate in kbit/s' })),
    ads: optional(Type.Array(described('Dynamically inserted ads in the served file', InsertedAd))),
    playback_event: optional(described('VAST playback event of a client pixel', PlaybackEventName)),
    playback_ad_id: optional(Type.String({ description: 'Ad the playback event refers to' })),
    playback_campaign_id: optional(Type.String({ description: 'Campaign the playback event refers to' })),
    counted: Type.Boolean({ description: 'Whether the request counted as a download (IAB v2.x)' }),
    reason: Type.String({ description: 'Why the request counted or not: counted, already_counted, below_minimum, bot, ...' }),
    ads_delivered: Type.Array(Type.String(), { description: 'Inserted ads this request delivered inside a counted download' }),
    ghost_ads_delivered: Type.Array(Type.String(), { description: 'Holdout (ghost) placements delivered the same way' }),
    ua_type: Type.String({ description: 'User-Agent class: app, bot, library, browser or unknown' }),
    ua_name: optional(Type.String({ description: 'Matched app, bot, library or browser name' })),
    device: optional(Type.String({ description: 'Matched device name' })),
    bot: Type.Boolean({ description: 'Whether the User-Agent was taken for a bot' }),
    // Last: tables that predate it get it added at the end (BigQuery and DuckDB alike).
    listener_key: optional(Type.String({ description: 'HMAC-SHA256 of the truncated IP and the User-Agent under the month listener key: one listener (IAB v2.x) per month' })),
    region: optional(Type.String({ description: 'First-level subdivision (state, province) of the address, from the geo database at intake' })),
    metro: optional(Type.String({ description: 'US metro area (Nielsen DMA code) of the address, when the geo database gives one' })),
    asn: optional(Type.Integer({ description: 'Autonomous system that announced the address' })),
    datacenter: optional(Type.String({ description: 'Hosting or cloud provider of that network (reason datacenter unless the app is allow-listed)' })),
    geo_db: optional(Type.String({ description: 'Geo and network databases (package@version) the row was enriched from, for restatements' })),
  },
  { additionalProperties: false },
);
export type BeaconEventRow = Static<typeof BeaconEventRow>;

/**
 * `delivery_deltas`: what one batch added, per hour and dimensions. Request-level rows leave the
 * ad columns empty; ad-level rows carry the ad and count its deliveries. Keyed by (batch,
 * dimensions), so a redelivered batch writes the same keys and never adds to a number.
 */
export const DeliveryDeltaRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: batch digest and dimensions digest' }),
    batch_id: Type.String({ description: 'Digest of the event ids of the batch that produced the row' }),
    hour: Type.String({ format: 'date-time', description: 'Hour of the requests, UTC (partition column)' }),
    platform: Type.String({ description: 'Hosting platform' }),
    show_id: Type.String({ description: 'Show id' }),
    episode_id: Type.String({ description: 'Episode id' }),
    campaign_id: optional(Type.String({ description: 'Campaign of the ad (ad-level rows)' })),
    creative_id: optional(Type.String({ description: 'Creative of the ad (ad-level rows)' })),
    ad_id: optional(Type.String({ description: 'Ad id (ad-level rows)' })),
    advertiser_id: optional(Type.String({ description: 'Advertiser of the ad, when the platform sent it' })),
    country: optional(Type.String({ description: 'ISO 3166-1 alpha-2 country: the platform\'s, else the geo database\'s' })),
    app: optional(Type.String({ description: 'App (or bot, library, browser) name from the User-Agent' })),
    device: optional(Type.String({ description: 'Device name from the User-Agent' })),
    requests: Type.Integer({ description: 'Requests received (all, including excluded ones)' }),
    downloads: Type.Integer({ description: 'IAB downloads counted' }),
    listeners_first_seen: Type.Integer({ description: "Downloads that were a listener's first for the show that UTC day, the first to arrive: summed per show and day it is the show's daily listeners; which episode holds it follows arrival" }),
    ads_delivered: Type.Integer({ description: 'Inserted ads delivered' }),
    ghost_ads_delivered: Type.Integer({ description: 'Holdout (ghost) placements delivered' }),
    bot_requests: Type.Integer({ description: 'Requests excluded as bots' }),
    // Last and optional: tables that predate them get them added at the end, in this order (BigQuery and DuckDB alike).
    region: optional(Type.String({ description: 'First-level subdivision of the addresses, from the geo database' })),
    metro: optional(Type.String({ description: 'US metro (DMA code) of the addresses, when the geo database gives one' })),
    datacenter_requests: optional(Type.Integer({ description: 'Requests excluded as data-centre traffic (MRC GIVT)' })),
    anomalous_requests: optional(Type.Integer({ description: 'Requests excluded as volume anomalies (household_volume, address_burst)' })),
    study_id: optional(Type.String({ description: 'Lift study of the placement (ad-level rows), when the platform named one' })),
  },
  { additionalProperties: false },
);
export type DeliveryDeltaRow = Static<typeof DeliveryDeltaRow>;

/** `dead_letters`: anything a function could not process, with the reason; nothing is lost. */
export const DeadLetterRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: source and message id' }),
    failed_at: Type.String({ format: 'date-time', description: 'When the message was given up (partition column)' }),
    source: Type.String({ description: 'Function or subscription that gave up' }),
    message_id: Type.String({ description: 'Pub/Sub message id, or the row key of a refused row' }),
    reason: Type.String({ description: 'Why it could not be processed' }),
    payload: Type.String({ description: 'The message or row as received (truncated to 64 KiB; `base64:` and base64 when not UTF-8)' }),
  },
  { additionalProperties: false },
);
export type DeadLetterRow = Static<typeof DeadLetterRow>;

/**
 * `verification_events`: a measurement vendor's verdict on an impression Earshot counted (README.md,
 * Vendor callbacks). Keyed by vendor and impression, so a callback delivered again, or an impression a vendor
 * reports again in another callback, leaves one row.
 */
export const VerificationEventRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: vendor, impression id and ad id' }),
    vendor: Type.String({ description: 'Measurement vendor that sent the verdict (configured vendor id)' }),
    webhook_id: Type.String({ description: 'Standard Webhooks message id (webhook-id header) of the callback that carried it' }),
    campaign_id: Type.String({ description: 'Campaign of the measured ad' }),
    impression_id: Type.String({ description: "The measured beacon's event_id" }),
    ad_id: optional(Type.String({ description: 'The measured inserted ad of that beacon, when the vendor names it' })),
    measured_at: Type.String({ format: 'date-time', description: 'When the vendor measured the impression (partition column)' }),
    ivt: described('MRC category: valid, givt (general invalid traffic) or sivt (sophisticated invalid traffic)', StringEnum(ivtCategories)),
    reasons: Type.Array(Type.String(), { description: 'Why the vendor judged the traffic invalid (MRC IVT reasons); empty for valid traffic' }),
    geo_match: optional(Type.Boolean({ description: 'Whether the vendor placed the listener inside the campaign geography' })),
    brand_safe: optional(Type.Boolean({ description: 'Whether the vendor judged the content brand safe' })),
    audible: optional(Type.Boolean({ description: 'Whether the vendor measured the ad as audible' })),
    received_at: Type.String({ format: 'date-time', description: 'When Earshot accepted the callback' }),
  },
  { additionalProperties: false },
);
export type VerificationEventRow = Static<typeof VerificationEventRow>;

/** Every warehouse table, by name: the one definition tables, types and DDL come from. */
export const Tables = {
  beacon_events: BeaconEventRow,
  delivery_deltas: DeliveryDeltaRow,
  dead_letters: DeadLetterRow,
  verification_events: VerificationEventRow,
  conversions: ConversionRow,
  attributed_conversions: AttributedConversionRow,
} as const satisfies Record<string, TObject>;
export type TableName = keyof typeof Tables;
export type RowOf<T extends TableName> = Static<(typeof Tables)[T]>;

/**
 * How each table is laid out in BigQuery: the event-time column it is day-partitioned on, its
 * clustering, and whether every query must filter on the partition column. Only the per-request
 * table requires the filter: it is by far the largest, so an unfiltered ad-hoc query is a costly
 * mistake; the views over it filter to `viewWindowDays` themselves.
 */
export interface TableLayoutEntry {
  partitionBy: string;
  clusterBy: string[];
  requirePartitionFilter: boolean;
}

export const TableLayout: Record<TableName, TableLayoutEntry> = {
  beacon_events: { partitionBy: 'ts', clusterBy: ['platform', 'show_id', 'episode_id'], requirePartitionFilter: true },
  delivery_deltas: { partitionBy: 'hour', clusterBy: ['campaign_id', 'show_id', 'episode_id'], requirePartitionFilter: false },
  dead_letters: { partitionBy: 'failed_at', clusterBy: ['source'], requirePartitionFilter: false },
  verification_events: { partitionBy: 'measured_at', clusterBy: ['campaign_id', 'vendor'], requirePartitionFilter: false },
  conversions: { partitionBy: 'ts', clusterBy: ['advertiser_id', 'event'], requirePartitionFilter: false },
  attributed_conversions: { partitionBy: 'ts', clusterBy: ['advertiser_id', 'campaign_id'], requirePartitionFilter: false },
};

/** How far back the views read a table that requires a partition filter (13 months: a year on year). */
export const viewWindowDays = 400;
