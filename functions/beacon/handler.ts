import { BearerKeys } from '../../shared/platform/auth/bearer-keys.ts';
import { admitBody, refuseBody, smallBodyBytes } from '../../shared/platform/http/admission.ts';
import { decodeBody } from '../../shared/platform/http/decode-body.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/platform/http/types.ts';
import { checkBeaconRecord } from '../../shared/domain/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { tryParseRecords } from '../../shared/domain/intake/parse-records.ts';
import { checkBatch } from '../../shared/domain/intake/check-batch.ts';
import { refuseParsedRecords } from '../../shared/domain/intake/parse-refusal.ts';
import { computeTimeWindow } from '../../shared/domain/intake/time-bounds.ts';
import { tryParseTraceId } from '../../shared/platform/logging/logger.ts';
import { encodeBatches } from '../../shared/platform/messaging/encode-batches.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { EnrichedBeacon } from '../../shared/contracts/schemas/beacon-message.ts';
import { MicroBatcher, type MicroBatcherOptions } from '../../shared/platform/messaging/micro-batcher.ts';
import { toPixelRecord } from '../../shared/domain/intake/pixel-record.ts';
import { createRequestEventId } from '../../shared/domain/intake/request-event-id.ts';
import { settledWithin } from '../../shared/platform/messaging/settled-within.ts';
import { redirectPlatform, toRedirectRecord, tryParseRedirectTarget } from '../../shared/domain/intake/redirect.ts';
import { anyPlatform, Catalog } from '../../shared/application/catalog-store.ts';
import { CatalogCache, type CatalogCacheOptions } from '../../shared/application/catalog-cache.ts';
import type { CatalogEntry } from '../../shared/domain/catalog/catalog-entry.ts';
import { computeRequestKey } from '../../shared/domain/catalog/catalog-key.ts';
import { isLogFormat } from '../../shared/domain/intake/logs/types.ts';
import { safeFetch } from '../../shared/platform/net/safe-fetch.ts';
import { postFeeds, type FeedFetcher } from './feeds-route.ts';
import { badFormat, postLogs } from './logs-route.ts';
import { refreshConfiguredFeeds } from './refresh-route.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

// The smallest transparent 1x1 GIF, for `GET /beacon/p.gif`.
const transparentGif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * A listener waits for the redirect's publish, so batches form without a timer: the first
 * request publishes at the end of its turn, and requests arriving during that round trip go
 * together in the next. The Pub/Sub emulator answered concurrent publishes more slowly than
 * one at a time (docs/performance.md, redirect latency), and under load batches grow anyway.
 */
export const cloudPixelBatching: MicroBatcherOptions = { maxWaitMs: 0, maxInFlight: 1 };

// `state` holds the episode catalog (feeds, logs, redirects to catalog episodes).
type BeaconDeps = Pick<Runtime, 'config' | 'bus' | 'clock' | 'log' | 'state'>;

export interface BeaconOptions {
  /**
   * How pixels and redirects gather into messages (each one a Pub/Sub request and a `count`
   * invocation). In the cloud one publish at a time, the next holding everything that arrived
   * meanwhile (`cloudPixelBatching`). Locally `{ maxWaitMs: 0 }`: the in-process bus costs
   * nothing per message, so each turn of the event loop publishes what it read.
   */
  pixelBatching?: MicroBatcherOptions;
  /**
   * How long a prefix redirect waits for its beacon to be published before answering 302
   * (default 100 ms). Cloud Run throttles the CPU once the response is sent, so a beacon still
   * pending then may be delayed until the next request or lost; the wait is bounded so a slow or
   * failing backend never holds the listener's audio back.
   */
  redirectPublishWaitMs?: number;
  /** How long the redirect serves what it read of the catalog (`CatalogCache`); tests shorten it. */
  redirectCatalog?: CatalogCacheOptions;
  /** How feed URLs are fetched (`safeFetch`); tests give a stub, never the configuration. */
  fetchFeed?: FeedFetcher;
}

/**
 * The `beacon` function: hosting platforms' server logs (`POST /events`), client pixels
 * (`GET /p`, `/p.gif`) and prefix redirects (`GET /e/<host>/<path>`), published to `beacons`.
 */
