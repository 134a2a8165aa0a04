import { describe, expect, it } from 'vitest';
import { computeLookbackMonths } from '../../../../shared/domain/privacy/lookback-months.ts';

// Exposures are stored under the key of their month, so a conversion is matched under every month its lookback reaches.
describe('computeLookbackMonths', () => {
  const cases: Array<[string, number, string[]]> = [
    ['2026-12-02T09:00:00Z', 30, ['2026-12', '2026-11']],
    ['2026-12-02T09:00:00Z', 1, ['2026-12']],
    ['2026-12-31T23:59:59Z', 30, ['2026-12']],
    ['2026-12-01T00:00:00Z', 1, ['2026-12', '2026-11']],
    ['2027-01-15T00:00:00Z', 30, ['2027-01', '2026-12']],
    ['2027-03-31T12:00:00Z', 90, ['2027-03', '2027-02', '2027-01', '2026-12']],
    ['2028-03-01T00:00:00Z', 29, ['2028-03', '2028-02']],
  ];
  for (const [at, days, months] of cases) it(`${days} days before ${at}: ${months.join(', ')}`, () => expect(computeLookbackMonths(new Date(at), days)).toEqual(months));
});
