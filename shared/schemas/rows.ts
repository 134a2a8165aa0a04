import { Type, type Static, type TObject } from '@sinclair/typebox';
import { InsertedAd, PlaybackEventName } from './beacon-record.ts';

const described = <T extends object>(description: string, schema: T): T => ({ ...schema, description });
const optional = Type.Optional;

/** `beacon_events`: every accepted request with its verdict and reason (DESIGN.md §5). */
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
    country: optional(Type.String({ description: 'ISO 3166-1 alpha-2 country from the platform' })),
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
    counted: optional(Type.Boolean({ description: 'Whether the request counted (download, impression); null until counted' })),
    reason: Type.String({ description: 'Why the request counted or not' }),
  },
  { additionalProperties: false },
);
export type BeaconEventRow = Static<typeof BeaconEventRow>;

/** `dead_letters`: anything a function could not process, with the reason; nothing is lost. */
export const DeadLetterRow = Type.Object(
  {
    insert_id: Type.String({ description: 'Deterministic row key: source and message id' }),
    failed_at: Type.String({ format: 'date-time', description: 'When the message was given up (partition column)' }),
    source: Type.String({ description: 'Function or subscription that gave up' }),
    message_id: Type.String({ description: 'Pub/Sub message id, or the row key of a refused row' }),
    reason: Type.String({ description: 'Why it could not be processed' }),
    payload: Type.String({ description: 'The message or row as received (truncated to 64 KiB)' }),
  },
  { additionalProperties: false },
);
export type DeadLetterRow = Static<typeof DeadLetterRow>;

/** Every warehouse table, by name: the one definition tables, types and DDL come from. */
export const Tables = {
  beacon_events: BeaconEventRow,
  dead_letters: DeadLetterRow,
} as const satisfies Record<string, TObject>;
export type TableName = keyof typeof Tables;
export type RowOf<T extends TableName> = Static<(typeof Tables)[T]>;

/** Event-time column each table is day-partitioned on, and its clustering. */
export const TableLayout: Record<TableName, { partitionBy: string; clusterBy: string[] }> = {
  beacon_events: { partitionBy: 'ts', clusterBy: ['platform', 'show_id', 'episode_id'] },
  dead_letters: { partitionBy: 'failed_at', clusterBy: ['source'] },
};
