import { describe, expect, it } from 'vitest';
import { computeCatalogKey, computeRequestKey } from '../../../../shared/domain/catalog/catalog-key.ts';
import { Catalog } from '../../../../shared/application/catalog-store.ts';
import { tryParseDuration } from '../../../../shared/domain/catalog/duration.ts';
import { computeFeedGuid, parseFeed } from '../../../../shared/domain/catalog/parse-feed.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';

describe('itunes:duration', () => {
  it.each([
    ['3600', 3600], ['3600.5', 3600.5], ['59:30', 3570], ['75:00', 4500], ['1:02:03', 3723], ['01:02:03', 3723], [' 42 ', 42], ['', undefined], [undefined, undefined],
    ['1:75:00', Number.NaN], ['abc', Number.NaN], ['1:2:3:4', Number.NaN], ['-5', Number.NaN], ['1.5:00', Number.NaN],
  ])('%j -> %s', (text, expected) => expect(tryParseDuration(text)).toBe(expected));
});

const target = 'cdn.example.com/shows/ep1.mp3';
describe('catalog keys: scheme, query, encoding and prefix chains', () => {
  it.each([
    ['https://cdn.example.com/shows/ep1.mp3'],
    ['http://CDN.example.com:443/shows/ep1.mp3?x=1#t'],
    ['https://cdn.example.com/shows/%65p1.mp3'],
    ['https://dts.podtrac.com/redirect.mp3/cdn.example.com/shows/ep1.mp3'],
    ['https://www.podtrac.com/pts/redirect.mp3/https://cdn.example.com/shows/ep1.mp3'],
    ['https://play.podtrac.com/npr-510289/cdn.example.com/shows/ep1.mp3'],
    ['https://chtbl.com/track/AB12C/cdn.example.com/shows/ep1.mp3'],
    ['https://chrt.fm/track/AB12C/https%3A//cdn.example.com/shows/ep1.mp3'],
    ['https://pdst.fm/e/cdn.example.com/shows/ep1.mp3'],
    ['https://clrtpod.com/m/cdn.example.com/shows/ep1.mp3'],
    ['https://claritaspod.com/measure/cdn.example.com/shows/ep1.mp3'],
    ['https://op3.dev/e/cdn.example.com/shows/ep1.mp3'],
    ['https://op3.dev/e,pg=9b024349-ccf0-5f69-a609-6b82873eab3c/cdn.example.com/shows/ep1.mp3'],
    ['https://op3.dev/e/pg=9b024349-ccf0-5f69-a609-6b82873eab3c/https://cdn.example.com/shows/ep1.mp3'],
    ['https://dts.podtrac.com/redirect.mp3/chtbl.com/track/X/pdst.fm/e/op3.dev/e/cdn.example.com/shows/ep1.mp3'],
    ['https://earshot.example.net/beacon/e/cdn.example.com/shows/ep1.mp3?src=rss'],
  ])('%s', (url) => expect(computeCatalogKey(url)).toBe(target));

  it('keeps an encoded slash and other paths apart', () => {
    expect(computeCatalogKey('https://cdn.example.com/shows%2Fep1.mp3')).not.toBe(target);
    expect(computeCatalogKey('https://cdn.example.com/shows/ep2.mp3')).not.toBe(target);
    expect(computeCatalogKey('https://other.example.com/shows/ep1.mp3')).not.toBe(target);
  });

  it('matches a hostless path (combined logs) by path, also behind the own prefix', () => {
    expect(computeRequestKey(undefined, '/shows/%65p1.mp3')).toEqual({ key: '/shows/ep1.mp3', byPath: true });
    expect(computeRequestKey(undefined, '/beacon/e/cdn.example.com/shows/ep1.mp3')).toEqual({ key: target, byPath: false });
  });
});

