/**
 * Sets of byte offsets as merged, sorted, inclusive intervals in a flat array `[s0, e0, s1, e1, …]`
 * (PRX Dovetail's idea: byte arithmetic apart from the counting rules). Flat numbers keep an open
 * listener window small in memory and serialise to Firestore as one array field.
 */
export type ByteRanges = number[];

/** Stands for "to the end of the file" when the file's size is unknown. */
export const endOfFile = Number.MAX_SAFE_INTEGER;

/** Adds `[start, end]` (inclusive) in place, merging overlapping and adjacent intervals. */
export function addByteRange(ranges: ByteRanges, start: number, end: number): void {
  let i = 0;
  // Skip intervals that end before `start - 1` (not even adjacent).
  while (i < ranges.length && (ranges[i + 1] as number) < start - 1) i += 2;
  let j = i;
  let s = start;
  let e = end;
  while (j < ranges.length && (ranges[j] as number) <= e + 1) {
    s = Math.min(s, ranges[j] as number);
    e = Math.max(e, ranges[j + 1] as number);
    j += 2;
  }
  ranges.splice(i, j - i, s, e);
}

/** Whether every byte of `[start, end]` is in the set. */
export function coversByteRange(ranges: ByteRanges, start: number, end: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if ((ranges[i] as number) <= start) {
      if ((ranges[i + 1] as number) >= end) return true;
    } else return false;
  }
  return false;
}

/** Whether the first `count` bytes of the file (from byte 0) are all in the set. */
export function coversPrefix(ranges: ByteRanges, count: number): boolean {
  return count <= 0 || coversByteRange(ranges, 0, count - 1);
}
