/**
 * `itunes:duration` in its spellings: seconds (`3600`, `3600.5`), `MM:SS` (minutes may pass 59)
 * and `HH:MM:SS`. `undefined` for an empty value; `NaN` for one that cannot be read.
 */
export function tryParseDuration(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (value === undefined || value === '') return undefined;
  const parts = value.split(':');
  if (parts.length > 3) return Number.NaN;
  let seconds = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (!(last ? /^\d+(\.\d+)?$/ : /^\d+$/).test(part)) return Number.NaN;
    const n = Number(part);
    // Only the first part may be over 59 (`75:00`); `1:75:00` is not a time.
    if (i > 0 && n >= 60) return Number.NaN;
    seconds = seconds * 60 + n;
  }
  return seconds;
}
