import { endOfFile } from './byte-ranges.ts';

/** The first interval a `Range: bytes=…` header asks for, inclusive; `end` may be `endOfFile`. */
export interface RequestedRange {
  start: number;
  end: number;
}

/**
 * Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` (a suffix, which needs the file size). Only the
 * first range of a multi-range request is used: podcast players do not send more than one.
 * Undefined for anything that is not a satisfiable byte range.
 */
export function tryParseRangeHeader(header: string, fileSize: number | undefined): RequestedRange | undefined {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,|$)/i.exec(header);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    if (fileSize === undefined) return undefined;
    const suffix = Number(last);
    return suffix > 0 ? { start: Math.max(0, fileSize - suffix), end: fileSize - 1 } : undefined;
  }
  const start = Number(first);
  const requestedEnd = last === '' ? endOfFile : Number(last);
  if (requestedEnd < start) return undefined;
  const end = fileSize === undefined ? requestedEnd : Math.min(requestedEnd, fileSize - 1);
  return end >= start ? { start, end } : undefined;
}