const feed = (items: string, channelExtra = '<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>') => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Show &amp; Tell</title><atom:link href="https://feeds.example.com/show.xml" rel="self" type="application/rss+xml"/>${channelExtra}${items}</channel></rss>`;

describe('RSS feeds', () => {
  it('reads guid, enclosure, length and every duration spelling; skips what it cannot use, with reasons', () => {
    const parsed = parseFeed(feed(`
      <item><title>One</title><guid isPermaLink="false">ep-1</guid><enclosure url="https://dts.podtrac.com/redirect.mp3/cdn.example.com/ep1.mp3" length="48000000" type="audio/mpeg"/><itunes:duration>3600</itunes:duration></item>
      <item><guid>ep-2</guid><enclosure url="https://cdn.example.com/ep2.mp3?x=1&amp;y=2" length="1000" type="audio/mpeg"/><itunes:duration>59:30</itunes:duration></item>
      <item><guid>ep-3</guid><enclosure url="https://cdn.example.com/ep3.mp3" length="0" type="audio/mpeg"/><itunes:duration>01:02:03</itunes:duration></item>
      <item><guid>ep-4</guid><enclosure url="https://cdn.example.com/ep4.mp3" length="12" type="audio/mpeg"/></item>
      <item><title>No audio</title><guid>ep-5</guid></item>
      <item><guid>ep-6</guid><enclosure url="https://cdn.example.com/ep6.mp3" length="12 MB" type="audio/mpeg"/></item>
      <item><guid>ep-7</guid><enclosure url="https://cdn.example.com/ep7.mp3" length="12" type="audio/mpeg"/><itunes:duration>an hour</itunes:duration></item>
      <item><title>Untitled guid</title><enclosure url="https://cdn.example.com/ep8.mp3" length="12"/></item>
      <item><guid>ep-9</guid><enclosure url="ftp://cdn.example.com/ep9.mp3" length="12"/></item>`));
    expect(parsed).toEqual({
      ok: true,
      show_id: '917393e3-1b1e-5cef-ace4-edaa54e1f810',
      title: 'Show & Tell',
      episodes: [
        { episode_id: 'ep-1', url: 'https://dts.podtrac.com/redirect.mp3/cdn.example.com/ep1.mp3', file_size: 48_000_000, duration_s: 3600 },
        { episode_id: 'ep-2', url: 'https://cdn.example.com/ep2.mp3?x=1&y=2', file_size: 1000, duration_s: 3570 },
        { episode_id: 'ep-3', url: 'https://cdn.example.com/ep3.mp3', duration_s: 3723 },
        { episode_id: 'ep-4', url: 'https://cdn.example.com/ep4.mp3', file_size: 12 },
      ],
      skipped: [
        { item: 'ep-5', reason: 'no enclosure url' },
        { item: 'ep-6', reason: 'enclosure length "12 MB" is not a byte count' },
        { item: 'ep-7', reason: 'itunes:duration "an hour" is not seconds, MM:SS or HH:MM:SS' },
        { item: 'Untitled guid', reason: 'no guid' },
        { item: 'ep-9', reason: 'enclosure url "ftp://cdn.example.com/ep9.mp3" is not http(s)' },
      ],
    });
  });

  it('without podcast:guid, the show id is the Podcasting 2.0 guid of the feed URL', () => {
    // The example of the podcast:guid documentation.
    expect(computeFeedGuid('https://mp3s.nashownotes.com/pc20rss.xml')).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
    const parsed = parseFeed(feed('', ''), 'https://feeds.example.org/other.xml');
    expect(parsed).toMatchObject({ ok: true, show_id: computeFeedGuid('feeds.example.org/other.xml') });
    expect(parseFeed(feed('', ''))).toMatchObject({ ok: true, show_id: computeFeedGuid('https://feeds.example.com/show.xml') });
    const moved = '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>x</title><itunes:new-feed-url>https://new.example/feed</itunes:new-feed-url></channel></rss>';
    expect(parseFeed(moved)).toMatchObject({ ok: true, show_id: computeFeedGuid('https://new.example/feed') });
    const bare = parseFeed('<rss version="2.0"><channel><title>Bare</title><link>https://bare.example/</link></channel></rss>');
    expect(bare).toMatchObject({ ok: true, show_id: expect.stringMatching(/^f_[\w-]{32}$/) });
    expect(parseFeed('<rss version="2.0"><channel><title>Bare</title><link>https://bare.example/</link></channel></rss>')).toEqual(bare);
  });

  it.each([
    ['not XML', 'hello', /^not well-formed XML/],
    ['Atom', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', /root element is <feed>, not <rss>/],
    ['HTML', '<html><body>moved</body></html>', /root element is <html>/],
    ['no channel', '<rss version="2.0"><item/></rss>', /<rss> has no <channel>/],
    ['no guid, URL nor title', '<rss version="2.0"><channel><description>x</description></channel></rss>', /no podcast:guid, no URL and no title/],
  ])('refuses %s, naming why', (_, xml, reason) => {
    const parsed = parseFeed(xml);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('the catalog in the state store', () => {
  it('files episodes per platform, by URL and by path, and a re-read updates them', async () => {
    const catalog = new Catalog(new MemoryStateStore(Date.now));
    await catalog.addFeed('p1', 's1', [{ episode_id: 'e1', url: 'https://chtbl.com/track/X/cdn.example.com/ep1.mp3', file_size: 100 }], { read_at: '2026-11-01T00:00:00Z' });
    const keys = [computeRequestKey('cdn.example.com', '/ep1.mp3'), computeRequestKey(undefined, '/ep1.mp3'), computeRequestKey('cdn.example.com', '/nope.mp3')];
    expect(await catalog.lookup('p1', keys)).toEqual([{ show_id: 's1', episode_id: 'e1', file_size: 100 }, { show_id: 's1', episode_id: 'e1', file_size: 100 }, undefined]);
    expect(await catalog.lookup('p2', keys)).toEqual([undefined, undefined, undefined]);
    expect(await catalog.lookup('*', keys.slice(0, 1))).toEqual([{ show_id: 's1', episode_id: 'e1', file_size: 100 }]);
    await catalog.addFeed('p1', 's1', [{ episode_id: 'e1', url: 'https://cdn.example.com/ep1.mp3', file_size: 200, duration_s: 60 }], { read_at: '2026-11-02T00:00:00Z', etag: '"v2"' });
    expect(await catalog.lookup('p1', keys.slice(0, 1))).toEqual([{ show_id: 's1', episode_id: 'e1', file_size: 200, duration_s: 60 }]);
    expect(await catalog.tryFeed('p1', 's1')).toMatchObject({ etag: '"v2"', episodes: 1 });
  });
});
