/**
 * Small readers the decoders share. They run once per log line, so they read a field where it
 * lies in the line (`start` to `end`) instead of cutting it out first, and allocate nothing.
 */

/** A non-negative decimal integer (a safe one) at `start..end`, or -1 for anything else (`-`, empty, signs, fractions). */
export function countAt(text: string, start: number, end: number): number {
  if (end <= start || end - start > 16) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

/** An HTTP status code (100-599) at `start..end`, or -1. */
export function statusAt(text: string, start: number, end: number): number {
  if (end - start !== 3) return -1;
  const status = countAt(text, start, end);
  return status >= 100 && status <= 599 ? status : -1;
}

/** Whether the field at `start..end` is empty or `-`, as logs write a field without a value. */
export const isBlankAt = (text: string, start: number, end: number): boolean => end === start || (end - start === 1 && text.charCodeAt(start) === 45);

/** `%XX` decoded, only where a `%` is; text with a broken escape is kept as it is rather than refused. */
export function percentDecode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Where the path of a request target at `start..end` ends: at its query, if it has one. */
export function pathEnd(text: string, start: number, end: number): number {
  const q = text.indexOf('?', start);
  return q === -1 || q >= end ? end : q;
}

// Times are checked by regular expression: one native match costs less than reading the
// characters one by one in JavaScript, and far less than `Date.parse`.
const utcDate = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const utcTime = /^(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?$/;
/** RFC 3339 date-time, unanchored: a LogEntry's shape matches its timestamp with it. */
export const rfc3339Grammar = String.raw`\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)`;
const rfc3339 = new RegExp(`^${rfc3339Grammar}$`);

/** `YYYY-MM-DD`, month and day in range (not checked against the month's length). */
export const isUtcDate = (text: string): boolean => utcDate.test(text);

/** `HH:MM:SS[.fff]` (a leap second allowed). */
export const isUtcTime = (text: string): boolean => utcTime.test(text);

/** An RFC 3339 time (`YYYY-MM-DDTHH:MM:SS[.f...](Z|±HH:MM)`), as Cloud Logging writes `timestamp`. */
export const isRfc3339 = (text: string): boolean => rfc3339.test(text);

/** Two decimal digits at `i` as a number, or -1. */
export function twoDigitsAt(text: string, i: number): number {
  const tens = text.charCodeAt(i) - 48;
  const ones = text.charCodeAt(i + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}
