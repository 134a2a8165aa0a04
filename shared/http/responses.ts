import type { FieldError } from '../schemas/validator.ts';
import type { HttpResponse } from './types.ts';

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** DESIGN.md §3 error body: `{error, details:[{path, message}]}`. */
export function jsonError(status: number, error: string, details: ReadonlyArray<Omit<FieldError, 'rule'> & { rule?: string }> = []): HttpResponse {
  return json(status, { error, details });
}

export const notFound = (path: string): HttpResponse => jsonError(404, 'not found', [{ path, message: 'no such route' }]);

export const methodNotAllowed = (method: string, allowed: string): HttpResponse => ({
  ...jsonError(405, 'method not allowed', [{ path: 'method', message: `${method} is not allowed here; use ${allowed}` }]),
  headers: { 'content-type': 'application/json', allow: allowed },
});

export const healthy = (): HttpResponse => json(200, { status: 'ok' });
