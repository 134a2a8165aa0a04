import { Ajv, type Options, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { formats } from './formats.ts';

/** The ajv options every validator is compiled with, at run time here and at build time for the functions. */
export function createSchemaAjv(code?: Options['code']): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, ...(code ? { code } : {}) });
  for (const [name, check] of Object.entries(formats)) ajv.addFormat(name, check);
  ajv.addKeyword({ keyword: ['kind', 'modifier'] }); // typebox metadata, not validation rules
  return ajv;
}

let ajv: Ajv | undefined;

/**
 * Compiles `schema` with ajv, in this process. The function bundles replace this module with the
 * validators `npm run build` generated from the same schemas (`scripts/standalone-validators.ts`),
 * so no instance pays for ajv's code generation.
 */
export function compileSchema(schema: TSchema): ValidateFunction {
  ajv ??= createSchemaAjv();
  return ajv.compile(schema);
}
