import { describe, expect, it } from 'vitest';
import { encodeCursor, queryDigest, tryDecodeCursor } from '../../../../shared/application/reports/cursor.ts';

const digest = queryDigest(['advertiser', 'a1', 'delivery', '2026-11-01', '2026-11-30']);
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursors', () => {
  it('round-trips an offset for its own query', () => expect(tryDecodeCursor(encodeCursor(1000, digest), digest, 100_000)).toBe(1000));

  it('binds the digest to every part', () => {
    expect(queryDigest(['advertiser', 'a2', 'delivery', '2026-11-01', '2026-11-30'])).not.toBe(digest);
    // JSON framing: moving text between parts changes the digest.
    expect(queryDigest(['ab', 'c'])).not.toBe(queryDigest(['a', 'bc']));
  });

  const refused: Array<[string, string]> = [
    ['another query', encodeCursor(10, queryDigest(['other']))],
    ['offset 0', encodeCursor(0, digest)],
    ['a negative offset', raw({ o: -5, d: digest })],
    ['a fractional offset', raw({ o: 1.5, d: digest })],
    ['an offset past the bound', encodeCursor(100_001, digest)],
    ['a text offset', raw({ o: '10', d: digest })],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['not base64url', '+/=='],
    ['empty', ''],
    ['far too long', 'A'.repeat(500)],
  ];
  for (const [name, cursor] of refused) {
    it(`refuses ${name}`, () => expect(tryDecodeCursor(cursor, digest, 100_000)).toBeUndefined());
  }
});
