const zero = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - zero;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Seconds since the epoch of an RFC 3339 timestamp. The common shapes
 * (`YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`) are read digit by digit, several times faster than
 * `Date.parse`, which remains the fallback for anything else.
 */
export function computeEpochSeconds(ts: string): number {
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  const hour = digits(ts, 11, 2);
  const minute = digits(ts, 14, 2);
  const second = digits(ts, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0 || ts.charCodeAt(4) !== 45) return Math.floor(Date.parse(ts) / 1000);
  let i = 19;
  if (ts.charCodeAt(i) === 46) {
    i++;
    while (i < ts.length && ts.charCodeAt(i) >= zero && ts.charCodeAt(i) <= zero + 9) i++;
  }
  let offset = 0;
  const zone = ts.charCodeAt(i);
  if (zone === 43 || zone === 45) {
    const h = digits(ts, i + 1, 2);
    const m = digits(ts, i + 4, 2);
    if (h < 0 || m < 0 || i + 6 !== ts.length) return Math.floor(Date.parse(ts) / 1000);
    offset = (zone === 43 ? 1 : -1) * (h * 3600 + m * 60);
  } else if ((zone !== 90 && zone !== 122) || i + 1 !== ts.length) return Math.floor(Date.parse(ts) / 1000);
  return computeDaysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function computeDaysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
