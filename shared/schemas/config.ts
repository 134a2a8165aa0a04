import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum } from './common.ts';

const Secret = Type.String({ minLength: 16, description: 'At least 16 characters of secret material' });

export const PlatformConfig = Type.Object(
  { id: Id, keys: Type.Array(Secret, { minItems: 1, description: 'Bearer keys; several allow rotation' }) },
  { additionalProperties: false },
);

export const VendorConfig = Type.Object(
  { id: Id, secrets: Type.Array(Type.String({ pattern: '^whsec_[A-Za-z0-9+/=]{16,}$' }), { minItems: 1 }) },
  { additionalProperties: false },
);

export const AdvertiserConfig = Type.Object(
  {
    id: Id,
    keys: Type.Array(Secret, { default: [] }),
    lookback_days: Type.Integer({ minimum: 1, maximum: 90, default: 30 }),
    model: StringEnum(['last_touch', 'first_touch', 'linear', 'time_decay'], { default: 'last_touch' }),
  },
  { additionalProperties: false },
);

export const StudyConfig = Type.Object(
  { id: Id, advertiser: Id, holdout_share: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), salt: Secret },
  { additionalProperties: false },
);

export const CountingConfig = Type.Object(
  {
    window: StringEnum(['calendar', 'rolling', 'extending'], { default: 'calendar' }),
    keep_first_two_bytes: Type.Boolean({ default: false }),
  },
  { additionalProperties: false, default: {} },
);

export const PrivacyConfig = Type.Object(
  {
    master_key: Type.String({
      minLength: 32,
      description: 'Secret the monthly IP-hashing keys are derived from (HKDF-SHA256 per calendar month)',
    }),
  },
  { additionalProperties: false },
);

/** DESIGN.md §4: the one configuration document, locally a file, in the cloud a secret. */
export const EarshotConfig = Type.Object(
  {
    platforms: Type.Array(PlatformConfig, { default: [] }),
    vendors: Type.Array(VendorConfig, { default: [] }),
    advertisers: Type.Array(AdvertiserConfig, { default: [] }),
    studies: Type.Array(StudyConfig, { default: [] }),
    counting: CountingConfig,
    ua_list: Type.Optional(Type.String({ minLength: 1, description: 'Folder of an OPAWG user-agents-v2 release' })),
    privacy: PrivacyConfig,
  },
  { additionalProperties: false },
);
export type EarshotConfig = Static<typeof EarshotConfig>;
