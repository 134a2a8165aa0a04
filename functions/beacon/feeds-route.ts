import type { Catalog } from '../../shared/application/catalog-store.ts';
import { parseFeed } from '../../shared/domain/catalog/parse-feed.ts';
import { decodeBody } from '../../shared/platform/http/decode-body.ts';
import { tryParseJsonBody } from '../../shared/platform/http/parse-json-body.ts';
import { json, jsonError } from '../../shared/platform/http/responses.ts';
import type { HttpRequest, HttpResponse } from '../../shared/platform/http/types.ts';
import type { Logger } from '../../shared/platform/logging/logger.ts';
import type { Clock } from '../../shared/contracts/ports.ts';
import type { SafeFetchOptions, SafeFetchResult } from '../../shared/platform/net/safe-fetch.ts';

/** Fetches a feed URL; `safeFetch` in production, a stub or a loopback-allowing one in tests. */
export type FeedFetcher = (url: string, options: Pick<SafeFetchOptions, 'etag' | 'lastModified'>) => Promise<SafeFetchResult>;

export interface FeedReply {
  show_id: string;
  episodes: number;
  skipped: Array<{ item: string; reason: string }>;
  not_modified?: boolean;
}

/**
 * Reads one feed into a platform's catalog: from a URL (conditionally, with the validators of its
 * last read) or from XML text. The outcome as `POST /beacon/feeds` answers it, or a refusal.
 */
export async function readFeedIntoCatalog(
  catalog: Catalog,
  fetchFeed: FeedFetcher,
  clock: Clock,
  platform: string,
  source: { url: string } | { xml: string; url?: string },
): Promise<{ ok: true; reply: FeedReply } | { ok: false; status: 400 | 422; message: string; path: string }> {
  let xml: string;
  let url = source.url;
  const validators: { etag?: string; last_modified?: string } = {};
  if ('xml' in source) xml = source.xml;
  else {
    const previous = await catalog.tryFeedByUrl(platform, source.url);
    const fetched = await fetchFeed(source.url, { ...(previous?.etag ? { etag: previous.etag } : {}), ...(previous?.last_modified ? { lastModified: previous.last_modified } : {}) });
    if (!fetched.ok) return { ok: false, status: 422, path: 'body/url', message: fetched.reason };
    if (fetched.notModified && previous) return { ok: true, reply: { show_id: previous.show_id, episodes: previous.episodes, skipped: [], not_modified: true } };
    if (fetched.notModified) return { ok: false, status: 422, path: 'body/url', message: 'the server answered 304 to an unconditional request' };
    xml = fetched.body.toString('utf8');
    url = source.url;
    if (fetched.etag) validators.etag = fetched.etag;
    if (fetched.lastModified) validators.last_modified = fetched.lastModified;
  }
  const parsed = parseFeed(xml, url);
  if (!parsed.ok) return { ok: false, status: 400, path: 'body', message: parsed.reason };
  await catalog.addFeed(platform, parsed.show_id, parsed.episodes, { ...(url ? { url } : {}), ...validators, read_at: clock.now().toISOString() });
  return { ok: true, reply: { show_id: parsed.show_id, episodes: parsed.episodes.length, skipped: parsed.skipped } };
}

/** `POST /beacon/feeds`: an RSS body (`application/rss+xml`, any XML type) or JSON `{"url"}`. */
export async function postFeeds(request: HttpRequest, platform: string, catalog: Catalog, fetchFeed: FeedFetcher, clock: Clock, log: Logger): Promise<HttpResponse> {
  const body = decodeBody(request);
  if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  let source: { url: string } | { xml: string; url?: string };
  if (type.includes('json')) {
    const parsed = tryParseJsonBody(Buffer.from(body.text));
    const url = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as { url?: unknown }).url : undefined;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return jsonError(400, 'invalid feed request', [{ path: 'body/url', message: 'expected JSON {"url": "https://..."}' }]);
    source = { url };
  } else {
    const url = request.query.get('url') ?? undefined;
    source = url ? { xml: body.text, url } : { xml: body.text };
  }
  const outcome = await readFeedIntoCatalog(catalog, fetchFeed, clock, platform, source);
  if (!outcome.ok) return jsonError(outcome.status, outcome.status === 400 ? 'not an RSS feed' : 'feed not fetched', [{ path: outcome.path, message: outcome.message }]);
  log.info('feed read', { platform, show_id: outcome.reply.show_id, episodes: outcome.reply.episodes, skipped: outcome.reply.skipped.length });
  return json(200, outcome.reply);
}
