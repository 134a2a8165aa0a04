import { describe, expect, it } from 'vitest';
import { endOfFile } from '../../../../shared/domain/counting/byte-ranges.ts';
import { computeMinimumBytes, computeServedBytes } from '../../../../shared/domain/counting/request-bytes.ts';
import { createLogDecoder } from '../../../../shared/domain/intake/logs/decoders.ts';
import { toLoggedBeaconRecord } from '../../../../shared/domain/intake/logs/to-beacon-record.ts';
import type { LogFormat } from '../../../../shared/domain/intake/logs/types.ts';
import type { CatalogEntry } from '../../../../shared/domain/catalog/catalog-entry.ts';

const episode: CatalogEntry = { show_id: 's', episode_id: 'e', file_size: 60_000_000, duration_s: 3600 }; // a minute is 1,000,000 bytes
const unsized: CatalogEntry = { show_id: 's', episode_id: 'e', duration_s: 3600 };
const lb = (status: number, size: number) =>
  JSON.stringify({ timestamp: '2026-11-01T10:00:00Z', httpRequest: { requestMethod: 'GET', requestUrl: 'https://cdn.example/e.mp3', status, responseSize: String(size), userAgent: 'a', remoteIp: '203.0.113.9' } });
const gcs = (status: number, size: number) => `"1793527200000000","203.0.113.9","1","","GET","/b/e.mp3","${status}","0","${size}","1","storage.googleapis.com","","a","r","GET_Object","b","e.mp3"`;
const combined = (status: number, size: number, range?: string) =>
  `203.0.113.9 - - [01/Nov/2026:10:00:00 +0000] "GET /e.mp3 HTTP/1.1" ${status} ${size} "-" "a"${range ? ` "${range}"` : ''}`;

/** docs/intake.md, "Where a format lacks a field": each case and the bytes counting then sees. */
const cases: Array<{ name: string; format: LogFormat; line: string; entry: CatalogEntry; served: { start: number; end: number } | undefined; minimum: number }> = [
  { name: 'a load-balancer 206 has no range start: read as starting at byte 0', format: 'cloud-logging', line: lb(206, 500_000), entry: episode, served: { start: 0, end: 499_999 }, minimum: 1_000_000 },
  { name: 'a load-balancer responseSize counts headers: cut at the file end', format: 'cloud-logging', line: lb(200, 60_000_400), entry: episode, served: { start: 0, end: 59_999_999 }, minimum: 1_000_000 },
  { name: 'a Cloud Storage usage line has no range either', format: 'gcs', line: gcs(206, 2_000_000), entry: episode, served: { start: 0, end: 1_999_999 }, minimum: 1_000_000 },
  { name: 'combined without "$http_range": a 206 read as starting at byte 0', format: 'combined', line: combined(206, 1_500_000), entry: episode, served: { start: 0, end: 1_499_999 }, minimum: 1_000_000 },
  { name: 'combined with "$http_range": the range start is kept', format: 'combined', line: combined(206, 1_500_000, 'bytes=30000000-'), entry: episode, served: { start: 30_000_000, end: 31_499_999 }, minimum: 1_000_000 },
  // The engine takes a 200's bytes for the whole file: a minute of a 700 kB "file" of an hour is 11,667 bytes.
  { name: 'a feed with length="0": a 200 is taken as the whole file', format: 'combined', line: combined(200, 700_000), entry: unsized, served: { start: 0, end: 699_999 }, minimum: 11_667 },
  {
    name: 'a feed with length="0": CloudFront still tells the size of a 200 (sc-content-len)',
    format: 'cloudfront',
    line: ['2026-11-01', '10:00:00', 'X', '700380', '203.0.113.9', 'GET', 'd1.cloudfront.net', '/e.mp3', '200', '-', 'a', '-', '-', 'Hit', 'id', 'cdn.example', 'https', '1', '0.1', '-', '-', '-', 'Hit', 'HTTP/2.0', '-', '-', '1', '0.1', 'Hit', 'audio/mpeg', '60000000', '-', '-'].join('\t'),
    entry: unsized,
    // sc-bytes counts the response headers: a cut-off response is that much (380 bytes here) longer.
    served: { start: 0, end: 700_379 },
    minimum: 1_000_000,
  },
  { name: 'a feed with length="0": a 206 can never show the whole file', format: 'combined', line: combined(206, 700_000, 'bytes=0-'), entry: unsized, served: { start: 0, end: 699_999 }, minimum: endOfFile },
];

describe('counting rules where a log format lacks a field', () => {
  it.each(cases)('$name', ({ format, line, entry, served, minimum }) => {
    const decoder = createLogDecoder(format);
    const decoded = decoder.decode(line);
    if (decoded.kind !== 'request') throw new Error(`not decoded: ${JSON.stringify(decoded)}`);
    const record = toLoggedBeaconRecord(decoded.request, entry, 'l_x') as Parameters<typeof computeServedBytes>[0];
    expect(computeServedBytes(record)).toEqual(served);
    expect(computeMinimumBytes(record)).toBe(minimum);
  });
});
