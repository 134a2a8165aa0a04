import type { ListenerWindow } from './listener-window.ts';

/**
 * Listener windows by the 30-bit hash of their key: an open-addressing table (linear probing,
 * at most half full) over a typed array of hashes beside an array of windows. The engine looks
 * one up per record among hundreds of thousands; this does it with a few array reads, where a
 * Map paid for its ordered entries and grew through large reallocations.
 */
export class WindowTable {
  // A slot holds hash + 1, so 0 marks it free.
  #hashes = new Int32Array(1024);
  #windows: Array<ListenerWindow | undefined> = new Array<ListenerWindow | undefined>(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #slot(hash: number): number {
    const mask = this.#hashes.length - 1;
    const stored = hash + 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> 0 & mask;
    while (this.#hashes[slot] !== 0 && this.#hashes[slot] !== stored) slot = (slot + 1) & mask;
    return slot;
  }

  get(hash: number): ListenerWindow | undefined {
    return this.#windows[this.#slot(hash)];
  }

  set(hash: number, window: ListenerWindow): void {
    const slot = this.#slot(hash);
    if (this.#hashes[slot] === 0) {
      if ((this.#size + 1) * 2 > this.#hashes.length) {
        this.#resize(this.#hashes.length * 2);
        return this.set(hash, window);
      }
      this.#hashes[slot] = hash + 1;
      this.#size++;
    }
    this.#windows[slot] = window;
  }

  /** Removes the windows `isDone` picks; answers how many. */
  deleteWhere(isDone: (window: ListenerWindow) => boolean): number {
    const before = this.#size;
    const hashes = this.#hashes;
    const windows = this.#windows;
    this.#hashes = new Int32Array(hashes.length);
    this.#windows = new Array<ListenerWindow | undefined>(hashes.length);
    this.#size = 0;
    for (let i = 0; i < hashes.length; i++) {
      const window = windows[i];
      if (hashes[i] !== 0 && window && !isDone(window)) this.set((hashes[i] as number) - 1, window);
    }
    return before - this.#size;
  }

  #resize(capacity: number): void {
    const hashes = this.#hashes;
    const windows = this.#windows;
    this.#hashes = new Int32Array(capacity);
    this.#windows = new Array<ListenerWindow | undefined>(capacity);
    this.#size = 0;
    for (let i = 0; i < hashes.length; i++) {
      const window = windows[i];
      if (hashes[i] !== 0 && window) this.set((hashes[i] as number) - 1, window);
    }
  }
}
