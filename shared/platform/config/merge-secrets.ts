import { Type, type TSchema } from '@sinclair/typebox';
import { AdvertiserConfig, AnalystConfig, PlatformConfig, PrivacyConfig, StudyConfig, VendorConfig, type EarshotConfig } from '../../contracts/schemas/config.ts';
import { validatorFor, type FieldError, type Validation, type Validator } from '../../contracts/schemas/validator.ts';
import { tryValidateConfig } from './parse-config.ts';

/**
 * In the cloud the configuration arrives in pieces, so each function can be given only the secrets
 * its code uses: the settings document without secrets, and one Secret Manager secret per concern,
 * each an environment variable. This module puts them back together into one `EarshotConfig`.
 */

/** Environment variable of the configuration document: everything, or the settings without secrets. */
export const settingsEnv = 'EARSHOT_CONFIG';

/** Environment variable of each secret concern (one Secret Manager secret each; docs/deploy.md). */
export const secretEnv = {
  /** `{"<platform id>": ["<bearer key>", ...]}`: `platforms[].keys`. */
  platformKeys: 'EARSHOT_PLATFORM_KEYS',
  /** `{"<vendor id>": ["whsec_..." or "whpk_...", ...]}`: `vendors[].secrets` (public keys travel with the secrets). */
  vendorSecrets: 'EARSHOT_VENDOR_SECRETS',
  /** `{"<advertiser id>": ["<bearer key>", ...]}`: `advertisers[].keys`. */
  advertiserKeys: 'EARSHOT_ADVERTISER_KEYS',
  /** `{"<analyst id>": ["<bearer key>", ...]}`: `analysts[].keys`. */
  analystKeys: 'EARSHOT_ANALYST_KEYS',
  /** `{"<study id>": "<salt>"}`: `studies[].salt`. */
  studySalts: 'EARSHOT_STUDY_SALTS',
  /** The privacy master key as plain text (one trailing line break ignored): `privacy.master_key`. */
  privacyKey: 'EARSHOT_PRIVACY_KEY',
} as const;

export type SecretConcern = keyof typeof secretEnv;

/** Where each list-shaped secret goes in the document, and what its values must be. */
interface ListSecret {
  section: 'platforms' | 'vendors' | 'advertisers' | 'analysts' | 'studies';
  field: 'keys' | 'secrets' | 'salt';
  noun: string;
  validate: Validator<unknown>;
  /** What an entry the secret leaves out gets: its schema default, or nothing (an error). */
  absent: unknown[] | undefined;
  /** A value the schema accepts, standing in for a withheld secret while the document is validated. */
  placeholder: unknown;
}

const byId = (value: TSchema) => validatorFor(Type.Record(Type.String(), value));

const listSecrets: Record<Exclude<SecretConcern, 'privacyKey'>, ListSecret> = {
  platformKeys: {
    section: 'platforms',
    field: 'keys',
    noun: 'platform',
    validate: byId(PlatformConfig.properties.keys),
    absent: undefined,
    placeholder: ['withheld-secret-placeholder'],
  },
  vendorSecrets: {
    section: 'vendors',
    field: 'secrets',
    noun: 'vendor',
    validate: byId(VendorConfig.properties.secrets),
    absent: undefined,
    placeholder: ['whsec_d2l0aGhlbGQtcGxhY2Vob2xkZXI='],
  },
  // An advertiser without keys sends conversions by pixel only.
  advertiserKeys: {
    section: 'advertisers',
    field: 'keys',
    noun: 'advertiser',
    validate: byId(Type.Array(AdvertiserConfig.properties.keys.items)),
    absent: [],
    placeholder: [],
  },
  analystKeys: {
    section: 'analysts',
    field: 'keys',
    noun: 'analyst',
    validate: byId(AnalystConfig.properties.keys),
    absent: undefined,
    placeholder: ['withheld-secret-placeholder'],
  },
  studySalts: {
    section: 'studies',
    field: 'salt',
    noun: 'study',
    validate: byId(StudyConfig.properties.salt),
    absent: undefined,
    placeholder: 'withheld-secret-placeholder',
  },
};

const validateMasterKey = validatorFor(PrivacyConfig.properties.master_key);
const masterKeyPlaceholder = 'withheld-secret-placeholder-0123456789';

/** A secret field the function was not given, by JSON Pointer, and the variable that would carry it. */
export interface WithheldField {
  path: string;
  env: string;
}

/** The document with every secret that is present merged in, and the secret fields left withheld. */
export interface MergedDocument {
  document: Record<string, unknown>;
  withheld: WithheldField[];
}

type Entry = Record<string, unknown>;
const isObject = (value: unknown): value is Entry => typeof value === 'object' && value !== null && !Array.isArray(value);
const prefixed = (env: string, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ ...e, path: `${env}${e.path === '/' ? '' : e.path}` }));

/** Parsed JSON, or an error naming the variable; never the parser's message, which quotes the text. */
function tryParseJson(env: string, text: string): Validation<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, errors: [{ path: env, rule: 'json', message: 'is not valid JSON' }] };
  }
}

