import type { CatalogEntry } from '../../catalog/catalog-entry.ts';
import { countAt } from './fields.ts';
import type { LoggedRequest } from './types.ts';

const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));

/**
 * A logged request of a catalog episode as a beacon record (not yet validated). The catalog gives
 * the ids, size and duration; bytes past the file's end (headers counted in by some CDNs) are cut.
 */
export function toLoggedBeaconRecord(request: LoggedRequest, entry: CatalogEntry, eventId: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    event_id: eventId,
    type: 'download',
    ts: request.ts,
    show_id: entry.show_id,
    episode_id: entry.episode_id,
    ip: request.ip,
    user_agent: clip(request.user_agent, 2000),
    method: request.method,
    status: request.status,
  };
  if (request.referer !== undefined) record.referer = clip(request.referer, 2000);
  if (request.range !== undefined) record.range = clip(request.range, 200);
  // The feed's length first; a CDN's Content-Length of a full response where the feed has none.
  const fileSize = entry.file_size ?? request.file_size;
  if (fileSize !== undefined) record.file_size = fileSize;
  if (entry.duration_s !== undefined) record.duration_s = entry.duration_s;
  if (request.bytes_sent !== undefined) {
    const start = request.status === 206 && request.range ? rangeStart(request.range) : 0;
    const left = fileSize === undefined ? undefined : Math.max(0, fileSize - start);
    record.bytes_sent = left === undefined ? request.bytes_sent : Math.min(request.bytes_sent, left);
  }
  return record;
}

const rangeStartPattern = /^\s*bytes\s*=\s*(\d+)-/i;

/** The first byte of a `bytes=N-...` range (0 for any other form); the decoders' own form is read without a match. */
function rangeStart(range: string): number {
  if (range.startsWith('bytes=')) {
    const dash = range.indexOf('-', 6);
    const start = dash > 6 ? countAt(range, 6, dash) : -1;
    if (start >= 0) return start;
  }
  const m = rangeStartPattern.exec(range);
  return m ? Number(m[1]) : 0;
}
