/**
 * Sets of byte offsets as merged, sorted, inclusive intervals in a flat list `[s0, e0, s1, e1, …]`
 * (PRX Dovetail's idea: byte arithmetic apart from the counting rules). The list may be a segment
 * `[from, from + length)` of a larger array, so a listener window keeps its ranges inline.
 */
export type ByteRanges = number[];

/** Stands for "to the end of the file" when the file's size is unknown. */
export const endOfFile = Number.MAX_SAFE_INTEGER;

/**
 * Adds `[start, end]` (inclusive) in place, merging overlapping and adjacent intervals; returns
 * the segment's new length.
 */
export function addByteRange(ranges: ByteRanges, start: number, end: number, from = 0, length = ranges.length - from): number {
  const stop = from + length;
  let i = from;
  // Skip intervals that end before `start - 1` (not even adjacent).
  while (i < stop && (ranges[i + 1] as number) < start - 1) i += 2;
  let j = i;
  let s = start;
  let e = end;
  while (j < stop && (ranges[j] as number) <= e + 1) {
    if ((ranges[j] as number) < s) s = ranges[j] as number;
    if ((ranges[j + 1] as number) > e) e = ranges[j + 1] as number;
    j += 2;
  }
  if (j - i === 2) {
    ranges[i] = s;
    ranges[i + 1] = e;
  } else ranges.splice(i, j - i, s, e);
  return length + 2 - (j - i);
}

/** Whether every byte of `[start, end]` is in the set. */
export function coversByteRange(ranges: ByteRanges, start: number, end: number, from = 0, length = ranges.length - from): boolean {
  for (let i = from; i < from + length; i += 2) {
    if ((ranges[i] as number) > start) return false;
    if ((ranges[i + 1] as number) >= end) return true;
  }
  return false;
}

/** Whether the first `count` bytes of the file (from byte 0) are all in the set. */
export function coversPrefix(ranges: ByteRanges, count: number, from = 0, length = ranges.length - from): boolean {
  return count <= 0 || coversByteRange(ranges, 0, count - 1, from, length);
}
