import { describe, expect, it } from 'vitest';
import { tryParseEpochMicros } from '../../../shared/adapters/local/duckdb-append.ts';

describe('tryParseEpochMicros', () => {
  const cases: Record<string, bigint> = {
    '1970-01-01T00:00:00Z': 0n,
    '2026-11-20T10:00:00Z': 1795168800000000n,
    '2026-11-20T10:00:00.123Z': 1795168800123000n,
    '2026-11-20T10:00:00.123456Z': 1795168800123456n,
    '2026-11-20T10:00:00.1234Z': 1795168800123400n,
    '2026-11-20T10:00:00.5Z': 1795168800500000n,
    '2026-11-20T11:00:00.000001+01:00': 1795168800000001n,
    '2026-11-20 10:00:00.123456Z': 1795168800123456n,
    '2026-11-20t10:00:00.000007z': 1795168800000007n,
    '1969-12-31T23:59:59.999500Z': -500n,
    '1969-12-31T23:59:59.000001Z': -999999n,
  };
  for (const [ts, micros] of Object.entries(cases)) it(`reads ${ts}`, () => expect(tryParseEpochMicros(ts)).toBe(micros));

  for (const bad of ['', 'not a time', '2026-13-45T99:00:00Z']) it(`refuses ${JSON.stringify(bad)}`, () => expect(tryParseEpochMicros(bad)).toBeUndefined());
});
