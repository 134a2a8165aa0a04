import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCloudFrontLine, type LoggableRequest } from '../../../../cli/simulate/log-lines.ts';
import { defaultCloudFrontFields } from '../../../../shared/domain/intake/logs/cloudfront.ts';
import { createLogDecoder } from '../../../../shared/domain/intake/logs/decoders.ts';

const request: LoggableRequest = { ts: '2026-11-20T10:00:00Z', ip: '203.0.113.9', user_agent: 'AppleCoreMedia/1.0 (iPhone; U)', method: 'GET', status: 206, range: 'bytes=100-1999', bytes_sent: 1900, show_id: 's', episode_id: 'e', file_size: 48_000_000, duration_s: 3600, referer: 'https://example.org/' };
const defaultLine = toCloudFrontLine(request, 'r1').split('\t');
const valueOf = new Map(defaultCloudFrontFields.map((name, i) => [name, defaultLine[i] as string]));
const expected = createLogDecoder('cloudfront').decode(defaultLine.join('\t'));

// Any order and any subset of the columns a `#Fields:` line may name (the read ones always kept):
// runs of unread columns of every length, at the start, the middle and the end of the line.
const required = ['date', 'time', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status', 'cs(User-Agent)'];
const layouts = fc
  .shuffledSubarray(defaultCloudFrontFields.filter((f) => !required.includes(f)))
  .chain((optional) => fc.shuffledSubarray([...required, ...optional], { minLength: required.length + optional.length }))
  .map((fields) => [...fields, ...Array.from({ length: fields.length % 4 }, (_, i) => `x-extra-${i}`)]);

describe('CloudFront lines in any #Fields layout', () => {
  it('read the same request as the documented order, and refuse a line one field short', () => {
    fc.assert(
      fc.property(layouts, (fields) => {
        const decoder = createLogDecoder('cloudfront');
        expect(decoder.decode(`#Fields: ${fields.join(' ')}`)).toEqual({ kind: 'skip' });
        const line = fields.map((f) => valueOf.get(f) ?? 'extra').join('\t');
        const decoded = decoder.decode(line);
        expect(decoded.kind).toBe('request');
        if (decoded.kind !== 'request' || expected.kind !== 'request') return;
        // Columns the layout leaves out leave their part of the request out.
        const has = (f: string) => fields.includes(f);
        expect(decoded.request).toMatchObject({ ts: expected.request.ts, ip: expected.request.ip, user_agent: expected.request.user_agent, method: 'GET', status: 206, path: expected.request.path });
        if (has('x-host-header')) expect(decoded.request.host).toBe('media.earshot-demo.example');
        if (has('sc-range-start') && has('sc-range-end')) expect(decoded.request.range).toBe('bytes=100-1999');
        if (has('cs(Referer)')) expect(decoded.request.referer).toBe('https://example.org/');
        const short = fields.slice(0, -1).map((f) => valueOf.get(f) ?? 'extra').join('\t');
        expect(decoder.decode(short)).toEqual({ kind: 'reject', reason: `expected ${fields.length} tab-separated fields (as #Fields: says), got ${fields.length - 1}` });
      }),
      { numRuns: 300 },
    );
  });
});
