import { adNumbersOf, previousNumbersOf, windowLayout as at, type ListenerWindow } from '../state/window-format.ts';

export const chunkBits = 13;
/** Numbers per chunk: 64 KiB arrays, small enough to be ordinary heap objects. */
export const chunkSize = 1 << chunkBits;
export const chunkMask = chunkSize - 1;

/** Prefix of a window that was replaced or forgotten (a live window's prefix is its key's hash). */
const dead = -1;
/** Prefix of the unused end of a chunk: the next window did not fit there. */
const chunkEnd = -2;
/**
 * What a new chunk is filled with: a double, so V8 makes the array one of doubles from the start
 * (a kind it never narrows back) and the functions that read windows see one kind of array.
 */
export const doubleFill = 0.5;
/** Dead windows are dropped when they outweigh the live ones and fill a few chunks. */
const minimumGarbage = 4 * chunkSize;

/** Whether a window of `length` numbers fits a chunk, behind its hash. */
export function fitsChunk(length: number): boolean {
  return length + 1 <= chunkSize;
}

/** Numbers in the window at `i` of `chunk`, from its header. */
export function packedLength(chunk: readonly number[], i: number): number {
  const tail = chunk[i + at.tail]!;
  return at.header + chunk[i + at.rangeCount]! + chunk[i + at.seenCount]! + adNumbersOf(tail) + previousNumbersOf(tail);
}

/**
 * Listener windows packed one after another, in the `ListenerWindow` layout behind their key's
 * hash, in chunks of plain number arrays. A window lives inside one chunk, at an offset (chunk
 * number and place in it) that stays put until `compact`. A changed window is written anew at the
 * end and its old copy marked dead; `compact` slides the live ones down over the dead.
 *
 * Why: hundreds of thousands of windows as arrays of their own kept the young-generation collector
 * copying survivors for a third of the engine's time; chunks are a few large objects instead.
 * Plain arrays rather than typed ones, because array buffers count as external memory, whose
 * growth sets off full collections of the whole heap.
 */
export class WindowArena {
  readonly #chunks: number[][] = [];
  #top = 0;
  #live = 0;
  #garbage = 0;
  #windows = 0;

  /** Windows held. */
  get size(): number {
    return this.#windows;
  }

  /** The chunk holding `offset`; the window starts at `offset & chunkMask` in it. */
  chunk(offset: number): number[] {
    return this.#chunks[offset >> chunkBits]!;
  }

  /**
   * Room for a window of `length` numbers (one that `fitsChunk`) behind its key's `hash`;
   * answers its offset. Nothing else moves.
   */
  allocate(hash: number, length: number): number {
    let top = this.#top;
    if ((top & chunkMask) + length + 1 > chunkSize) {
      this.#chunks[top >> chunkBits]![top & chunkMask] = chunkEnd;
      top = (top | chunkMask) + 1;
    }
    if (top >> chunkBits === this.#chunks.length) this.#chunks.push(new Array<number>(chunkSize).fill(doubleFill));
    this.chunk(top)[top & chunkMask] = hash;
    this.#top = top + length + 1;
    this.#live += length + 1;
    this.#windows++;
    return top + 1;
  }

  /** Marks the window at `offset` dead. */
  free(offset: number): void {
    const chunk = this.chunk(offset);
    const i = offset & chunkMask;
    chunk[i - 1] = dead;
    const length = packedLength(chunk, i) + 1;
    this.#live -= length;
    this.#garbage += length;
    this.#windows--;
  }

  /** A copy of the window at `offset`, as an array. */
  read(offset: number): ListenerWindow {
    const chunk = this.chunk(offset);
    const from = offset & chunkMask;
    const end = from + packedLength(chunk, from);
    const window: ListenerWindow = [];
    for (let i = from; i < end; i++) window.push(chunk[i]!);
    return window;
  }

  /** Writes `window` (one that `fitsChunk`) behind its key's `hash`; answers its offset. */
  write(hash: number, window: ListenerWindow): number {
    const offset = this.allocate(hash, window.length);
    const chunk = this.chunk(offset);
    const from = offset & chunkMask;
    for (let i = 0; i < window.length; i++) chunk[from + i] = window[i]!;
    return offset;
  }

  get needsCompaction(): boolean {
    return this.#garbage > minimumGarbage && this.#garbage > this.#live;
  }

  /**
   * Slides the live windows down over the dead ones, in order, and tells `moved` each window's key
   * hash and new offset. Chunks left empty are let go.
   */
  compact(moved: (hash: number, offset: number) => void): void {
    const chunks = this.#chunks;
    let to = 0;
    for (let from = 0; from < this.#top; ) {
      const source = this.chunk(from);
      const i = from & chunkMask;
      const prefix = source[i]!;
      if (prefix === chunkEnd) {
        from = (from | chunkMask) + 1;
        continue;
      }
      const length = packedLength(source, i + 1) + 1;
      if (prefix !== dead) {
        // Packing a subsequence by the same rule never overtakes the source: nothing unread is overwritten.
        if ((to & chunkMask) + length > chunkSize) {
          this.chunk(to)[to & chunkMask] = chunkEnd;
          to = (to | chunkMask) + 1;
        }
        if (to !== from) {
          const target = this.chunk(to);
          const j = to & chunkMask;
          for (let k = 0; k < length; k++) target[j + k] = source[i + k]!;
        }
        moved(prefix, to + 1);
        to += length;
      }
      from += length;
    }
    this.#top = to;
    this.#garbage = 0;
    chunks.length = (to + chunkMask) >> chunkBits;
  }
}
