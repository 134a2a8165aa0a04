import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { compileSchema } from './schema-compiler.ts';

/** One reason a value was refused: where (JSON Pointer), which rule, and a readable message. */
export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
export type Validator<T> = (value: unknown) => Validation<T>;

const compiled = new WeakMap<TSchema, ValidateFunction>();
const declared = new Set<TSchema>();

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
 * Declare validators when a module loads (not per call): the build collects the declared schemas
 * (`declaredSchemas`) to generate the functions' validators ahead of time.
 */
export function validatorFor<S extends TSchema>(schema: S): Validator<Static<S>> {
  declared.add(schema);
  let check: ValidateFunction | undefined;
  return (value: unknown) => {
    check ??= compiledFor(schema);
    if (check(value)) return { ok: true, value: value as Static<S> };
    return { ok: false, errors: (check.errors ?? []).map(toFieldError) };
  };
}

/** Every schema a validator was declared for in this process so far. */
export function declaredSchemas(): ReadonlySet<TSchema> {
  return declared;
}

function compiledFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = compileSchema(schema);
    compiled.set(schema, validate);
  }
  return validate;
}
