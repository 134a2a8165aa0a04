import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.ts';
import { vendorFormats } from './verification.ts';

const Secret = Type.String({ minLength: 16, description: 'At least 16 characters of secret material' });

/** A Bearer key as an Authorization header carries it: visible ASCII, no spaces. */
const BearerKey = Type.String({ minLength: 16, pattern: '^[!-~]+$', description: 'At least 16 visible ASCII characters, no whitespace' });

export const PlatformConfig = Type.Object(
  {
    id: Id,
    keys: Type.Array(BearerKey, { minItems: 1, description: 'Bearer keys; several allow rotation' }),
    log_sink: Type.Optional(
      Type.Boolean({ description: "The load balancer's request logs that Cloud Logging's sink publishes to cdn_logs are this platform's (one platform at most)" }),
    ),
    feeds: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://', maxLength: 2000 }), { maxItems: 1000, description: "RSS feeds of the platform's shows: the episode catalog, refreshed on a schedule in the cloud" }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A vendor's `whsec_` secret (base64 of the HMAC key), or its `whpk_` public key: base64 of the raw
 * 32-byte ed25519 key, 43 characters whose last encodes 2 bits (so one of 16), padding optional.
 * Public keys sit in the same list as secrets so a vendor moves from one to the other by editing
 * one list (and one Secret Manager secret), with both accepted in between.
 */
const VendorKey = Type.String({ pattern: '^(whsec_[A-Za-z0-9+/]{16,}={0,2}|whpk_[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=?)$' });

export const VendorConfig = Type.Object(
  {
    id: Id,
    secrets: Type.Array(VendorKey, {
      minItems: 1,
      description:
        'Standard Webhooks keys: whsec_ shared secrets (v1 HMAC signatures) and whpk_ ed25519 public keys (v1a signatures), in any mix; every one is accepted, so several allow rotation',
    }),
    format: Type.Optional(
      StringEnum(vendorFormats, { default: 'canonical', description: 'Callback body format: the adapter in shared/domain/verification/adapters/' }),
    ),
  },
  { additionalProperties: false },
);

/** Analysts read every tenant's reports (`GET /reports/v1/...`). */
export const AnalystConfig = Type.Object(
  { id: Id, keys: Type.Array(Secret, { minItems: 1, description: 'Bearer keys of the reports API; several allow rotation' }) },
  { additionalProperties: false },
);

/** Defaults of the optional advertiser settings, filled in by the schema and by code reading older configs. */
export const advertiserDefaults = { half_life_days: 7, shared_household_agents: 10, currency: 'USD' } as const;

export const AdvertiserConfig = Type.Object(
  {
    id: Id,
    keys: Type.Array(BearerKey, { default: [] }),
    lookback_days: Type.Integer({ minimum: 1, maximum: 90, default: 30 }),
    model: StringEnum(['last_touch', 'first_touch', 'linear', 'time_decay'], { default: 'last_touch' }),
    half_life_days: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 90, default: advertiserDefaults.half_life_days, description: 'time_decay model: days after which an exposure earns half the credit' }),
    ),
    shared_household_agents: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: advertiserDefaults.shared_household_agents,
        description: 'A household seen with more distinct User-Agents than this on one UTC day is taken for a shared network (office, carrier NAT) and left out of attribution',
      }),
    ),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', default: advertiserDefaults.currency, description: 'ISO 4217 currency of conversion values and campaign spend; values in another are refused' }),
    ),
    campaigns: Type.Optional(
      Type.Array(
        Type.Object(
          { id: Id, spend: Type.Optional(Type.Number({ minimum: 0, description: 'Spend so far, in the advertiser currency: gives cost per visitor and ROAS' })) },
          { additionalProperties: false },
        ),
        { default: [], description: "The advertiser's campaigns: exposures to ads sent without advertiser_id are matched by campaign id" },
      ),
    ),
  },
  { additionalProperties: false },
);

