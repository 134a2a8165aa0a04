import { describe, expect, it } from 'vitest';
import { noOffset, WindowIndex } from '../../../../../shared/domain/counting/engine/window-index.ts';

function indexOf(entries: ReadonlyArray<[number, number]>): WindowIndex {
  const index = new WindowIndex();
  for (const [hash, offset] of entries) index.setOffset(index.insert(hash), offset);
  return index;
}

const offsetOf = (index: WindowIndex, hash: number) => {
  const slot = index.find(hash);
  return slot < 0 ? undefined : index.offset(slot);
};

describe('WindowIndex', () => {
  it('finds what it holds, including hash 0 and the largest 30-bit hash', () => {
    const index = indexOf([[0, 10], [0x3fffffff, 20]]);
    expect(offsetOf(index, 0)).toBe(10);
    expect(offsetOf(index, 0x3fffffff)).toBe(20);
    expect(index.find(1)).toBe(-1);
    expect(index.size).toBe(2);
  });

  it('gives a new entry no offset, and an existing hash its own entry back', () => {
    const index = new WindowIndex();
    const slot = index.insert(7);
    expect(index.offset(slot)).toBe(noOffset);
    index.setOffset(slot, 3);
    expect(index.insert(7)).toBe(slot);
    expect(offsetOf(index, 7)).toBe(3);
    expect(index.size).toBe(1);
  });

  it('keeps every entry through growth and probing (hashes that share low bits)', () => {
    const hashes = Array.from({ length: 50_000 }, (_, i) => (i * 1024) & 0x3fffffff);
    const index = indexOf(hashes.map((h, i) => [h, i]));
    expect(index.size).toBe(hashes.length);
    expect(hashes.every((h, i) => offsetOf(index, h) === i)).toBe(true);
  });

  it('relocates an entry by its hash', () => {
    const index = indexOf([[5, 1], [6, 2]]);
    index.relocate(6, 99);
    expect([offsetOf(index, 5), offsetOf(index, 6)]).toEqual([1, 99]);
  });

  it('deletes the entries a predicate picks and keeps the rest findable', () => {
    const index = indexOf(Array.from({ length: 5000 }, (_, i): [number, number] => [i * 3, i]));
    expect(index.deleteWhere((offset) => offset % 2 === 0)).toBe(2500);
    expect(index.size).toBe(2500);
    expect(offsetOf(index, 3)).toBe(1);
    expect(offsetOf(index, 6)).toBeUndefined();
  });
});
