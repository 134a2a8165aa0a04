import { describe, expect, it } from 'vitest';
import { WindowTable } from '../../../shared/counting/window-table.ts';

describe('WindowTable', () => {
  it('finds what it holds, including hash 0 and the largest 30-bit hash', () => {
    const table = new WindowTable();
    table.set(0, [0]);
    table.set(0x3fffffff, [1]);
    expect(table.get(0)).toEqual([0]);
    expect(table.get(0x3fffffff)).toEqual([1]);
    expect(table.get(1)).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('replaces a window under the same hash without growing', () => {
    const table = new WindowTable();
    table.set(7, [1]);
    table.set(7, [2]);
    expect(table.get(7)).toEqual([2]);
    expect(table.size).toBe(1);
  });

  it('keeps every window through growth and probing (hashes that share low bits)', () => {
    const table = new WindowTable();
    const hashes = Array.from({ length: 50_000 }, (_, i) => (i * 1024) & 0x3fffffff);
    hashes.forEach((h, i) => table.set(h, [i]));
    expect(table.size).toBe(hashes.length);
    expect(hashes.every((h, i) => table.get(h)?.[0] === i)).toBe(true);
  });

  it('deletes the windows a predicate picks and keeps the rest findable', () => {
    const table = new WindowTable();
    for (let i = 0; i < 5000; i++) table.set(i * 3, [i]);
    expect(table.deleteWhere((w) => (w[0] as number) % 2 === 0)).toBe(2500);
    expect(table.size).toBe(2500);
    expect(table.get(3)).toEqual([1]);
    expect(table.get(6)).toBeUndefined();
  });
});
