import { describe, expect, it } from 'vitest';
import { createLogDecoder } from '../../../../shared/domain/intake/logs/decoders.ts';
import type { DecodedLine, LogFormat } from '../../../../shared/domain/intake/logs/types.ts';

const fields =
  '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end';
const cf = (...f: string[]) => f.join('\t');
const cfRanged = cf('2026-11-01', '10:00:00', 'FRA56-P1', '1049012', '203.0.113.9', 'GET', 'd111111abcdef8.cloudfront.net', '/shows/ep%201.mp3', '206', '-',
  'AppleCoreMedia/1.0.0.21G93%20(iPhone;%20U;%20CPU%20OS%2017_6_1%20like%20Mac%20OS%20X;%20en_us)', 'x=1', '-', 'Hit', 'abc==', 'media.example.com', 'https', '300', '0.01', '-',
  'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Hit', 'HTTP/2.0', '-', '-', '51234', '0.001', 'Hit', 'audio/mpeg', '1048576', '0', '1048575');
const cfFull = cf('2026-11-01', '10:00:01', 'FRA56-P1', '2000420', '2001:db8::7', 'GET', 'd111111abcdef8.cloudfront.net', '/shows/ep2.mp3', '200', 'https://example.org/',
  'Overcast/3.0%2520(+http://overcast.fm/;%2520Apple%2520Watch%2520podcast%2520app)', '-', '-', 'Miss', 'def==', 'media.example.com', 'https', '250', '0.2', '-',
  'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Miss', 'HTTP/1.1', '-', '-', '51235', '0.05', 'Miss', 'audio/mpeg', '2000000', '-', '-');

