import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.ts';

/**
 * MRC Invalid Traffic Detection and Filtration Guidelines (2015, addendum 2020): traffic is valid,
 * general invalid traffic (GIVT: known data centres, declared bots and spiders, list-based and
 * routine checks) or sophisticated invalid traffic (SIVT: hidden bots, hijacked devices, falsified
 * measurement, ... found only by advanced analytics).
 */
export const ivtCategories = ['valid', 'givt', 'sivt'] as const;
export type IvtCategory = (typeof ivtCategories)[number];

/** README.md, Vendor callbacks: one vendor verdict on one impression Earshot counted. */
export const VerificationEvent = Type.Object(
  {
    impression_id: { ...Id, description: "The measured beacon's event_id" },
    ad_id: Type.Optional({
      ...Id,
      description: 'The measured inserted ad of that beacon (its ads[].ad_id): a download carrying several ads is several impressions',
    }),
    campaign_id: Id,
    measured_at: Timestamp,
    ivt: StringEnum(ivtCategories, { description: 'MRC traffic category' }),
    reasons: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        maxItems: 20,
        description: 'Why the traffic is invalid (givt and sivt only), e.g. data_center, known_crawler, hijacked_device',
      }),
    ),
    geo_match: Type.Optional(Type.Boolean({ description: 'Listener inside the campaign geography' })),
    brand_safe: Type.Optional(Type.Boolean({ description: 'Content judged brand safe' })),
    audible: Type.Optional(Type.Boolean({ description: 'Ad measured as audible' })),
  },
  { additionalProperties: false },
);
export type VerificationEvent = Static<typeof VerificationEvent>;

/** Most events one callback may carry. */
export const maxEventsPerCallback = 1000;

/** README.md, Vendor callbacks: a callback body is one event or `{events:[...]}` of up to 1000. */
export const VerificationBatch = Type.Object(
  { events: Type.Array(VerificationEvent, { minItems: 1, maxItems: maxEventsPerCallback }) },
  { additionalProperties: false },
);
export type VerificationBatch = Static<typeof VerificationBatch>;

/**
 * Payload formats a vendor can post in; each has an adapter in `shared/domain/verification/adapters/`.
 * `canonical` is §4b itself; `acme` is the worked example of a differently shaped vendor.
 */
export const vendorFormats = ['canonical', 'acme'] as const;
export type VendorFormat = (typeof vendorFormats)[number];
