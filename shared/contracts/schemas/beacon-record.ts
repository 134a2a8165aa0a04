import { Type, type Static } from '@sinclair/typebox';
import { ByteCount, Id, IpAddress, StringEnum, Timestamp } from './common.ts';

/** VAST 4 linear tracking events a client pixel may report. */
export const PlaybackEventName = StringEnum(['start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']);

export const InsertedAd = Type.Object(
  {
    ad_id: { ...Id, description: 'The inserted ad (the ad server id of this placement)' },
    campaign_id: { ...Id, description: 'Campaign the ad belongs to' },
    creative_id: { ...Id, description: 'Creative (the audio asset) inserted' },
    advertiser_id: Type.Optional({ ...Id, description: 'Advertiser of the campaign, for attribution' }),
    byte_start: { ...ByteCount, description: 'First byte of the ad in the served file' },
    byte_end: { ...ByteCount, description: 'Last byte of the ad (inclusive, as in HTTP ranges)' },
    position: Type.Optional(StringEnum(['pre', 'mid', 'post'], { description: 'Pre-, mid- or post-roll' })),
    ghost: Type.Optional(Type.Boolean({ description: 'Holdout placeholder: the ad was not actually inserted' })),
    study_id: Type.Optional({ ...Id, description: 'Lift study the placement was assigned in (studies[].id): the ad server asked GET /assign for it' }),
  },
  { additionalProperties: false },
);

export const Playback = Type.Object(
  { event: PlaybackEventName, ad_id: Type.Optional(Id), campaign_id: Type.Optional(Id) },
  { additionalProperties: false },
);

/** One request as a hosting platform logged it (README.md, Try it and What counts). */
export const BeaconRecord = Type.Object(
  {
    event_id: Type.Optional(Id),
    type: StringEnum(['download', 'impression', 'playback']),
    ts: Timestamp,
    platform: Type.Optional(Id),
    show_id: Id,
    episode_id: Id,
    ip: IpAddress,
    user_agent: Type.String({ maxLength: 2000 }),
    referer: Type.Optional(Type.String({ maxLength: 2000 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, as geolocated by the platform' })),
    method: Type.Optional(Type.String({ pattern: '^[A-Z]{1,10}$' })),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    range: Type.Optional(Type.String({ maxLength: 200 })),
    bytes_sent: Type.Optional(ByteCount),
    file_size: Type.Optional(ByteCount),
    duration_s: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    id3_size: Type.Optional(ByteCount),
    bitrate_kbps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    ads: Type.Optional(Type.Array(InsertedAd, { maxItems: 100 })),
    playback: Type.Optional(Playback),
  },
  { additionalProperties: false },
);
export type BeaconRecord = Static<typeof BeaconRecord>;
export type InsertedAd = Static<typeof InsertedAd>;
