import type { FieldError } from '../../contracts/schemas/validator.ts';
import type { HttpResponse } from './types.ts';
import { clipText } from './clip-text.ts';

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Details one error reply lists: a megabyte of bad callback events must not answer with 100 MB. */
export const maxErrorDetails = 100;

/** The error body of every route (README.md, Try it): `{error, details:[{path, message}]}`, the first `maxErrorDetails` of them, clipped. */
export function jsonError(status: number, error: string, details: ReadonlyArray<Omit<FieldError, 'rule'> & { rule?: string }> = []): HttpResponse {
  const listed = details.slice(0, maxErrorDetails).map((d) => ({ ...d, path: clipText(d.path), message: clipText(d.message) }));
  return json(status, { error, details: listed });
}

export const notFound = (path: string): HttpResponse => jsonError(404, 'not found', [{ path, message: 'no such route' }]);

export const methodNotAllowed = (method: string, allowed: string): HttpResponse => ({
  ...jsonError(405, 'method not allowed', [{ path: 'method', message: `${method} is not allowed here; use ${allowed}` }]),
  headers: { 'content-type': 'application/json', allow: allowed },
});

export const healthy = (): HttpResponse => json(200, { status: 'ok' });
