import { computeHash31 } from './hash31.ts';

/** The parts of an inserted ad that place it in the served file. */
export interface AdPlacement {
  ad_id: string;
  byte_start: number;
  byte_end: number;
}

/**
 * A 30-bit key of the file a request was served: its size and its inserted ads, sorted by place
 * (so the order the platform listed them in does not matter). Dynamic ad insertion serves one
 * episode as many files, and byte 5,000,000 of one is not byte 5,000,000 of another: byte ranges
 * merge only within one arrangement, so an ad is delivered only by bytes of a file that carried it.
 * An unknown size is a size of its own (-1). Ghost placements enter like real ones: a holdout
 * household's file is one arrangement for all its requests either way.
 */
export function computeArrangementHash(fileSize: number | undefined, ads: readonly AdPlacement[]): number {
  const size = fileSize ?? -1;
  // Size as two 32-bit halves, mixed like the string hash: no string for the common ad-free file.
  let hash = Math.imul(0x811c9dc5 ^ (size >>> 0), 0x01000193);
  hash = Math.imul(hash ^ Math.floor(size / 0x1_0000_0000), 0x01000193);
  if (ads.length === 0) return (hash >>> 1) & 0x3fffffff;
  const placed = [...ads].sort((a, b) => a.byte_start - b.byte_start || a.byte_end - b.byte_end || (a.ad_id < b.ad_id ? -1 : a.ad_id > b.ad_id ? 1 : 0));
  return computeHash31(placed.map((a) => `${a.ad_id}\n${a.byte_start}\n${a.byte_end}`).join('\n'), hash);
}

/*
 * A window's range list holds the merged ranges of each arrangement it has seen, each behind a
 * marker, -1 minus the arrangement's hash (byte offsets are never negative):
 * `[marker a, s0, e0, s1, e1, marker b, s0, e0, …]`. Most windows see one arrangement, so this
 * costs one number per window.
 */

/** The arrangement of ranges kept before arrangements were (window documents of version 1): no request has it. */
export const legacyArrangement = 0x40000000;

export function toArrangementMarker(arrangement: number): number {
  return -1 - arrangement;
}

/** Index of the marker of `arrangement` in the range list at `[from, from + length)`, or -1. */
export function findArrangement(ranges: readonly number[], arrangement: number, from: number, length: number): number {
  const marker = -1 - arrangement;
  for (let i = from; i < from + length; i++) if (ranges[i] === marker) return i;
  return -1;
}

/** Numbers of ranges (2 per interval) behind the marker at `at`, up to the list's end `stop`. */
export function countArrangementRanges(ranges: readonly number[], at: number, stop: number): number {
  let i = at + 1;
  while (i < stop && (ranges[i] as number) >= 0) i++;
  return i - at - 1;
}

