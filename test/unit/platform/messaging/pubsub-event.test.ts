import { describe, expect, it } from 'vitest';
import { computeMessageBytes, hasMessageData, toMessagePublishedEvent } from '../../../../shared/platform/messaging/pubsub-event.ts';

describe('messagePublished events', () => {
  const bytes = Buffer.from('{"records":[]}');
  const event = toMessagePublishedEvent('proj', 'beacons', 'count', '7', bytes, new Date('2026-11-20T10:00:00Z'));

  it('have exactly the shape Cloud Functions gen2 delivers, data as base64', () => {
    expect(JSON.parse(JSON.stringify(event))).toEqual({
      specversion: '1.0',
      id: '7',
      source: '//pubsub.googleapis.com/projects/proj/topics/beacons',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      time: '2026-11-20T10:00:00.000Z',
      data: {
        message: { data: bytes.toString('base64'), messageId: '7', publishTime: '2026-11-20T10:00:00.000Z' },
        subscription: 'projects/proj/subscriptions/count',
      },
    });
  });

  const cases: Record<string, { message: Parameters<typeof computeMessageBytes>[0]; bytes: string; has: boolean }> = {
    'an in-process delivery': { message: event.data?.message, bytes: '{"records":[]}', has: true },
    'a push delivery (base64 only)': { message: { data: Buffer.from('hi').toString('base64'), messageId: '1', publishTime: '' }, bytes: 'hi', has: true },
    'a message without data': { message: { messageId: '1', publishTime: '' }, bytes: '', has: false },
    'no message at all': { message: undefined, bytes: '', has: false },
  };
  for (const [name, { message, bytes: expected, has }] of Object.entries(cases)) {
    it(`give the bytes of ${name}`, () => {
      expect(computeMessageBytes(message).toString()).toBe(expected);
      expect(hasMessageData(message)).toBe(has);
    });
  }
});
