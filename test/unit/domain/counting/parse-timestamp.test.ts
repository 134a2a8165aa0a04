import { describe, expect, it } from 'vitest';
import { computeDaysFromCivil, computeEpochSeconds } from '../../../../shared/domain/counting/parse-timestamp.ts';
import { computeCheckHash31, computeHash31, computeKeyHashes } from '../../../../shared/domain/counting/hash31.ts';

const pair = (a: string, b: string, c: string, agent: string, y: number) => [...computeKeyHashes(new Int32Array(2), a, b, computeHash31(agent), computeCheckHash31(agent), c, y)];

// Two User-Agents whose 30-bit hashes are equal (found by a birthday search).
const sameHashAgents = ['AppleCoreMedia/1.0.0.6bj66b (iPhone; U; CPU OS 16_1 like Mac OS X)', 'AppleCoreMedia/1.0.0.9mgm40 (iPhone; U; CPU OS 14_1 like Mac OS X)'] as const;

describe('computeEpochSeconds', () => {
  const cases = [
    '2026-11-20T10:00:00Z',
    '2026-11-20T10:00:00.999Z',
    '2026-11-20T10:00:00.123456789Z',
    '2026-11-20T10:00:00+02:00',
    '2026-11-20T10:00:00.5-05:30',
    '2024-02-29T23:59:59z',
    '2000-03-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2026-11-20 10:00:00Z',
    '2026-11-20T10:00:00.000+0200',
  ];
  for (const ts of cases) it(ts, () => expect(computeEpochSeconds(ts)).toBe(Math.floor(Date.parse(ts) / 1000)));
  it('agrees with Date.UTC on every day of four centuries', () => {
    for (let day = -146_097; day < 146_097 * 2; day += 37) {
      const d = new Date(day * 86_400_000);
      expect(computeDaysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
    }
  });
  it('answers NaN for text that is not a time', () => expect(computeEpochSeconds('yesterday')).toBeNaN());
});

describe('hashes', () => {
  it('stay small non-negative integers', () => {
    for (const text of ['', 'a', 'Overcast/3.0', 'x'.repeat(1000)]) {
      for (const h of [computeHash31(text), computeCheckHash31(text)]) expect(Number.isInteger(h) && h >= 0 && h < 2 ** 30).toBe(true);
    }
  });
  it('keep part boundaries apart', () => {
    expect(pair('ab', 'c', '', 'x', 0)).not.toEqual(pair('a', 'bc', '', 'x', 0));
    expect(pair('a', '', '', 'x', 0)).not.toEqual(pair('a', '', '', 'y', 0));
    expect(pair('a', '', '', 'x', 1)).not.toEqual(pair('a', '', '', 'x', 2));
  });
  it('tell apart agents whose first hashes are equal', () => {
    const [one, two] = sameHashAgents;
    expect(computeHash31(one)).toBe(computeHash31(two));
    expect(computeCheckHash31(one)).not.toBe(computeCheckHash31(two));
    expect(pair('p', 'h', 'e', one, 0)[1]).not.toBe(pair('p', 'h', 'e', two, 0)[1]);
  });
  it('give independent pairs (no two of 100,000 keys share both)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(pair('p1', `household-${i}`, 'ep', 'Overcast/3.0', 20_000).join(':'));
    expect(seen.size).toBe(100_000);
  });
});
