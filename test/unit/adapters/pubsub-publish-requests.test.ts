import { describe, expect, it } from 'vitest';
import { computePublishRequests } from '../../../shared/adapters/gcp/pubsub-bus.ts';

const message = (bytes: number) => ({ data: Buffer.alloc(bytes, 'x') });

describe('computePublishRequests', () => {
  const cases: Record<string, { messages: Array<{ data: Buffer }>; sizes: number[] }> = {
    'none: no request': { messages: [], sizes: [] },
    'a few small ones: one request': { messages: [message(10), message(10), message(10)], sizes: [3] },
    'over 1,000 messages: 1,000 a request': { messages: Array.from({ length: 2500 }, () => message(1)), sizes: [1000, 1000, 500] },
    'two 5 MB messages: one each (10 MB a request)': { messages: [message(5_000_000), message(5_000_000)], sizes: [1, 1] },
    'a message alone over the limit still goes (Pub/Sub refuses it, the caller retries)': { messages: [message(11_000_000)], sizes: [1] },
  };
  for (const [name, { messages, sizes }] of Object.entries(cases)) {
    it(name, () => {
      const requests = computePublishRequests(messages);
      expect(requests.map((r) => r.length)).toEqual(sizes);
      expect(requests.flat()).toEqual(messages);
    });
  }
});
