/**
 * Why a body is not the error shape (README.md) `{error, details:[{path, message}]}` with at
 * least one detail naming where the problem is; undefined when it is.
 */
export function describeErrorBodyProblem(body: Buffer | string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString());
  } catch {
    return `not JSON: ${body.toString().slice(0, 200)}`;
  }
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const { error, details } = value as { error?: unknown; details?: unknown };
  if (typeof error !== 'string' || error === '') return '`error` is not a non-empty string';
  if (!Array.isArray(details) || details.length === 0) return '`details` is not a non-empty array';
  const bad = details.find((d: unknown) => typeof (d as { path?: unknown })?.path !== 'string' || typeof (d as { message?: unknown })?.message !== 'string');
  return bad === undefined ? undefined : `a detail lacks a string path or message: ${JSON.stringify(bad)}`;
}
