import { describe, expect, it } from 'vitest';
import { windowLayout } from '../../../../../shared/domain/counting/state/window-format.ts';
import { chunkSize, WindowArena } from '../../../../../shared/domain/counting/engine/window-arena.ts';

/** A window in the ListenerWindow layout with `seen` request hashes and one range; `tag` marks it. */
function windowOf(tag: number, seen = 1): number[] {
  const w = [tag, tag + 1, -1, 2, seen, 0, tag, 0, 99];
  for (let i = 0; i < seen; i++) w.push(tag * 1000 + i);
  expect(w.length).toBe(windowLayout.header + 2 + seen);
  return w;
}

describe('WindowArena', () => {
  it('reads back what it wrote', () => {
    const arena = new WindowArena();
    const windows = [windowOf(1), windowOf(2, 5), windowOf(3, 40)];
    const offsets = windows.map((w, i) => arena.write(i, w));
    expect(offsets.map((o) => arena.read(o))).toEqual(windows);
    expect(arena.size).toBe(3);
  });

  it('never lets a window straddle two chunks', () => {
    const arena = new WindowArena();
    const big = windowOf(7, Math.floor(chunkSize / 3));
    const offsets = [0, 1, 2, 3].map((i) => arena.write(i, big));
    for (const offset of offsets) expect((offset % chunkSize) + big.length).toBeLessThanOrEqual(chunkSize);
    expect(offsets.map((o) => arena.read(o))).toEqual([big, big, big, big]);
  });

  it('compacts: live windows slide down in order, tell where they went, and read back the same', () => {
    const arena = new WindowArena();
    const windows = Array.from({ length: 3000 }, (_, i) => windowOf(i, 1 + (i % 37)));
    const offsets = windows.map((w, i) => arena.write(i, w));
    windows.forEach((_, i) => i % 3 !== 0 && arena.free(offsets[i] as number));
    expect(arena.size).toBe(1000);
    expect(arena.needsCompaction).toBe(true);
    const moved = new Map<number, number>();
    arena.compact((hash, offset) => moved.set(hash, offset));
    expect([...moved.keys()]).toEqual(windows.map((_, i) => i).filter((i) => i % 3 === 0));
    for (const [hash, offset] of moved) expect(arena.read(offset)).toEqual(windows[hash]);
    expect(arena.needsCompaction).toBe(false);
    // Written after a compaction, a window lands after the survivors and leaves them intact.
    const next = arena.write(5000, windowOf(5000, 3));
    expect(arena.read(next)).toEqual(windowOf(5000, 3));
    for (const [hash, offset] of moved) expect(arena.read(offset)).toEqual(windows[hash]);
  });

  it('lets go of chunks that compaction empties', () => {
    const arena = new WindowArena();
    const offsets = Array.from({ length: 20_000 }, (_, i) => arena.write(i, windowOf(i, 8)));
    offsets.forEach((o) => arena.free(o));
    arena.compact(() => expect.unreachable());
    expect(arena.size).toBe(0);
    const offset = arena.write(1, windowOf(1));
    expect(offset).toBe(1);
  });
});
