/**
 * The listener window as stored, in memory (the engine's arena) and in the state store (inside a
 * household document): one flat array of small integers. Layout: a header, then the merged byte
 * ranges of each arrangement (served file) behind its marker (`arrangement.ts`), the 31-bit hashes
 * of the requests seen (in order), the ads delivered as (seen index, ghost, ad hash) triples, and
 * the replay block of the window this one replaced (rolling and extending windows keep one window
 * per listener and episode). Remembering the requests seen gives a redelivered request exactly
 * the verdict it got the first time.
 *
 * Version 2 of the format (version 1 kept one merged range list for all arrangements and the ad
 * count and replay length in two header slots); the version is stored with the windows, as the
 * household document's version (`household-doc.ts`).
 */
export type ListenerWindow = number[];

export const windowFormatVersion = 2;

/** Offsets of the header slots; the parts after it start at `header`. */
export const windowLayout = {
  /** Window start, s. */
  start: 0,
  /** Latest request, s. */
  last: 1,
  /** Index in the seen list of the request that counted, `notCounted` before. */
  counted: 2,
  /** Numbers in the range list (a marker per arrangement, 2 per interval). */
  rangeCount: 3,
  /** Hashes in the seen list. */
  seenCount: 4,
  /**
   * Numbers in the delivered list, plus `tailShift` times the length of the replay block (0 if
   * none): two counts that are mostly 0 share a slot, which pays for the arrangement marker.
   */
  tail: 5,
  /** A caller's check value (the engine keeps a second hash of the window key here). */
  check: 6,
  header: 7,
} as const;

/** Offsets in the replay block of a replaced window: its counted index and counts, then its seen hashes and ad triples. */
export const replayLayout = { counted: 0, seenCount: 1, adNumbers: 2, header: 3 } as const;

/** The `counted` slot of a window no request has counted yet. */
export const notCounted = -1;

/** Numbers per delivered ad: (seen index, ghost 0/1, ad hash). */
export const adNumbersPerAd = 3;

/** Delivered-list numbers stay below this (21,845 ads a window); the replay block's length is counted in its multiples. */
export const tailShift = 65_536;
/** Numbers in the delivered list, from the `tail` slot. */
export const adNumbersOf = (tailSlot: number): number => tailSlot % tailShift;
/** Length of the replay block, from the `tail` slot. */
export const previousNumbersOf = (tailSlot: number): number => (tailSlot - (tailSlot % tailShift)) / tailShift;
