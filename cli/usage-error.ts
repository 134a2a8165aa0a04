/** Bad input from the command line: printed as one line on stderr, exit code 2 (README.md, Commands). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A non-negative integer option, or a UsageError naming the option. */
export function parseIntegerOption(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}
