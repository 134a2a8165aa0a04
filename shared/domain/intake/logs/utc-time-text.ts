const dayMs = 86_400_000;
const twoDigits = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const millis = Array.from({ length: 1000 }, (_, n) => `.${String(n).padStart(3, '0')}Z`);

/**
 * A time as RFC 3339 text in UTC, exactly as `toISOString` writes it (`2026-11-01T10:00:00.000Z`)
 * for years 0-9999. `toISOString` per line costs more than the rest of a decoder: the date is
 * written once per day, the clock from tables.
 */
export class UtcTimeText {
  #day = Number.NaN;
  #dayPrefix = '';

  /** The `YYYY-MM-DDT` of the day `ms` falls on. */
  dayPrefixOf(ms: number): string {
    const day = Math.floor(ms / dayMs);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayPrefix = new Date(day * dayMs).toISOString().slice(0, 11);
    }
    return this.#dayPrefix;
  }

  of(ms: number): string {
    const prefix = this.dayPrefixOf(ms);
    const inDay = ms - this.#day * dayMs;
    const seconds = Math.floor(inDay / 1000);
    return `${prefix}${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}${millis[inDay - seconds * 1000]}`;
  }
}
