import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.ts';
import { ConversionValue, Currency } from './conversion-record.ts';

const HouseholdKey = Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$', description: 'HMAC of the truncated IP under a month key' });

/** A household's arm in one study of the advertiser, assigned as `GET /assign` does. */
export const StudyArm = Type.Object(
  {
    study_id: Type.String({ description: 'Lift study (studies[].id in the configuration)' }),
    arm: StringEnum(['control', 'test'], { description: 'control (holdout: shown a ghost ad) or test' }),
    bucket: Type.Integer({ minimum: 0, maximum: 9999, description: 'HMAC-SHA256(study salt, household) bucket 0..9999' }),
  },
  { additionalProperties: false },
);
export type StudyArm = Static<typeof StudyArm>;

/**
 * A conversion after intake: the IP replaced by the household's keys for every calendar month the
 * advertiser's lookback reaches into (exposures are stored per month key), the User-Agent by a
 * hash (cross-device detection only), and the household's study arms, which need the address.
 */
export const EnrichedConversion = Type.Object(
  {
    conversion_id: Type.String({ minLength: 1, maxLength: 220, description: 'o:<order_id>, e:<event_id>, or h_<keyed content digest>' }),
    advertiser_id: Id,
    event: Id,
    ts: Timestamp,
    received_at: Timestamp,
    source: StringEnum(['pixel', 'server']),
    value: Type.Optional(ConversionValue),
    currency: Type.Optional(Currency),
    order_id: Type.Optional(Id),
    event_id: Type.Optional(Id),
    household_keys: Type.Array(HouseholdKey, { minItems: 1, maxItems: 5, description: "Newest month first: the conversion month's key, then earlier months'" }),
    ua_hash: Type.Integer({ minimum: 0, description: '31-bit hash of the User-Agent, as the exposure index stores it' }),
    arms: Type.Array(StudyArm, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type EnrichedConversion = Static<typeof EnrichedConversion>;

/** Payload of one message on topic `conversions`. */
export const ConversionBatch = Type.Object({ conversions: Type.Array(EnrichedConversion, { minItems: 1 }) }, { additionalProperties: false });
export type ConversionBatch = Static<typeof ConversionBatch>;
