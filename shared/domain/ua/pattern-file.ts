import { Type, type Static } from '@sinclair/typebox';
import { validatorFor, type FieldError, type Validation } from '../../contracts/schemas/validator.ts';

// Unknown fields are allowed at both levels so that a newer OPAWG release, which may add
// properties (its files already carry `$schema`), still loads.

/** One named pattern of an OPAWG user-agents-v2 file (github.com/opawg/user-agents-v2). */
export const PatternEntry = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    pattern: Type.String({ minLength: 1, description: 'JavaScript-compatible regular expression, no flags' }),
    description: Type.Optional(Type.String()),
    examples: Type.Optional(Type.Array(Type.String())),
    category: Type.Optional(Type.String()),
    urls: Type.Optional(Type.Array(Type.String())),
    svg: Type.Optional(Type.String()),
    comments: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type PatternEntry = Static<typeof PatternEntry>;

/** An OPAWG patterns file: entries in matching order. */
export const PatternFile = Type.Object(
  { comments: Type.Optional(Type.Array(Type.String())), entries: Type.Array(PatternEntry) },
  { additionalProperties: true },
);
export type PatternFile = Static<typeof PatternFile>;

const validatePatternFile = validatorFor(PatternFile);

/**
 * Parses a patterns file and checks that every pattern compiles as a JavaScript RegExp. Every
 * error's path starts with `fileName`, so a message names the file (and the entry, for patterns).
 */
export function tryParsePatternFile(text: string, fileName: string): Validation<PatternFile> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: `${fileName}#/`, rule: 'json', message: (err as Error).message }] };
  }
  const checked = validatePatternFile(value);
  if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => ({ ...e, path: `${fileName}#${e.path}` })) };
  const errors = checked.value.entries.flatMap((entry, i) => patternErrors(entry, `${fileName}#/entries/${i}/pattern`));
  return errors.length ? { ok: false, errors } : checked;
}

function patternErrors(entry: PatternEntry, path: string): FieldError[] {
  try {
    new RegExp(entry.pattern);
    return [];
  } catch (err) {
    return [{ path, rule: 'regexp', message: `entry ${JSON.stringify(entry.name)}: ${(err as Error).message}` }];
  }
}
