import { EarshotConfig } from '../schemas/config.ts';
import { validatorFor, type Validation } from '../schemas/validator.ts';

const validateConfig = validatorFor(EarshotConfig);

/** Parses and validates a configuration document, filling defaults (DESIGN.md §4). */
export function tryParseConfig(text: string): Validation<EarshotConfig> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: '/', rule: 'json', message: (err as Error).message }] };
  }
  return tryValidateConfig(value);
}

/** Validates a configuration document already parsed from JSON, filling defaults in place. */
export function tryValidateConfig(value: unknown): Validation<EarshotConfig> {
  const checked = validateConfig(value);
  if (!checked.ok) return checked;
  const errors = duplicateIds(checked.value);
  return errors.length ? { ok: false, errors } : checked;
}

function duplicateIds(config: EarshotConfig): Array<{ path: string; rule: string; message: string }> {
  const sections = ['platforms', 'vendors', 'advertisers', 'studies'] as const;
  return sections.flatMap((section) => {
    const seen = new Set<string>();
    return config[section].flatMap((entry, i) => {
      if (!seen.has(entry.id)) return (seen.add(entry.id), []);
      return [{ path: `/${section}/${i}/id`, rule: 'unique', message: `duplicates id ${entry.id}` }];
    });
  });
}

/** One line naming every problem, for a CLI's stderr or a startup failure. */
export function describeErrors(errors: ReadonlyArray<{ path: string; message: string }>): string {
  return errors.map((e) => `${e.path} ${e.message}`).join('; ');
}
