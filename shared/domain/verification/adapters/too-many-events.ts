import { maxEventsPerCallback } from '../../../contracts/schemas/verification.ts';
import type { FieldError } from '../../../contracts/schemas/validator.ts';

/**
 * The error for a list of more than `maxEventsPerCallback` items at `path`, found before the
 * schema runs: ajv, told to report every error, would check all of them anyway (a megabyte of
 * `{}` items is 350,000 of them and 1.4 million errors, over a second of work).
 */
export function tryRefuseTooManyEvents(list: unknown, path: string): { ok: false; errors: FieldError[] } | undefined {
  if (!Array.isArray(list) || list.length <= maxEventsPerCallback) return undefined;
  return { ok: false, errors: [{ path, rule: 'maxItems', message: `must NOT have more than ${maxEventsPerCallback} items` }] };
}