/** Each case: the lines of one file in order, and what the last line decodes to. */
const cases: Array<{ name: string; format: LogFormat; lines: string[]; expected: DecodedLine | ((d: DecodedLine) => void) }> = [
  {
    name: 'cloudfront: a range from sc-range-start/end, the agent decoded, x-host-header matched before cs(Host)',
    format: 'cloudfront',
    lines: ['#Version: 1.0', fields, cfRanged],
    expected: {
      kind: 'request',
      request: {
        ts: '2026-11-01T10:00:00Z', ip: '203.0.113.9', method: 'GET', status: 206, host: 'media.example.com', path: '/shows/ep%201.mp3',
        user_agent: 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)', range: 'bytes=0-1048575', bytes_sent: 1048576,
        alternate: { host: 'd111111abcdef8.cloudfront.net', path: '/shows/ep%201.mp3' },
      },
    },
  },
  {
    name: 'cloudfront: sc-bytes counts headers, so the body is sc-content-len; an agent encoded twice is decoded twice',
    format: 'cloudfront',
    lines: [fields, cfFull],
    expected: (d) => {
      expect(d).toMatchObject({ kind: 'request', request: { status: 200, bytes_sent: 2_000_000, referer: 'https://example.org/', user_agent: 'Overcast/3.0 (+http://overcast.fm/; Apple Watch podcast app)' } });
      if (d.kind === 'request') expect(d.request.range).toBeUndefined();
    },
  },
  {
    name: 'cloudfront: a cut-off transfer is as long as sc-bytes',
    format: 'cloudfront',
    lines: [fields, cfFull.replace('\t2000420\t', '\t5000\t')],
    expected: (d) => expect(d).toMatchObject({ request: { bytes_sent: 5000 } }),
  },
  {
    name: 'cloudfront: #Fields in another order, without the range columns',
    format: 'cloudfront',
    lines: ['#Fields: c-ip date time cs-method cs-uri-stem sc-status sc-bytes cs(User-Agent) cs(Host)', cf('198.51.100.4', '2026-11-02', '23:59:59', 'GET', '/a.mp3', '200', '77', 'curl/8.0', 'cdn.example.net')],
    expected: { kind: 'request', request: { ts: '2026-11-02T23:59:59Z', ip: '198.51.100.4', method: 'GET', status: 200, host: 'cdn.example.net', path: '/a.mp3', user_agent: 'curl/8.0', bytes_sent: 77 } },
  },
  { name: 'cloudfront: comments are skipped', format: 'cloudfront', lines: ['#Version: 1.0'], expected: { kind: 'skip' } },
  { name: 'cloudfront: too few fields', format: 'cloudfront', lines: [fields, 'a\tb'], expected: { kind: 'reject', reason: 'expected 33 tab-separated fields (as #Fields: says), got 2' } },
  { name: 'cloudfront: #Fields without the request', format: 'cloudfront', lines: ['#Fields: date time'], expected: { kind: 'reject', reason: '#Fields: lacks c-ip, cs-method, cs-uri-stem, sc-status, cs(User-Agent)' } },
  { name: 'cloudfront: a field missing in the middle of the line is counted, not misread', format: 'cloudfront', lines: [fields, cfFull.replace('\tTLSv1.3', '')], expected: { kind: 'reject', reason: 'expected 33 tab-separated fields (as #Fields: says), got 32' } },
  { name: 'cloudfront: a time out of range', format: 'cloudfront', lines: [fields, cfFull.replace('10:00:01', '24:00:01')], expected: { kind: 'reject', reason: 'bad date and time "2026-11-01 24:00:01"' } },
  {
    name: 'cloudfront: the same second twice, then the next day (the time read once per second)',
    format: 'cloudfront',
    lines: [fields, cfFull, cfFull, cfFull.replace('2026-11-01', '2026-11-02')],
    expected: (d) => expect(d).toMatchObject({ request: { ts: '2026-11-02T10:00:01Z' } }),
  },
  { name: 'cloudfront: a bad status', format: 'cloudfront', lines: [fields, cfFull.replace('\t200\t', '\tOK\t')], expected: { kind: 'reject', reason: 'bad sc-status "OK"' } },
  {
    name: 'combined: nginx with "$http_range", time zone to UTC',
    format: 'combined',
    lines: ['203.0.113.9 - - [01/Nov/2026:11:00:00 +0100] "GET /shows/ep1.mp3?src=rss HTTP/1.1" 206 1048576 "-" "AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)" "bytes=0-1048575"'],
    expected: { kind: 'request', request: { ts: '2026-11-01T10:00:00.000Z', ip: '203.0.113.9', method: 'GET', status: 206, host: undefined, path: '/shows/ep1.mp3', bytes_sent: 1048576, user_agent: 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)', range: 'bytes=0-1048575' } },
  },
  {
    name: 'combined: Apache without the range, escaped quotes, "-" bytes, a user',
    format: 'combined',
    lines: ['2001:db8::7 - frank [31/Dec/2026:23:30:00 -0800] "HEAD /ep.mp3 HTTP/1.0" 304 - "https://example.org/?q=\\"x\\"" "Pod \\"Cast\\"/1.0"'],
    expected: { kind: 'request', request: { ts: '2027-01-01T07:30:00.000Z', ip: '2001:db8::7', method: 'HEAD', status: 304, host: undefined, path: '/ep.mp3', bytes_sent: 0, referer: 'https://example.org/?q="x"', user_agent: 'Pod "Cast"/1.0' } },
  },
  {
    name: 'combined: nginx \\x22 escapes and an absolute target give a host',
    format: 'combined',
    lines: ['198.51.100.4 - - [01/Nov/2026:10:00:00 +0000] "GET https://media.example.com/a.mp3 HTTP/1.1" 200 10 "-" "a\\x22b" "-"'],
    expected: { kind: 'request', request: { ts: '2026-11-01T10:00:00.000Z', ip: '198.51.100.4', method: 'GET', status: 200, host: 'media.example.com', path: '/a.mp3', bytes_sent: 10, user_agent: 'a"b' } },
  },
  {
    name: 'combined: an offset that crosses midnight into the next year',
    format: 'combined',
    lines: ['1.2.3.4 - - [31/Dec/2026:20:15:30 -0545] "GET /a.mp3 HTTP/1.1" 200 1 "-" "x"'],
    expected: (d) => expect(d).toMatchObject({ request: { ts: '2027-01-01T02:00:30.000Z' } }),
  },
  { name: 'combined: no 31st of November', format: 'combined', lines: ['1.2.3.4 - - [31/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"'], expected: { kind: 'reject', reason: 'bad time "31/Nov/2026:10:00:00 +0000"' } },
  { name: 'combined: no month Foo', format: 'combined', lines: ['1.2.3.4 - - [01/Foo/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"'], expected: { kind: 'reject', reason: 'bad time "01/Foo/2026:10:00:00 +0000"' } },
  { name: 'combined: a bad time', format: 'combined', lines: ['1.2.3.4 - - [1/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"'], expected: { kind: 'reject', reason: 'bad time "1/Nov/2026:10:00:00 +0000"' } },
  { name: 'combined: a junk request line', format: 'combined', lines: ['1.2.3.4 - - [01/Nov/2026:10:00:00 +0000] "\\x16\\x03" 400 0 "-" "-"'], expected: { kind: 'reject', reason: 'bad request line "\\u0016\\u0003"' } },
  { name: 'combined: cut short', format: 'combined', lines: ['1.2.3.4 - - [01/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-"'], expected: { kind: 'reject', reason: 'expected "user agent"' } },
  {
    name: 'cloud-logging: the load balancer entry, responseSize as an int64 string, no range',
    format: 'cloud-logging',
    lines: [JSON.stringify({ insertId: 'x1', timestamp: '2026-11-01T10:00:00.123456Z', resource: { type: 'http_load_balancer' }, httpRequest: { requestMethod: 'GET', requestUrl: 'https://media.example.com/shows/ep1.mp3?x=1', status: 206, responseSize: '1048900', userAgent: 'Spotify/8.9', remoteIp: '203.0.113.9', referer: 'https://example.org/', cacheHit: true }, jsonPayload: { statusDetails: 'response_from_cache' } })],
    expected: { kind: 'request', request: { ts: '2026-11-01T10:00:00.123456Z', ip: '203.0.113.9', method: 'GET', status: 206, host: 'media.example.com', path: '/shows/ep1.mp3', user_agent: 'Spotify/8.9', bytes_sent: 1048900, referer: 'https://example.org/', identity: 'x1\n2026-11-01T10:00:00.123456Z' } },
  },
  {
    name: 'cloud-logging: a timestamp with an offset, responseSize as a number',
    format: 'cloud-logging',
    lines: ['{"insertId":"x2","timestamp":"2026-11-01T11:00:00+01:00","httpRequest":{"requestMethod":"GET","requestUrl":"http://a.example","status":200,"responseSize":77}}'],
    expected: { kind: 'request', request: { ts: '2026-11-01T11:00:00+01:00', ip: '', user_agent: '', method: 'GET', status: 200, host: 'a.example', path: '/', bytes_sent: 77, identity: 'x2\n2026-11-01T11:00:00+01:00' } },
  },
  { name: 'cloud-logging: a timestamp that is no RFC 3339 time', format: 'cloud-logging', lines: ['{"timestamp":"Nov 1, 2026","httpRequest":{"requestMethod":"GET","requestUrl":"https://a.example/x","status":200}}'], expected: { kind: 'reject', reason: 'timestamp is missing or not RFC 3339' } },
  { name: 'cloud-logging: JSON that is no object', format: 'cloud-logging', lines: ['[{"httpRequest":{}}]'], expected: { kind: 'reject', reason: 'expected a LogEntry object' } },
  { name: 'cloud-logging: an entry that is not a request is skipped', format: 'cloud-logging', lines: ['{"timestamp":"2026-11-01T10:00:00Z","textPayload":"hi"}'], expected: { kind: 'skip' } },
  { name: 'cloud-logging: not JSON', format: 'cloud-logging', lines: ['{"httpRequest":'], expected: (d) => expect(d).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/^invalid JSON/) }) },
  { name: 'cloud-logging: no status', format: 'cloud-logging', lines: ['{"timestamp":"2026-11-01T10:00:00Z","httpRequest":{"requestMethod":"GET","requestUrl":"https://a.example/x"}}'], expected: { kind: 'reject', reason: 'httpRequest.status is missing or not an HTTP status' } },
  {
    name: 'gcs: the header, then a usage record; bucket and object give the public URL too',
    format: 'gcs',
    lines: [
      '"time_micros","c_ip","c_ip_type","c_ip_region","cs_method","cs_uri","sc_status","cs_bytes","sc_bytes","time_taken_micros","cs_host","cs_referer","cs_user_agent","s_request_id","cs_operation","cs_bucket","cs_object"',
      '"1793527200000000","203.0.113.9","1","","GET","/download/storage/v1/b/pods/o/ep%201.mp3?alt=media","200","0","2000000","120000","storage.googleapis.com","","AppleCoreMedia/1.0 (iPhone; ""quoted"")","ADt","GET_Object","pods","ep 1.mp3"',
    ],
    expected: { kind: 'request', request: { ts: '2026-11-01T10:00:00.000Z', ip: '203.0.113.9', method: 'GET', status: 200, host: 'storage.googleapis.com', path: '/download/storage/v1/b/pods/o/ep%201.mp3', user_agent: 'AppleCoreMedia/1.0 (iPhone; "quoted")', bytes_sent: 2_000_000, alternate: { host: 'storage.googleapis.com', path: '/pods/ep%201.mp3' } } },
  },
  {
    name: 'gcs: the other columns in another order, bare fields, a quote doubled in the URI, an object name to encode, microseconds kept to the millisecond',
    format: 'gcs',
    lines: [
      '"time_micros","cs_uri","c_ip","cs_method","sc_status","sc_bytes","cs_host","cs_referer","cs_user_agent","cs_bucket","cs_object"',
      '1793527200123456,"/pods/a""b.mp3?x=1",203.0.113.9,GET,206,100,"-","https://example.org/","ua","pods","new shows/a+b.mp3"',
    ],
    expected: { kind: 'request', request: { ts: '2026-11-01T10:00:00.123Z', ip: '203.0.113.9', method: 'GET', status: 206, host: undefined, path: '/pods/a"b.mp3', user_agent: 'ua', bytes_sent: 100, referer: 'https://example.org/', alternate: { host: 'storage.googleapis.com', path: '/pods/new%20shows/a%2Bb.mp3' } } },
  },
  { name: 'gcs: fewer fields than the header', format: 'gcs', lines: ['"1793527200000000","203.0.113.9","1"'], expected: { kind: 'reject', reason: 'expected 17 CSV fields, got 3' } },
  { name: 'gcs: unbalanced quotes', format: 'gcs', lines: ['"1793527200000000","203.0.113.9'], expected: { kind: 'reject', reason: 'not a CSV record (unbalanced quotes)' } },
  { name: 'gcs: a bad time', format: 'gcs', lines: ['"soon","203.0.113.9","1","","GET","/a","200","0","1","1","h","","ua","r","op","b","o"'], expected: { kind: 'reject', reason: 'bad time_micros' } },
];

describe('access-log decoders', () => {
  it.each(cases)('$name', ({ format, lines, expected }) => {
    const decoder = createLogDecoder(format);
    let last: DecodedLine = { kind: 'skip' };
    for (const line of lines) last = decoder.decode(line);
    if (typeof expected === 'function') expected(last);
    else expect(last).toEqual(expected);
  });

  it('keeps the #Fields of a file for every later line, and a new decoder starts over', () => {
    const decoder = createLogDecoder('cloudfront');
    decoder.decode('#Fields: c-ip date time cs-method cs-uri-stem sc-status cs(User-Agent)');
    expect(decoder.decode(cf('198.51.100.4', '2026-11-02', '23:59:59', 'GET', '/a.mp3', '200', 'x'))).toMatchObject({ kind: 'request' });
    expect(decoder.decode(cf('198.51.100.4', '2026-11-02', '23:59:59', 'GET', '/a.mp3', '200', 'x'))).toMatchObject({ kind: 'request' });
    expect(createLogDecoder('cloudfront').decode(cf('198.51.100.4', '2026-11-02', '23:59:59', 'GET', '/a.mp3', '200', 'x'))).toMatchObject({ kind: 'reject' });
  });
});
