import { endOfFile } from './byte-ranges.ts';

/** The first interval a `Range: bytes=…` header asks for, inclusive; `end` may be `endOfFile`. */
export interface RequestedRange {
  start: number;
  end: number;
}

const space = 32;
const tab = 9;
const zero = 48;
const nine = 57;

const bytesUnit = 'bytes';

/** Whether `bytes` (any case) starts at `i`, without building a lowercased copy. */
function isBytesUnitAt(text: string, i: number): boolean {
  if (i + bytesUnit.length > text.length) return false;
  for (let k = 0; k < bytesUnit.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== bytesUnit.charCodeAt(k)) return false;
  return true;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === space || text.charCodeAt(i) === tab)) i++;
  return i;
}

/**
 * Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` (a suffix, which needs the file size). Only the
 * first range of a multi-range request is used: podcast players do not send more than one.
 * Undefined for anything that is not a satisfiable byte range. Read by hand, not by a regular
 * expression: it runs for every ranged request the counting engine sees.
 */
export function tryParseRangeHeader(header: string, fileSize: number | undefined): RequestedRange | undefined {
  let i = skipSpaces(header, 0);
  if (!isBytesUnitAt(header, i)) return undefined;
  i = skipSpaces(header, i + bytesUnit.length);
  if (header.charCodeAt(i) !== 61) return undefined; // '='
  i = skipSpaces(header, i + 1);
  let first = -1;
  while (i < header.length && header.charCodeAt(i) >= zero && header.charCodeAt(i) <= nine) first = (first < 0 ? 0 : first * 10) + header.charCodeAt(i++) - zero;
  i = skipSpaces(header, i);
  if (header.charCodeAt(i) !== 45) return undefined; // '-'
  i = skipSpaces(header, i + 1);
  let last = -1;
  while (i < header.length && header.charCodeAt(i) >= zero && header.charCodeAt(i) <= nine) last = (last < 0 ? 0 : last * 10) + header.charCodeAt(i++) - zero;
  i = skipSpaces(header, i);
  if (i < header.length && header.charCodeAt(i) !== 44) return undefined; // ',' starts a second range
  if (first < 0 && last < 0) return undefined;
  if (first < 0) {
    if (fileSize === undefined || last === 0) return undefined;
    return { start: Math.max(0, fileSize - last), end: fileSize - 1 };
  }
  const requestedEnd = last < 0 ? endOfFile : last;
  if (requestedEnd < first) return undefined;
  const end = fileSize === undefined ? requestedEnd : Math.min(requestedEnd, fileSize - 1);
  return end >= first ? { start: first, end } : undefined;
}

/** `Range: bytes=0-1`: the probe many players send before the real request (IAB excludes it). */
export function isFirstTwoBytesProbe(range: string | undefined): boolean {
  if (range === undefined) return false;
  if (range === 'bytes=0-1') return true;
  // Any other spelling of 0-1 ends in "1" (give or take spaces): parse only those.
  if (range.trimEnd().charCodeAt(range.trimEnd().length - 1) !== 49) return false;
  const parsed = tryParseRangeHeader(range, undefined);
  return parsed !== undefined && parsed.start === 0 && parsed.end === 1;
}
