import { countArrangementRanges, findArrangement, toArrangementMarker } from '../arrangement.ts';
import { addByteRange, coversPrefix, type ByteRanges } from '../byte-ranges.ts';
import type { WindowRequest } from '../listener-window.ts';
import { adNumbersOf, notCounted, previousNumbersOf, replayLayout, windowLayout as at } from '../state/window-format.ts';
import type { VerdictReason } from '../verdict.ts';
import { computeWindowStart, isInWindow, type WindowMode } from '../windows.ts';
import { chunkMask, doubleFill, fitsChunk, packedLength, type WindowArena } from './window-arena.ts';
import type { WindowIndex } from './window-index.ts';

/*
 * The two steps most requests take, done on the engine's packed windows without building an
 * array: a listener's first request, and a later request inside the same window. Both only for
 * requests without inserted ads; `applyToWindow` stays the one definition of the rules, and a
 * property test holds these two to it.
 */

const firstLength = at.header + 4;

/**
 * The merged ranges of the window being written, reused: the hot path allocates nothing. Made an
 * array of doubles from the start (a kind V8 never narrows back), like the windows the byte-range
 * functions also see, so those stay specialized to one kind of array.
 */
const ranges: ByteRanges = [doubleFill];

/** Writes the first window for a request without ads at the index entry `slot`; answers its reason. */
export function openPacked(index: WindowIndex, slot: number, arena: WindowArena, hashes: Int32Array, mode: WindowMode, request: WindowRequest): VerdictReason {
  const offset = arena.allocate(hashes[0]!, firstLength);
  const w = arena.chunk(offset);
  const i = offset & chunkMask;
  ranges.length = 0;
  ranges.push(request.start, request.end);
  const counted = coversPrefix(ranges, request.minimum);
  w[i + at.start] = computeWindowStart(mode, request.ts);
  w[i + at.last] = request.ts;
  w[i + at.counted] = counted ? 0 : notCounted;
  w[i + at.rangeCount] = 3;
  w[i + at.seenCount] = 1;
  w[i + at.tail] = 0;
  w[i + at.check] = hashes[1]!;
  w[i + at.header] = toArrangementMarker(request.arrangement);
  w[i + at.header + 1] = request.start;
  w[i + at.header + 2] = request.end;
  w[i + at.header + 3] = request.eventHash;
  index.setOffset(slot, offset);
  return counted ? 'counted' : 'below_minimum';
}

/** Whether a packed window has seen the request, in its own list or its replaced window's. */
function hasSeen(w: readonly number[], i: number, hash: number): boolean {
  const seen = i + at.header + w[i + at.rangeCount]!;
  const seenEnd = seen + w[i + at.seenCount]!;
  for (let k = seen; k < seenEnd; k++) if (w[k] === hash) return true;
  const tail = w[i + at.tail]!;
  if (previousNumbersOf(tail) === 0) return false;
  const previous = seenEnd + adNumbersOf(tail) + replayLayout.header;
  const previousEnd = previous + w[previous - replayLayout.header + replayLayout.seenCount]!;
  for (let k = previous; k < previousEnd; k++) if (w[k] === hash) return true;
  return false;
}

/**
 * Appends a request without ads to the packed window at index entry `slot` when the request is
 * new to the window and inside it, and of an arrangement the window has seen: that arrangement's
 * ranges merged, one more seen hash, the rest copied, written anew. Answers its reason, or
 * undefined, having changed nothing, when the request replays, is late, opens a new window or
 * brings a new arrangement (or the window would outgrow a chunk).
 */
export function extendPacked(index: WindowIndex, slot: number, arena: WindowArena, mode: WindowMode, request: WindowRequest): VerdictReason | undefined {
  const offset = index.offset(slot);
  const w = arena.chunk(offset);
  const i = offset & chunkMask;
  if (!isInWindow(mode, w[i + at.start]!, w[i + at.last]!, request.ts) || hasSeen(w, i, request.eventHash)) return undefined;
  const rangeCount = w[i + at.rangeCount]!;
  const rangesFrom = i + at.header;
  const marker = findArrangement(w, request.arrangement, rangesFrom, rangeCount);
  if (marker < 0) return undefined;
  const groupCount = countArrangementRanges(w, marker, rangesFrom + rangeCount);
  ranges.length = 0;
  for (let k = marker + 1; k <= marker + groupCount; k++) ranges.push(w[k]!);
  const mergedCount = addByteRange(ranges, request.start, request.end);
  const newRangeCount = rangeCount + mergedCount - groupCount;
  const length = packedLength(w, i);
  const newLength = length + 1 + newRangeCount - rangeCount;
  if (!fitsChunk(newLength)) return undefined;

  const newOffset = arena.allocate(w[i - 1]!, newLength);
  const n = arena.chunk(newOffset);
  const j = newOffset & chunkMask;
  for (let k = 0; k < at.header; k++) n[j + k] = w[i + k]!;
  // Other arrangements' ranges as they were, this one's merged.
  let out = j + at.header;
  for (let k = rangesFrom; k <= marker; k++) n[out++] = w[k]!;
  for (let k = 0; k < mergedCount; k++) n[out++] = ranges[k]!;
  const seenFrom = rangesFrom + rangeCount;
  for (let k = marker + 1 + groupCount; k < seenFrom; k++) n[out++] = w[k]!;
  // Seen hashes, the new one, then the delivered ads and the replay block as they were.
  const seenCount = w[i + at.seenCount]!;
  for (let k = seenFrom; k < seenFrom + seenCount; k++) n[out++] = w[k]!;
  n[out++] = request.eventHash;
  for (let k = seenFrom + seenCount; k < i + length; k++) n[out++] = w[k]!;

  n[j + at.rangeCount] = newRangeCount;
  n[j + at.seenCount] = seenCount + 1;
  if (request.ts > n[j + at.last]!) n[j + at.last] = request.ts;
  let reason: VerdictReason = 'below_minimum';
  if (n[j + at.counted]! >= 0) reason = 'already_counted';
  else if (coversPrefix(ranges, request.minimum, 0, mergedCount)) {
    n[j + at.counted] = seenCount;
    reason = 'counted';
  }
  arena.free(offset);
  index.setOffset(slot, newOffset);
  return reason;
}
