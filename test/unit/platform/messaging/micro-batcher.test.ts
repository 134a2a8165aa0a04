import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../../../shared/platform/messaging/micro-batcher.ts';

function recorder() {
  const batches: number[][] = [];
  return { batches, flush: async (items: number[]) => void batches.push(items) };
}

describe('MicroBatcher', () => {
  it('with a zero window, gathers what is added in one turn of the event loop into one batch', async () => {
    const { batches, flush } = recorder();
    const batcher = new MicroBatcher(flush, { maxWaitMs: 0 });
    await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    await batcher.add(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('with a window, waits for it, and flushes at once when a batch is full', async () => {
    const { batches, flush } = recorder();
    const batcher = new MicroBatcher(flush, { maxWaitMs: 20, maxItems: 2 });
    const full = Promise.all([batcher.add(1), batcher.add(2)]);
    expect(batches).toEqual([[1, 2]]);
    await full;
    const started = Date.now();
    await batcher.add(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('rejects every caller of a batch whose flush failed, and goes on with the next', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number>(async () => {
      if (fail) throw new Error('publish failed');
    }, { maxWaitMs: 0 });
    const outcomes = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(3)).resolves.toBeUndefined();
  });

  it('flushes what is gathered on demand (shutdown)', async () => {
    const { batches, flush } = recorder();
    const batcher = new MicroBatcher(flush, { maxWaitMs: 60_000 });
    const pending = batcher.add(1);
    await batcher.flushNow();
    await pending;
    expect(batches).toEqual([[1]]);
  });

  it('with one flush in flight, gathers what arrives meanwhile into the next batch, sent as soon as it ends', async () => {
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const flush = (items: number[]) => {
      batches.push(items);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const batcher = new MicroBatcher(flush, { maxWaitMs: 0, maxInFlight: 1 });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const later = [batcher.add(2), batcher.add(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    releases[0]?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3]]);
    releases[1]?.();
    await Promise.all(later);
  });

  it('flushes a full batch even past maxInFlight, and on demand waits for every flush under way', async () => {
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const flush = (items: number[]) => {
      batches.push(items);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const batcher = new MicroBatcher(flush, { maxWaitMs: 0, maxInFlight: 1, maxItems: 2 });
    const added = [batcher.add(1), batcher.add(2), batcher.add(3), batcher.add(4), batcher.add(5)];
    expect(batches).toEqual([[1, 2], [3, 4]]);
    let drained = false;
    const draining = batcher.flushNow().then(() => (drained = true));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    releases[0]?.();
    releases[1]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    releases[2]?.();
    await draining;
    await Promise.all(added);
  });

  it('rejects the callers of a flush that throws before it starts, instead of throwing at them', async () => {
    const batcher = new MicroBatcher<number>(() => {
      throw new Error('cannot encode');
    }, { maxWaitMs: 0, maxInFlight: 1 });
    await expect(batcher.add(1)).rejects.toThrow('cannot encode');
  });
});
