import { EarshotConfig } from '../../contracts/schemas/config.ts';
import { validatorFor, type FieldError, type Validation } from '../../contracts/schemas/validator.ts';

const validateConfig = validatorFor(EarshotConfig);

/** Parses and validates a configuration document, filling defaults (shared/contracts/schemas/config.ts; README.md, Commands). */
export function tryParseConfig(text: string): Validation<EarshotConfig> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: '/', rule: 'json', message: (err as Error).message }] };
  }
  return tryValidateConfig(value);
}

/**
 * Validates a configuration document already parsed from JSON, filling defaults in place.
 * `withheld` names secret fields holding stand-ins (shared/platform/config/merge-secrets.ts), which the
 * key checks leave out: every withheld platform has the same stand-in.
 */
export function tryValidateConfig(value: unknown, withheld: ReadonlySet<string> = new Set()): Validation<EarshotConfig> {
  const checked = validateConfig(value);
  if (!checked.ok) return checked;
  const errors = [...duplicateIds(checked.value), ...duplicateKeys(checked.value, withheld), ...studyDays(checked.value)];
  return errors.length ? { ok: false, errors } : checked;
}

function duplicateIds(config: EarshotConfig): FieldError[] {
  const sections = ['platforms', 'vendors', 'advertisers', 'studies'] as const;
  return sections.flatMap((section) => {
    const seen = new Set<string>();
    return config[section].flatMap((entry, i) => {
      if (!seen.has(entry.id)) return (seen.add(entry.id), []);
      return [{ path: `/${section}/${i}/id`, rule: 'unique', message: `duplicates id ${entry.id}` }];
    });
  });
}

/** A study ends on or after the day it starts (both are calendar days, so text order is time order). */
function studyDays(config: EarshotConfig): FieldError[] {
  return config.studies.flatMap((study, i) =>
    study.start !== undefined && study.end !== undefined && study.end < study.start ? [{ path: `/studies/${i}/end`, rule: 'order', message: `must be on or after start (${study.start})` }] : [],
  );
}

/**
 * A Bearer key names its owner, so one key on two owners (two platforms, two advertisers, or a
 * platform and an advertiser) would let one tenant's uploads land as the other's. Twice on one
 * owner is refused too: it is a copy-paste slip, not a rotation.
 */
function duplicateKeys(config: EarshotConfig, withheld: ReadonlySet<string>): FieldError[] {
  const firstPath = new Map<string, string>();
  const owners = [...config.platforms.map((p, i) => ({ keys: p.keys, at: `/platforms/${i}` })), ...config.advertisers.map((a, i) => ({ keys: a.keys, at: `/advertisers/${i}` }))];
  return owners.filter(({ at }) => !withheld.has(`${at}/keys`)).flatMap(({ keys, at }) =>
    keys.flatMap((key, k) => {
      const path = `${at}/keys/${k}`;
      const first = firstPath.get(key);
      if (first === undefined) return (firstPath.set(key, path), []);
      return [{ path, rule: 'uniqueKey', message: `is the same key as ${first}; every Bearer key must be unique` }];
    }),
  );
}

/** One line naming every problem, for a CLI's stderr or a startup failure. */
export function describeErrors(errors: ReadonlyArray<{ path: string; message: string }>): string {
  return errors.map((e) => `${e.path} ${e.message}`).join('; ');
}
