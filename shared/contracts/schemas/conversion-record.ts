import { Type, type Static } from '@sinclair/typebox';
import { Id, IpAddress, Timestamp } from './common.ts';

/** ISO 4217 currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' });

/** A conversion value: revenue of the order, in the advertiser's currency. */
export const ConversionValue = Type.Number({ minimum: 0, maximum: 1e12, description: 'Revenue of the conversion' });

/**
 * `POST /conversion/events` (README.md, Conversions): one conversion as an advertiser's server reports it.
 * `order_id` (else `event_id`) dedupes: the same order reported twice, or by the pixel and by the
 * server, is attributed once.
 */
export const ConversionRecord = Type.Object(
  {
    event_id: Type.Optional(Id),
    advertiser: Type.Optional(Id),
    event: Id,
    ts: Timestamp,
    ip: IpAddress,
    user_agent: Type.String({ maxLength: 2000 }),
    value: Type.Optional(ConversionValue),
    currency: Type.Optional(Currency),
    order_id: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type ConversionRecord = Static<typeof ConversionRecord>;
