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
});
