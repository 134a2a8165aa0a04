import { computeKeyMonth } from './household-key.ts';

const dayMs = 86_400_000;

/**
 * Every calendar month (UTC, `YYYY-MM`) that the `lookbackDays` before `at` overlap, newest first.
 * Exposures are stored under the household key of the month they happened in, so a conversion
 * must be matched under each of these months' keys (docs/architecture.md, Attribution: month boundaries).
 */
export function computeLookbackMonths(at: Date, lookbackDays: number): string[] {
  const earliest = computeKeyMonth(new Date(at.getTime() - Math.max(0, lookbackDays) * dayMs));
  const months: string[] = [];
  let year = at.getUTCFullYear();
  let month = at.getUTCMonth();
  for (;;) {
    const key = computeKeyMonth(new Date(Date.UTC(year, month, 1)));
    months.push(key);
    if (key <= earliest) return months;
    month -= 1;
    if (month < 0) [year, month] = [year - 1, 11];
  }
}