export function createBeaconHandler(deps: BeaconDeps, options: BeaconOptions = {}): HttpHandler {
  const platformKeys = new BearerKeys(deps.config.platforms);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);
  // Its databases load on the first lookup, so a function that never takes a record never reads them.
  const network = sharedIpLookup();

  const studies = new Map(deps.config.studies.map((s) => [s.id, s]));

  const unauthorized = () => jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <platform key>' }]);

  async function postEvents(request: HttpRequest): Promise<HttpResponse> {
    const platform = platformKeys.tryOwner(request.headers.authorization);
    if (!platform) return unauthorized();
    const body = decodeBody(request);
    if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
    const parsed = tryParseRecords(body.text);
    if (!parsed.ok) return refuseParsedRecords(parsed);

    const now = deps.clock.now();
    const receivedAt = now.toISOString();
    const window = computeTimeWindow(deps.config, now);
    const batchKeyer = keyer.forBatch();
    const { accepted: checked, rejections } = checkBatch(parsed.records, (value) => checkBeaconRecord(value, platform, window, studies));
    const accepted = checked.map((record) => toEnrichedBeacon(record, platform, receivedAt, batchKeyer, network));
    // Published and acknowledged before answering: a 202 means the records are durable.
    if (accepted.length) await deps.bus.publish('beacons', encodeBatches('records', accepted));
    deps.log.withTrace(tryParseTraceId(request.headers)).info('beacon batch', {
      platform,
      accepted: accepted.length,
      rejected: rejections.rejected_count,
    });
    return json(202, { accepted: accepted.length, ...rejections });
  }

  const catalog = new Catalog(deps.state);
  const fetchFeed: FeedFetcher = options.fetchFeed ?? ((url, validators) => safeFetch(url, { ...validators, accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.5' }));

  async function withPlatform(request: HttpRequest, route: (platform: string, catalog: Catalog) => Promise<HttpResponse>): Promise<HttpResponse> {
    const platform = platformKeys.tryOwner(request.headers.authorization);
    if (!platform) return unauthorized();
    return route(platform, catalog);
  }

  // Pixels and redirects arrive one request at a time; they travel on in batches.
  const batcher = new MicroBatcher<EnrichedBeacon>((records) => deps.bus.publish('beacons', encodeBatches('records', records)), options.pixelBatching ?? cloudPixelBatching);
  const platforms = new Set(deps.config.platforms.map((p) => p.id));

  async function getPixel(request: HttpRequest, gif: boolean): Promise<HttpResponse> {
    const platform = request.query.get('platform') ?? '';
    if (!platforms.has(platform)) return jsonError(400, 'unknown platform', [{ path: 'query/platform', message: 'must be a configured platform id' }]);
    const now = deps.clock.now();
    const { record, errors } = toPixelRecord(request.query, request.clientIp ?? '', String(request.headers['user-agent'] ?? ''), now);
    if (record.event_id === undefined && !request.query.has('ts')) record.event_id = createRequestEventId();
    const checked = checkBeaconRecord(record, platform, computeTimeWindow(deps.config, now));
    const problems = [...errors, ...(checked.ok ? [] : checked.errors)];
    if (!checked.ok || problems.length) return jsonError(400, 'invalid pixel', problems);
    await batcher.add(toEnrichedBeacon(checked.value, platform, now.toISOString(), keyer, network));
    return gif ? { status: 200, headers: { 'content-type': 'image/gif', 'cache-control': 'no-store' }, body: transparentGif } : { status: 204, headers: { 'cache-control': 'no-store' } };
  }

  const redirectWaitMs = options.redirectPublishWaitMs ?? 100;
  const redirectCatalog = new CatalogCache((keys) => catalog.lookup(anyPlatform, keys), options.redirectCatalog);
  // This instance's own feed reads show at once; other instances' within the cache's freshness.
  const changingCatalog = async (change: Promise<HttpResponse>): Promise<HttpResponse> => {
    try {
      return await change;
    } finally {
      redirectCatalog.clear();
    }
  };

  async function redirect(request: HttpRequest): Promise<HttpResponse> {
    const target = tryParseRedirectTarget(request.path, request.query);
    if (!target) return jsonError(400, 'bad redirect', [{ path: 'path', message: 'expected /e/<host>/<path> with a valid host name' }]);
    const now = deps.clock.now();
    const record = { ...toRedirectRecord(target, request, now), event_id: createRequestEventId() };
    const log = (withCatalog: Record<string, unknown>) => {
      const checked = checkBeaconRecord(withCatalog, redirectPlatform);
      if (checked.ok) return batcher.add(toEnrichedBeacon(checked.value, redirectPlatform, now.toISOString(), keyer, network));
      deps.log.warn('redirect beacon refused', { host: target.host, errors: checked.errors.map((e) => `${e.path} ${e.message}`) });
      return Promise.resolve();
    };
    const key = computeRequestKey(target.host, target.path);
    const cached = redirectCatalog.tryCached(key);
    let logged: Promise<void>;
    try {
      // A cached answer publishes in this turn, without waiting for anything else.
      logged = cached
        ? log(fillFromCatalog(record, cached.entry))
        : redirectCatalog
            .read(key)
            .catch(() => undefined)
            .then((entry) => log(fillFromCatalog(record, entry)));
    } catch (err) {
      logged = Promise.reject(err);
    }
    const tracked = logged.catch((err: unknown) => deps.log.error('redirect beacon lost', { error: (err as Error).message, host: target.host })).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    // The listener gets the audio whatever happens to the log record, after a short bounded wait.
    await settledWithin(tracked, redirectWaitMs);
    return { status: 302, headers: { location: target.url, 'cache-control': 'private, no-cache' } };
  }
  const inFlight = new Set<Promise<unknown>>();

  const handler: HttpHandler = async (request) => {
    const { path, method } = request;
    if (path === '/p' || path === '/p.gif') return method === 'GET' ? getPixel(request, path === '/p.gif') : methodNotAllowed(method, 'GET');
    if (path.startsWith('/e/')) return method === 'GET' || method === 'HEAD' ? redirect(request) : methodNotAllowed(method, 'GET, HEAD');
    if (path === '/healthz') return method === 'GET' ? healthy() : methodNotAllowed(method, 'GET');
    if (path === '/events') return method === 'POST' ? postEvents(request) : methodNotAllowed(method, 'POST');
    if (path === '/feeds') return method === 'POST' ? changingCatalog(withPlatform(request, (platform, c) => postFeeds(request, platform, c, fetchFeed, deps.clock, deps.log))) : methodNotAllowed(method, 'POST');
    if (path === '/feeds/refresh') {
      return method === 'POST' ? changingCatalog(refreshConfiguredFeeds({ config: deps.config, state: deps.state, catalog, fetchFeed, clock: deps.clock, log: deps.log })) : methodNotAllowed(method, 'POST');
    }
    if (path === '/logs') {
      if (method !== 'POST') return methodNotAllowed(method, 'POST');
      return withPlatform(request, (platform, c) => postLogs(request, platform, { catalog: c, bus: deps.bus, clock: deps.clock, log: deps.log, keyer: keyer.forBatch() }));
    }
    return notFound(path);
  };
  handler.close = async () => {
    await Promise.all([...inFlight]);
    await batcher.flushNow();
  };
  handler.admit = ({ path, method, headers, query }) => {
    if (path !== '/events' && path !== '/feeds' && path !== '/logs') return admitBody(smallBodyBytes);
    if (method !== 'POST') return refuseBody(methodNotAllowed(method, 'POST'));
    if (path === '/logs' && !isLogFormat(query.get('format'))) return refuseBody(badFormat(query.get('format')));
    return platformKeys.tryOwner(headers.authorization) ? admitBody() : refuseBody(unauthorized());
  };
  return handler;
}

/** A redirect to a catalog episode is logged under its show and episode, with its size and duration. */
function fillFromCatalog(record: Record<string, unknown>, entry: CatalogEntry | undefined): Record<string, unknown> {
  if (!entry) return record;
  const filled: Record<string, unknown> = { ...record, show_id: entry.show_id, episode_id: entry.episode_id };
  if (entry.file_size !== undefined) filled.file_size = entry.file_size;
  if (entry.duration_s !== undefined) filled.duration_s = entry.duration_s;
  return filled;
}