const CalendarDate = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'A UTC calendar day, YYYY-MM-DD' });

/** A lift study (DESIGN.md §7 Studies): several may run at once for one advertiser, each over its own campaigns and days. */
export const StudyConfig = Type.Object(
  {
    id: Id,
    advertiser: Id,
    holdout_share: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    salt: Secret,
    campaigns: Type.Optional(
      Type.Array(Id, { maxItems: 1000, description: "The advertiser's campaigns the study covers: a placement naming the study must be one of them (empty or left out: any)" }),
    ),
    start: Type.Optional({ ...CalendarDate, description: 'First UTC day of the study: GET /assign refuses before it' }),
    end: Type.Optional({ ...CalendarDate, description: 'Last UTC day of the study (included): GET /assign refuses after it' }),
  },
  { additionalProperties: false },
);
export type StudyConfig = Static<typeof StudyConfig>;

export const CountingConfig = Type.Object(
  {
    window: StringEnum(['calendar', 'rolling', 'extending'], { default: 'calendar' }),
    keep_first_two_bytes: Type.Boolean({ default: false }),
  },
  { additionalProperties: false, default: {} },
);

/** Data-centre and volume rules (docs/methodology.md); defaults in shared/domain/traffic/traffic-rules.ts (kept equal by a test). */
export const TrafficConfig = Type.Object(
  {
    datacenter_allow_apps: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        maxItems: 1000,
        default: [],
        description: 'App names (as the User-Agent list names them) that fetch from their own servers and relay to listeners: their requests from hosting networks are counted',
      }),
    ),
    household_episode_max: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20, description: 'Counted downloads of one episode one household may make in one UTC day; the ones after are flagged household_volume' }),
    ),
    burst_episodes_max: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50, description: 'Distinct episodes one household may download in one burst window; the ones after are flagged address_burst' }),
    ),
    burst_window_s: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 86_400, default: 3_600, description: 'Length of the burst windows (UTC-aligned), seconds' }),
    ),
  },
  { additionalProperties: false, default: {} },
);

export const ReportingConfig = Type.Object(
  {
    discrepancy_threshold_pct: Type.Number({
      minimum: 0,
      maximum: 100,
      default: 5,
      description: "verification_discrepancy flags campaign-days whose first/third-party discrepancy exceeds this (the IAB's generally acceptable 5%)",
    }),
    cuped_pre_period_days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        default: 28,
        description: "lift_results' CUPED adjustment: a household's conversions in this many days before its first study placement are its covariate",
      }),
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Time bounds of records at intake; defaults in shared/domain/intake/time-bounds.ts (kept equal by a test). */
export const IntakeConfig = Type.Object(
  {
    min_ts: Type.Optional({
      ...Timestamp,
      default: '2000-01-01T00:00:00Z',
      description: 'Records, conversions and vendor callbacks dated before this are rejected',
    }),
    max_future_s: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 366 * 86_400, default: 86_400, description: 'Records dated more than this many seconds after the clock are rejected' }),
    ),
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

/** The one configuration document (README.md, Commands), locally a file, in the cloud a secret. */
export const EarshotConfig = Type.Object(
  {
    platforms: Type.Array(PlatformConfig, { default: [] }),
    vendors: Type.Array(VendorConfig, { default: [] }),
    advertisers: Type.Array(AdvertiserConfig, { default: [] }),
    studies: Type.Array(StudyConfig, { default: [] }),
    analysts: Type.Array(AnalystConfig, { default: [] }),
    counting: CountingConfig,
    reporting: ReportingConfig,
    intake: Type.Optional(IntakeConfig),
    traffic: Type.Optional(TrafficConfig),
    ua_list: Type.Optional(Type.String({ minLength: 1, description: 'Folder of an OPAWG user-agents-v2 release' })),
    privacy: PrivacyConfig,
  },
  { additionalProperties: false },
);
export type EarshotConfig = Static<typeof EarshotConfig>;
