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
