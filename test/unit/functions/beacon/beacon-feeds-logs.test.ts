import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../../functions/beacon/handler.ts';
import type { FeedFetcher } from '../../../../functions/beacon/feeds-route.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { BeaconBatch } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { rssFeed } from '../../../support/feeds.ts';
import { RecordingBus, fixedClock, httpRequest, platformKey, quietLog, testConfig } from '../../../support/fixtures.ts';

const feed = rssFeed([
  { guid: 'ep-1', url: 'https://dts.podtrac.com/redirect.mp3/media.example.com/shows/ep1.mp3', length: 48_000_000, duration: '1:00:00' },
  { guid: 'ep-2', url: 'https://media.example.com/shows/ep2.mp3', length: 1_000_000, duration: '30' },
]);

function setup(fetchFeed?: FeedFetcher) {
  const bus = new RecordingBus();
  const handler = createBeaconHandler({ config: testConfig, bus, clock: fixedClock, log: quietLog, state: new MemoryStateStore(Date.now) }, { pixelBatchWindowMs: 0, ...(fetchFeed ? { fetchFeed } : {}) });
  return { bus, handler };
}
const body = (r: { body?: string | Buffer }) => JSON.parse(String(r.body)) as Record<string, unknown>;
const postFeed = (xml: string) => httpRequest({ path: '/feeds', headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/rss+xml' }, body: Buffer.from(xml) });
const postLog = (format: string, text: string, gzip = false) =>
  httpRequest({ path: '/logs', query: new URLSearchParams({ format }), headers: { authorization: `Bearer ${platformKey}`, ...(gzip ? { 'content-encoding': 'gzip' } : {}) }, body: gzip ? gzipSync(text) : Buffer.from(text) });

describe('beacon POST /feeds', () => {
  it('files a posted feed and answers its show, episodes and skipped items', async () => {
    const { handler } = setup();
    const response = await handler(postFeed(feed.replace('</channel>', '<item><guid>ep-3</guid></item></channel>')));
    expect(response.status).toBe(200);
    expect(body(response)).toEqual({ show_id: 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b', episodes: 2, skipped: [{ item: 'ep-3', reason: 'no enclosure url' }] });
  });

  it('fetches JSON {url} through the fetcher, conditionally on a re-read', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const { handler } = setup(async (url, validators) => {
      seen.push({ url, ...validators });
      return validators.etag ? { ok: true, notModified: true, url } : { ok: true, notModified: false, url, body: Buffer.from(feed), etag: '"v1"' };
    });
    const request = () => httpRequest({ path: '/feeds', json: { url: 'https://feeds.example.com/show.xml' }, headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' } });
    expect(body(await handler(request()))).toMatchObject({ episodes: 2 });
    expect(body(await handler(request()))).toMatchObject({ episodes: 2, not_modified: true });
    expect(seen).toEqual([{ url: 'https://feeds.example.com/show.xml' }, { url: 'https://feeds.example.com/show.xml', etag: '"v1"' }]);
  });

  it.each([
    ['an Atom feed', postFeed('<feed xmlns="http://www.w3.org/2005/Atom"/>'), 400, 'not an RSS feed', /root element is <feed>/],
    ['a bad JSON request', httpRequest({ path: '/feeds', json: { link: 'x' }, headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' } }), 400, 'invalid feed request', /expected JSON/],
    ['no key', httpRequest({ path: '/feeds', headers: {} }), 401, 'unauthorized', /Bearer/],
  ])('refuses %s', async (_, request, status, error, message) => {
    const response = await setup(async () => ({ ok: false, reason: 'refused' })).handler(request);
    expect(response.status).toBe(status);
    expect(body(response)).toMatchObject({ error, details: [{ message: expect.stringMatching(message) }] });
  });

  it('answers a refused fetch with 422 naming why', async () => {
    const response = await setup(async () => ({ ok: false, reason: 'refused 10.0.0.1: private address' })).handler(httpRequest({ path: '/feeds', json: { url: 'http://10.0.0.1/' }, headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' } }));
    expect(response.status).toBe(422);
    expect(body(response)).toEqual({ error: 'feed not fetched', details: [{ path: 'body/url', message: 'refused 10.0.0.1: private address' }] });
  });
});

const combined = [
  '203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /shows/ep1.mp3 HTTP/1.1" 206 2000000 "-" "AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)" "bytes=0-1999999"',
  '203.0.113.9 - - [20/Nov/2026:10:00:01 +0000] "GET /favicon.ico HTTP/1.1" 200 100 "-" "Mozilla/5.0" "-"',
  'garbage',
  '',
  '203.0.113.10 - - [20/Nov/2026:10:00:02 +0000] "GET /shows/ep2.mp3?x=1 HTTP/1.1" 200 1000000 "-" "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"',
].join('\n');

describe('beacon POST /logs', () => {
  it('turns lines into catalog beacons, rejects the rest by line number and rule, gzip allowed', async () => {
    const { bus, handler } = setup();
    await handler(postFeed(feed));
    const response = await handler(postLog('combined', combined, true));
    expect(response.status).toBe(202);
    expect(body(response)).toMatchObject({
      accepted: 2,
      rejected: [
        { line: 2, errors: [{ rule: 'catalog', path: '/line/2' }] },
        { line: 3, errors: [{ rule: 'decode', message: 'expected [time] as the fourth field' }] },
      ],
      rejected_count: 2,
      rejected_by_rule: { catalog: 1, decode: 1 },
    });
    const records = bus.payloads<BeaconBatch>('beacons').flatMap((b) => b.records);
    expect(records).toMatchObject([
      { show_id: 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b', episode_id: 'ep-1', file_size: 48_000_000, duration_s: 3600, range: 'bytes=0-1999999', bytes_sent: 2_000_000, status: 206 },
      { episode_id: 'ep-2', file_size: 1_000_000, duration_s: 30, status: 200, bytes_sent: 1_000_000 },
    ]);
    expect(JSON.stringify(records)).not.toContain('203.0.113');
  });

  it('gives a line the same event id on every upload', async () => {
    const { bus, handler } = setup();
    await handler(postFeed(feed));
    await handler(postLog('combined', combined));
    await handler(postLog('combined', combined));
    const ids = bus.payloads<BeaconBatch>('beacons').map((b) => b.records.map((r) => r.event_id));
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[0]?.[0]).toMatch(/^l_/);
  });

  it('refuses an unknown format before reading the body', () => {
    const { handler } = setup();
    const admission = handler.admit?.({ method: 'POST', path: '/logs', query: new URLSearchParams({ format: 'w3c' }), headers: { authorization: `Bearer ${platformKey}` }, clientIp: undefined });
    expect(admission).toMatchObject({ ok: false, response: { status: 400 } });
    expect(handler.admit?.({ method: 'POST', path: '/logs', query: new URLSearchParams({ format: 'gcs' }), headers: {}, clientIp: undefined })).toMatchObject({ ok: false, response: { status: 401 } });
    expect(handler.admit?.({ method: 'GET', path: '/feeds', query: new URLSearchParams(), headers: {}, clientIp: undefined })).toMatchObject({ ok: false, response: { status: 405 } });
  });
});

describe('prefix redirect through the catalog', () => {
  it('logs a redirect to a catalog episode under its show and episode, with size and duration', async () => {
    const { bus, handler } = setup();
    await handler(postFeed(feed));
    const response = await handler(httpRequest({ method: 'GET', path: '/e/media.example.com/shows/ep1.mp3', query: new URLSearchParams('src=rss'), headers: { 'user-agent': 'Overcast/3.0' }, clientIp: '198.51.100.7' }));
    expect(response).toMatchObject({ status: 302, headers: { location: 'https://media.example.com/shows/ep1.mp3?src=rss' } });
    await handler(httpRequest({ method: 'GET', path: '/e/media.example.com/other.mp3', headers: { 'user-agent': 'Overcast/3.0' }, clientIp: '198.51.100.7' }));
    await handler.close?.();
    const records = bus.payloads<BeaconBatch>('beacons').flatMap((b) => b.records);
    expect(records).toMatchObject([
      { platform: 'redirect', show_id: 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b', episode_id: 'ep-1', file_size: 48_000_000, duration_s: 3600 },
      { platform: 'redirect', show_id: 'media.example.com', episode_id: '/other.mp3' },
    ]);
  });
});

describe('beacon POST /feeds/refresh', () => {
  it('reads the configured feeds again, conditionally, at most once per interval', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const seen: string[] = [];
    const bus = new RecordingBus();
    const config = { ...testConfig, platforms: [{ id: 'p1', keys: [platformKey], feeds: ['https://feeds.example.com/a.xml', 'https://feeds.example.com/gone.xml'] }] };
    const handler = createBeaconHandler(
      { config, bus, clock: { now: () => now }, log: quietLog, state: new MemoryStateStore(Date.now) },
      {
        fetchFeed: async (url, validators) => {
          seen.push(`${url} ${validators.etag ?? '-'}`);
          if (url.endsWith('gone.xml')) return { ok: false, reason: 'feeds.example.com answered 404' };
          return validators.etag ? { ok: true, notModified: true, url } : { ok: true, notModified: false, url, body: Buffer.from(feed), etag: '"v1"' };
        },
      },
    );
    const refresh = () => handler(httpRequest({ path: '/feeds/refresh', headers: {} }));
    expect(body(await refresh())).toEqual({ refreshed: 1, failed: 1, throttled: false });
    expect(body(await refresh())).toEqual({ refreshed: 0, failed: 0, throttled: true });
    now = new Date('2026-11-20T12:11:00Z');
    expect(body(await refresh())).toEqual({ refreshed: 1, failed: 1, throttled: false });
    expect(seen).toEqual(['https://feeds.example.com/a.xml -', 'https://feeds.example.com/gone.xml -', 'https://feeds.example.com/a.xml "v1"', 'https://feeds.example.com/gone.xml -']);
    const logged = await handler(postLog('combined', '203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /shows/ep2.mp3 HTTP/1.1" 200 1000000 "-" "Overcast/3.0"'));
    expect(body(logged)).toMatchObject({ accepted: 1 });
  });
});
