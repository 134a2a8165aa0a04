import { isIP } from 'node:net';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Static, TSchema } from '@sinclair/typebox';

/** One reason a value was refused: where (JSON Pointer), which rule, and a readable message. */
export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
export type Validator<T> = (value: unknown) => Validation<T>;

// RFC 3339 as ajv-formats checks it (real calendar dates), and also a time JavaScript can read:
// ajv-formats alone lets through leap seconds and hour-only offsets (`+05`), which `Date` cannot
// read, so such a record would pass intake and fail later in the pipeline instead of getting a 400.
const rfc3339 = fullFormats['date-time'] as { validate: (value: string) => boolean };
const isReadableTimestamp = (value: string) => rfc3339.validate(value) && !Number.isNaN(Date.parse(value));

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
ajv.addFormat('date-time', isReadableTimestamp);
ajv.addFormat('ip', (value: string) => isIP(value) !== 0);
ajv.addKeyword({ keyword: ['kind', 'modifier'] }); // typebox metadata, not validation rules

const compiled = new WeakMap<TSchema, ValidateFunction>();

function toFieldError(e: ErrorObject): FieldError {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    return { path: `${e.instancePath}/${String(params.missingProperty)}`, rule: 'required', message: 'is required' };
  }
  if (e.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    return { path: `${e.instancePath}/${field}`, rule: 'additionalProperties', message: 'is not a known field' };
  }
  if (e.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
    return { path: e.instancePath || '/', rule: 'enum', message: `must be one of: ${allowed}` };
  }
  return { path: e.instancePath || '/', rule: e.keyword, message: e.message ?? 'is invalid' };
}

/**
 * A total validator (never throws on bad input) for `schema`, compiled once per process on its
 * first use: modules declare their validators at load, and compiling them all then would add
 * a hundred milliseconds or more to every function's cold start for schemas it may never check.
 */
export function validatorFor<S extends TSchema>(schema: S): Validator<Static<S>> {
  let check: ValidateFunction | undefined;
  return (value: unknown) => {
    check ??= compiledFor(schema);
    if (check(value)) return { ok: true, value: value as Static<S> };
    return { ok: false, errors: (check.errors ?? []).map(toFieldError) };
  };
}

function compiledFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}