function mergeList(document: Entry, concern: keyof typeof listSecrets, text: string | undefined, withheld: WithheldField[]): FieldError[] {
  const { section, field, noun, validate, absent, placeholder } = listSecrets[concern];
  const env = secretEnv[concern];
  const entries = Array.isArray(document[section]) ? (document[section] as unknown[]) : [];
  if (text === undefined) {
    // Not given: entries that carry the field keep it (the whole document in one variable); the
    // others stand in a placeholder the schema accepts, withheld once the document is valid.
    entries.forEach((entry, i) => {
      if (isObject(entry) && !(field in entry)) {
        entry[field] = structuredClone(placeholder);
        withheld.push({ path: `/${section}/${i}/${field}`, env });
      }
    });
    return [];
  }
  const parsed = tryParseJson(env, text);
  if (!parsed.ok) return parsed.errors;
  const checked = validate(parsed.value);
  if (!checked.ok) return prefixed(env, checked.errors);
  const values = new Map(Object.entries(checked.value as Record<string, unknown>));
  const errors: FieldError[] = [];
  entries.forEach((entry, i) => {
    if (!isObject(entry)) return; // the schema names it
    const id = String(entry.id);
    if (field in entry) {
      errors.push({ path: `${settingsEnv}/${section}/${i}/${field}`, rule: 'secret', message: `is also given by ${env}: keep a secret in one place` });
    } else if (values.has(id)) {
      entry[field] = values.get(id);
    } else if (absent) {
      entry[field] = structuredClone(absent);
    } else {
      errors.push({ path: `${env}/${id}`, rule: 'required', message: `is required: ${settingsEnv} lists ${noun} ${id}` });
    }
  });
  const listed = new Set(entries.map((entry) => (isObject(entry) ? String(entry.id) : undefined)));
  for (const id of values.keys()) {
    if (listed.has(id)) continue;
    errors.push({ path: `${env}/${id}`, rule: 'unknown', message: `names ${noun} ${id}, which ${settingsEnv} does not list` });
  }
  return errors;
}

function mergeMasterKey(document: Entry, text: string | undefined, withheld: WithheldField[]): FieldError[] {
  const env = secretEnv.privacyKey;
  const privacy = document.privacy;
  if (privacy !== undefined && !isObject(privacy)) return []; // the schema names it
  const target: Entry = privacy ?? {};
  const has = 'master_key' in target;
  if (text === undefined) {
    if (has) return [];
    document.privacy = { ...target, master_key: masterKeyPlaceholder };
    withheld.push({ path: '/privacy/master_key', env });
    return [];
  }
  if (has) return [{ path: `${settingsEnv}/privacy/master_key`, rule: 'secret', message: `is also given by ${env}: keep a secret in one place` }];
  const key = text.replace(/\r?\n$/, '');
  const checked = validateMasterKey(key);
  if (!checked.ok) return prefixed(env, checked.errors);
  document.privacy = { ...target, master_key: key };
  return [];
}

/**
 * Merges the secrets present in `secrets` (by concern) into a parsed configuration document: each
 * one fills its field in every entry of its section, by id. Total: a malformed secret, an id the
 * document does not list, an entry the secret misses and a field given twice are errors whose path
 * starts with the variable's name. A concern not given leaves its fields withheld (see
 * `tryResolveConfig`) unless the document carries them itself. Does not validate the document.
 */
export function tryMergeSecrets(document: unknown, secrets: Readonly<Partial<Record<SecretConcern, string>>>): Validation<MergedDocument> {
  if (!isObject(document)) return { ok: false, errors: [{ path: settingsEnv, rule: 'type', message: 'must be a JSON object' }] };
  const merged = structuredClone(document);
  const withheld: WithheldField[] = [];
  const errors = [
    ...(Object.keys(listSecrets) as Array<keyof typeof listSecrets>).flatMap((concern) => mergeList(merged, concern, secrets[concern], withheld)),
    ...mergeMasterKey(merged, secrets.privacyKey, withheld),
  ];
  return errors.length ? { ok: false, errors } : { ok: true, value: { document: merged, withheld } };
}

/** The value at a JSON Pointer's parent, and the last segment (pointers here never escape). */
function parentOf(root: Entry, path: string): [Entry, string] {
  const segments = path.split('/').slice(1);
  const last = segments.pop() as string;
  const parent = segments.reduce<unknown>((node, segment) => (node as Entry)[segment], root);
  return [parent as Entry, last];
}

/** What a withheld secret field holds in the resolved configuration: an empty list or string. */
const withheldValue = (placeholder: unknown): unknown => (Array.isArray(placeholder) ? [] : '');

/**
 * The configuration of a function from its environment: `EARSHOT_CONFIG` (absent reads as `{}`,
 * for a function that reads no configuration) with the secret variables present merged in, then
 * validated. A secret field the function was not given is empty, a plain value that copies and
 * serialises like any other: no keys or vendor secrets, which authenticate nothing, and an empty
 * study salt or master key, which the code deriving from them refuses (`computeBucket`,
 * `HouseholdKeyer`). So code that starts using a secret its deployment does not mount fails
 * closed, never runs with a stand-in (and test/unit/terraform fails before that).
 */
export function tryResolveConfig(env: Readonly<Record<string, string | undefined>>): Validation<EarshotConfig> {
  const text = env[settingsEnv];
  const document = text === undefined ? { ok: true as const, value: {} } : tryParseJson(settingsEnv, text);
  if (!document.ok) return document;
  const secrets = Object.fromEntries(Object.entries(secretEnv).map(([concern, name]) => [concern, env[name]]));
  const merged = tryMergeSecrets(document.value, secrets);
  if (!merged.ok) return merged;
  const checked = tryValidateConfig(merged.value.document, new Set(merged.value.withheld.map((w) => w.path)));
  if (!checked.ok) return { ok: false, errors: prefixed(settingsEnv, checked.errors) };
  for (const { path } of merged.value.withheld) {
    const [parent, field] = parentOf(checked.value as unknown as Entry, path);
    parent[field] = withheldValue(parent[field]);
  }
  return checked;
}
