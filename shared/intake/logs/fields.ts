/** Small readers the decoders share, by hand: they run once per log line. */

/** A non-negative decimal integer, or undefined for anything else (`-`, empty, signs, fractions). */
export function tryParseCount(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 16) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An HTTP status code (100-599). */
export function tryParseStatus(text: string | undefined): number | undefined {
  const status = tryParseCount(text);
  return status !== undefined && status >= 100 && status <= 599 ? status : undefined;
}

/** `%XX` decoded; text with a broken escape is kept as it is rather than refused. */
export function percentDecode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits a request target into its path and (dropped) query. */
export function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

/** Logs write `-` (or nothing) for a field without a value. */
export const dashToUndefined = (text: string | undefined): string | undefined => (text === undefined || text === '-' || text === '' ? undefined : text);

const digit = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * Whether `YYYY-MM-DD` and `HH:MM:SS[.fff]` are a plausible UTC time, by character: `Date.parse`
 * per line costs more than the rest of a decoder. Month, day, hour, minute and second in range.
 */
export function isDateAndTime(date: string, time: string): boolean {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return false;
  if (time.length < 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!digit(date, i)) return false;
  for (const i of [0, 1, 3, 4, 6, 7]) if (!digit(time, i)) return false;
  const two = (t: string, i: number) => (t.charCodeAt(i) - 48) * 10 + t.charCodeAt(i + 1) - 48;
  const month = two(date, 5);
  const day = two(date, 8);
  if (month < 1 || month > 12 || day < 1 || day > 31 || two(time, 0) > 23 || two(time, 3) > 59 || two(time, 6) > 60) return false;
  if (time.length > 8 && (time.charCodeAt(8) !== 46 || time.length === 9)) return false;
  for (let i = 9; i < time.length; i++) if (!digit(time, i)) return false;
  return true;
}
