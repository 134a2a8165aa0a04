import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore, StoreUnavailableError } from '../../../shared/adapters/local/durable-store.ts';
import { InProcessBus } from '../../../shared/adapters/local/in-process-bus.ts';
import type { PubsubCloudEvent } from '../../../shared/platform/messaging/pubsub-event.ts';

const decode = (e: PubsubCloudEvent) => Buffer.from(e.data?.message.data ?? '', 'base64').toString();
const journaled = (store: DurableStore) => new InProcessBus({ journal: store, backoffMs: () => 1, onUndeliverable: async () => {} });

describe('InProcessBus on the durable store', () => {
  it('redelivers after a reopen exactly the messages that were not acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-bus-'));
    const first = DurableStore.open(dir);
    const before = journaled(first);
    const acked: string[] = [];
    // The handler acknowledges "ok" messages and never finishes the others, as if the process died.
    before.subscribe('beacons', 'count', (e) => (decode(e).startsWith('ok') ? (acked.push(decode(e)), Promise.resolve()) : new Promise(() => {})));
    await before.publish('beacons', ['ok-1', 'lost-1', 'ok-2', 'lost-2'].map((s) => Buffer.from(s)));
    await new Promise((r) => setTimeout(r, 50));
    await first.flushed();
    expect(acked).toEqual(['ok-1', 'ok-2']);
    await first.close();

    const second = DurableStore.open(dir);
    const after = journaled(second);
    const redelivered: Array<{ text: string; id: string | undefined }> = [];
    after.subscribe('beacons', 'count', async (e) => void redelivered.push({ text: decode(e), id: e.data?.message.messageId }));
    expect(after.resume()).toBe(2);
    await after.drain();
    expect(redelivered.map((r) => r.text)).toEqual(['lost-1', 'lost-2']);
    // Ids of this run never repeat an earlier run's (dead letters are keyed by them).
    await after.publish('beacons', [Buffer.from('new')]);
    await after.drain();
    const ids = redelivered.map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    await second.flushed();
    expect([...second.pendingDeliveries()]).toEqual([]);
    await second.close();
  });

  it('refuses a publish the disk cannot take, and never delivers it', async () => {
    let failing = true;
    const store = DurableStore.open(mkdtempSync(join(tmpdir(), 'earshot-bus-')), { failing: () => failing });
    const bus = journaled(store);
    const seen: string[] = [];
    bus.subscribe('beacons', 'count', async (e) => void seen.push(decode(e)));
    await expect(bus.publish('beacons', [Buffer.from('refused')])).rejects.toBeInstanceOf(StoreUnavailableError);
    failing = false;
    await new Promise((r) => setTimeout(r, 1100));
    await bus.publish('beacons', [Buffer.from('accepted')]);
    await bus.drain();
    expect(seen).toEqual(['accepted']);
    await store.flushed();
    expect([...store.pendingDeliveries()]).toEqual([]);
    await store.close();
  });

  it('does not count the store failing under a handler towards the dead-letter attempts', async () => {
    const store = DurableStore.open(mkdtempSync(join(tmpdir(), 'earshot-bus-')));
    const dead: string[] = [];
    const bus = new InProcessBus({ journal: store, maxAttempts: 2, backoffMs: () => 1, onUndeliverable: async (m) => void dead.push(m.messageId) });
    let calls = 0;
    bus.subscribe('facts', 'warehouse', async () => {
      if (++calls <= 5) throw new StoreUnavailableError('disk full');
    });
    await bus.publish('facts', [Buffer.from('{}')]);
    await bus.drain();
    expect({ calls, dead }).toEqual({ calls: 6, dead: [] });
    await store.close();
  });

  it('dead-letters only after failures of the message itself, however many machine faults came first', async () => {
    const store = DurableStore.open(mkdtempSync(join(tmpdir(), 'earshot-bus-')));
    const dead: string[] = [];
    const bus = new InProcessBus({ journal: store, maxAttempts: 2, backoffMs: () => 1, onUndeliverable: async (m) => void dead.push(m.messageId) });
    let calls = 0;
    bus.subscribe('facts', 'warehouse', async () => {
      calls++;
      if (calls <= 6) throw new StoreUnavailableError('disk full');
      if (calls === 7) throw new Error('transient');
    });
    await bus.publish('facts', [Buffer.from('{}')]);
    await bus.drain();
    expect({ calls, dead }).toEqual({ calls: 8, dead: [] });
    await store.close();
  });

  it('arms no redelivery once paused: a delivery failing during shutdown waits on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-bus-'));
    const store = DurableStore.open(dir);
    const bus = new InProcessBus({ journal: store, backoffMs: () => 60_000, onUndeliverable: async () => {} });
    let fail: (e: Error) => void = () => {};
    bus.subscribe('facts', 'warehouse', () => new Promise<void>((_, reject) => (fail = reject)));
    await bus.publish('facts', [Buffer.from('{}')]);
    const paused = bus.pause();
    fail(new Error('failed while stopping'));
    await paused;
    // A redelivery armed now would keep the process alive for a minute, and drain would wait for it.
    await expect(Promise.race([bus.drain().then(() => 'idle'), new Promise((r) => setTimeout(() => r('waiting'), 200))])).resolves.toBe('idle');
    await store.close();
    const reopened = DurableStore.open(dir);
    expect([...reopened.pendingDeliveries()]).toHaveLength(1);
    await reopened.close();
  });
});
