const minimumSlots = 1024;

/** An index entry's offset before its window is written, and for windows kept apart. */
export const noOffset = -1;
/** What `find` answers for a hash the index does not hold. */
export const noSlot = -1;
/** The stored hash of a free slot (hashes are stored plus one). */
const free = 0;

/**
 * Where each listener window is, by the 30-bit hash of its key: an open-addressing table of
 * (hash, offset) pairs in one typed array, so the collector never sees it. Linear probing, at
 * most three quarters full: eight pairs share a cache line, so a lookup mostly reads one line.
 */
export class WindowIndex {
  // Pairs: hash + 1 (0 marks a free slot), then the offset of its window.
  #slots = new Int32Array(2 * minimumSlots);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #probe(hash: number): number {
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    const stored = hash + 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> 0 & mask;
    while (slots[slot << 1] !== free && slots[slot << 1] !== stored) slot = (slot + 1) & mask;
    return slot;
  }

  /** The slot holding `hash`, or `noSlot`. */
  find(hash: number): number {
    const slot = this.#probe(hash);
    return this.#slots[slot << 1] === free ? noSlot : slot;
  }

  /** The slot for `hash`, added with `noOffset` if new. Slots found before may move. */
  insert(hash: number): number {
    let slot = this.#probe(hash);
    if (this.#slots[slot << 1] !== free) return slot;
    if ((this.#size + 1) * 8 > this.#slots.length * 3) {
      this.#rehash(2 * this.#slots.length);
      slot = this.#probe(hash);
    }
    this.#slots[slot << 1] = hash + 1;
    this.#slots[(slot << 1) + 1] = noOffset;
    this.#size++;
    return slot;
  }

  offset(slot: number): number {
    return this.#slots[(slot << 1) + 1]!;
  }

  setOffset(slot: number, offset: number): void {
    this.#slots[(slot << 1) + 1] = offset;
  }

  /** Points the entry of `hash` (which must be there) at `offset`: for windows that moved. */
  relocate(hash: number, offset: number): void {
    this.#slots[(this.#probe(hash) << 1) + 1] = offset;
  }

  /** Removes the entries `isDone` picks, given each offset; answers how many. */
  deleteWhere(isDone: (offset: number) => boolean): number {
    const before = this.#size;
    const slots = this.#slots;
    for (let pair = 0; pair < slots.length; pair += 2) {
      if (slots[pair] === free || !isDone(slots[pair + 1]!)) continue;
      slots[pair] = free;
      this.#size--;
    }
    // Probe chains broke where entries went: insert the rest again.
    this.#rehash(slots.length);
    return before - this.#size;
  }

  #rehash(length: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(length);
    for (let pair = 0; pair < old.length; pair += 2) {
      if (old[pair] === free) continue;
      const slot = this.#probe(old[pair]! - 1);
      this.#slots[slot << 1] = old[pair]!;
      this.#slots[(slot << 1) + 1] = old[pair + 1]!;
    }
  }
}
