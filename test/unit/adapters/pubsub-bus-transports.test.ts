import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PubSubBus } from '../../../shared/adapters/gcp/pubsub-bus.ts';
import type { PublishTransport } from '../../../shared/adapters/gcp/pubsub-transport.ts';
import type { WireMessage } from '../../../shared/platform/messaging/message-encoding.ts';

/** A transport that records what it is asked to send, and whether it was closed. */
class RecordingTransport implements PublishTransport {
  readonly sent: Array<{ topic: string; data: string[] }> = [];
  closed = 0;
  async send(topic: string, messages: readonly WireMessage[]): Promise<void> {
    this.sent.push({ topic, data: messages.map((m) => m.data.toString()) });
  }
  close(): void {
    this.closed++;
  }
}

const message = (text: string) => Buffer.from(text);
/** Lets the switch scheduled after a publish (`setImmediate`, then the load) run. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await turn();
};

describe('PubSubBus transports', () => {
  it('sends the first publish over the first transport, then every later one over the transport loaded after it', async () => {
    const [rest, grpc] = [new RecordingTransport(), new RecordingTransport()];
    let loads = 0;
    const bus = new PubSubBus(rest, 'p', async () => (loads++, grpc));
    await bus.publish('beacons', [message('a')]);
    expect(loads).toBe(0);
    await settle();
    await bus.publish('beacons', [message('b')]);
    await bus.publish('facts', [message('c'), message('d')]);
    await settle();
    expect(rest.sent).toEqual([{ topic: 'projects/p/topics/beacons', data: ['a'] }]);
    expect(grpc.sent).toEqual([
      { topic: 'projects/p/topics/beacons', data: ['b'] },
      { topic: 'projects/p/topics/facts', data: ['c', 'd'] },
    ]);
    expect(loads).toBe(1);
    expect(rest.closed).toBe(1);
  });

  it('keeps the first transport when the later one cannot load, and tries no more', async () => {
    const rest = new RecordingTransport();
    let loads = 0;
    const bus = new PubSubBus(rest, 'p', () => (loads++, Promise.reject(new Error('no module'))));
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    try {
      await bus.publish('beacons', [message('a')]);
      await settle();
      await bus.publish('beacons', [message('b')]);
      await settle();
    } finally {
      console.warn = warn;
    }
    expect(rest.sent.map((s) => s.data)).toEqual([['a'], ['b']]);
    expect(loads).toBe(1);
    expect(rest.closed).toBe(0);
    expect(warned).toEqual([expect.stringContaining('no module')]);
  });

  it('loads nothing for a publish of no messages, nor without a later transport', async () => {
    const rest = new RecordingTransport();
    let loads = 0;
    await new PubSubBus(rest, 'p', async () => (loads++, new RecordingTransport())).publish('beacons', []);
    const alone = new PubSubBus(rest, 'p');
    await alone.publish('beacons', [message('a')]);
    await settle();
    await alone.publish('beacons', [message('b')]);
    expect(loads).toBe(0);
    expect(rest.sent.map((s) => s.data)).toEqual([['a'], ['b']]);
  });

  it('closes the transport in use', async () => {
    const [rest, grpc] = [new RecordingTransport(), new RecordingTransport()];
    const bus = new PubSubBus(rest, async () => 'p', async () => grpc);
    await bus.publish('beacons', [message('a')]);
    await settle();
    await bus.close();
    expect(grpc.closed).toBe(1);
  });
});
