import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import { endOfFile } from './byte-ranges.ts';
import { tryParseRangeHeader } from './range-header.ts';

type Sized = Pick<EnrichedBeacon, 'status' | 'range' | 'bytes_sent' | 'file_size' | 'duration_s' | 'id3_size' | 'bitrate_kbps'>;

/** The file's size: as given, or for a full (200) response the bytes sent. */
function knownFileSize(r: Sized): number | undefined {
  if (r.file_size !== undefined) return r.file_size;
  return (r.status ?? 200) === 200 && r.bytes_sent !== undefined ? r.bytes_sent : undefined;
}

/**
 * The bytes a request served, inclusive (README.md, What counts): from the range start (0 without a range,
 * or when the server answered 200 and ignored it), `bytes_sent` long; without `bytes_sent`, the
 * range's length, or the whole file. Undefined when nothing was served (0 bytes, bad range).
 */
export function computeServedBytes(r: Sized): { start: number; end: number } | undefined {
  const size = knownFileSize(r);
  const partial = (r.status ?? 200) === 206 && r.range !== undefined;
  const requested = partial ? tryParseRangeHeader(r.range as string, size) : { start: 0, end: size === undefined ? endOfFile : size - 1 };
  if (!requested) return undefined;
  if (r.bytes_sent !== undefined) return r.bytes_sent > 0 ? { start: requested.start, end: requested.start + r.bytes_sent - 1 } : undefined;
  return requested.end >= requested.start ? requested : undefined;
}

/**
 * Bytes that make one minute of audio (IAB v2.x), counted from byte 0: from size and duration,
 * else from the bitrate, else the whole file; the whole file as well for episodes under a minute.
 * `endOfFile` when the whole file is needed and its size is unknown.
 */
export function computeMinimumBytes(r: Sized): number {
  const size = knownFileSize(r);
  const id3 = r.id3_size ?? 0;
  let minimum: number;
  if (r.duration_s !== undefined && r.duration_s < 60) minimum = size ?? endOfFile;
  else if (size !== undefined && r.duration_s !== undefined) minimum = id3 + Math.ceil((60 * (size - id3)) / r.duration_s);
  else if (r.bitrate_kbps !== undefined) minimum = id3 + Math.ceil(60 * r.bitrate_kbps * 125);
  else minimum = size ?? endOfFile;
  return size === undefined ? minimum : Math.min(minimum, size);
}
