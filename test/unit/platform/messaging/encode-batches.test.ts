import { describe, expect, it } from 'vitest';
import { encodeBatches } from '../../../../shared/platform/messaging/encode-batches.ts';

const decode = (messages: Buffer[]) => messages.map((m) => JSON.parse(m.toString('utf8')) as Record<string, unknown>);

describe('encodeBatches', () => {
  const cases: Record<string, { items: unknown[]; envelope?: Record<string, string>; maxBytes?: number; expected: Array<Record<string, unknown>> }> = {
    'nothing: no message': { items: [], expected: [] },
    'one item': { items: [{ a: 1 }], expected: [{ records: [{ a: 1 }] }] },
    'an envelope beside the items': { items: [1, 2], envelope: { table: 'beacon_events' }, expected: [{ table: 'beacon_events', records: [1, 2] }] },
    'multi-byte text, counted in bytes': { items: ['héllo wörld ✓', '日本語'], expected: [{ records: ['héllo wörld ✓', '日本語'] }] },
    'a split at the byte limit': { items: ['aaaa', 'bbbb', 'cccc'], maxBytes: 27, expected: [{ records: ['aaaa', 'bbbb'] }, { records: ['cccc'] }] },
    'an item over the limit alone in its message': { items: ['x'.repeat(40), 'y'], maxBytes: 24, expected: [{ records: ['x'.repeat(40)] }, { records: ['y'] }] },
  };
  for (const [name, { items, envelope, maxBytes, expected }] of Object.entries(cases)) {
    it(name, () => expect(decode(encodeBatches('records', items, envelope, maxBytes))).toEqual(expected));
  }

  it('keeps every message within the limit when items fit', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ id: i, text: 'é'.repeat(i % 17) }));
    const messages = encodeBatches('records', items, {}, 2000);
    expect(messages.every((m) => m.length <= 2000)).toBe(true);
    expect(decode(messages).flatMap((m) => m.records as unknown[])).toEqual(items);
  });
});
