import { describe, expect, it } from 'vitest';
import { InProcessBus, type UndeliverableMessage } from '../../../shared/adapters/local/in-process-bus.ts';
import { messagePublishedType, type PubsubCloudEvent } from '../../../shared/platform/messaging/pubsub-event.ts';

const decode = (e: PubsubCloudEvent) => Buffer.from(e.data?.message.data ?? '', 'base64').toString();

function bus(undeliverable: UndeliverableMessage[] = []) {
  return new InProcessBus({ maxAttempts: 3, backoffMs: () => 1, onUndeliverable: async (m) => void undeliverable.push(m) });
}

describe('InProcessBus', () => {
  it('delivers each message to every subscription of its topic as a messagePublished CloudEvent', async () => {
    const b = bus();
    const seen: Array<[string, PubsubCloudEvent]> = [];
    b.subscribe('facts', 'a', async (e) => void seen.push(['a', e]));
    b.subscribe('facts', 'b', async (e) => void seen.push(['b', e]));
    b.subscribe('beacons', 'c', async (e) => void seen.push(['c', e]));
    await b.publish('facts', [Buffer.from('{"x":1}')]);
    await b.drain();
    expect(seen.map(([s]) => s).sort()).toEqual(['a', 'b']);
    const [, event] = seen[0] ?? [];
    expect(event?.type).toBe(messagePublishedType);
    expect(event?.source).toBe('//pubsub.googleapis.com/projects/local/topics/facts');
    expect(event && decode(event)).toBe('{"x":1}');
  });

  it('redelivers after a failure until the handler succeeds (at least once)', async () => {
    const b = bus();
    let calls = 0;
    b.subscribe('facts', 'a', async () => {
      if (++calls < 3) throw new Error('transient');
    });
    await b.publish('facts', [Buffer.from('{}')]);
    await b.drain();
    expect(calls).toBe(3);
  });

  it('dead-letters a message after maxAttempts with the last reason, and keeps going', async () => {
    const dead: UndeliverableMessage[] = [];
    const b = bus(dead);
    const ok: string[] = [];
    b.subscribe('facts', 'a', async (e) => {
      if (decode(e) === 'poison') throw new Error('cannot parse');
      ok.push(decode(e));
    });
    await b.publish('facts', [Buffer.from('poison'), Buffer.from('fine')]);
    await b.drain();
    expect(ok).toEqual(['fine']);
    expect(dead).toEqual([expect.objectContaining({ subscription: 'a', attempts: 3, reason: 'cannot parse', data: Buffer.from('poison') })]);
  });

  it('keeps a message whose dead-letter write fails, and retries it', async () => {
    let deadLetterCalls = 0;
    const b = new InProcessBus({
      maxAttempts: 1,
      backoffMs: () => 1,
      onUndeliverable: async () => {
        if (++deadLetterCalls < 2) throw new Error('warehouse down');
      },
    });
    b.subscribe('facts', 'a', async () => {
      throw new Error('always');
    });
    await b.publish('facts', [Buffer.from('x')]);
    await b.drain();
    expect(deadLetterCalls).toBe(2);
  });

  it('limits concurrent deliveries per subscription', async () => {
    const b = new InProcessBus({ concurrency: 2, onUndeliverable: async () => {} });
    let active = 0;
    let peak = 0;
    b.subscribe('facts', 'a', async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    });
    await b.publish('facts', Array.from({ length: 10 }, () => Buffer.from('{}')));
    await b.drain();
    expect(peak).toBe(2);
  });
});

describe('InProcessBus chaos', () => {
  it('fails, redelivers and duplicates deliveries, yet every message is handled at least once and none is dead-lettered', async () => {
    const dead: UndeliverableMessage[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const b = new InProcessBus({ maxAttempts: 2, backoffMs: () => 1, chaos: { rate: 0.5, random }, onUndeliverable: async (m) => void dead.push(m) });
    const handled: string[] = [];
    b.subscribe('facts', 'a', async (e) => void handled.push(decode(e)));
    await b.publish('facts', Array.from({ length: 200 }, (_, i) => Buffer.from(String(i))));
    await b.drain();
    expect(new Set(handled).size).toBe(200);
    expect(handled.length).toBeGreaterThan(200);
    expect(dead).toEqual([]);
  });
});
