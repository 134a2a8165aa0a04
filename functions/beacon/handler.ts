import { BearerKeys } from '../../shared/auth/bearer-keys.ts';
import { admitBody, refuseBody, smallBodyBytes } from '../../shared/http/admission.ts';
import { decodeBody } from '../../shared/http/decode-body.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/http/types.ts';
import { checkBeaconRecord } from '../../shared/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../../shared/intake/enrich-beacon.ts';
import { tryParseRecords } from '../../shared/intake/parse-records.ts';
import { checkBatch } from '../../shared/intake/check-batch.ts';
import { refuseParsedRecords } from '../../shared/intake/parse-refusal.ts';
import { computeTimeWindow } from '../../shared/intake/time-bounds.ts';
import { tryParseTraceId } from '../../shared/logging/logger.ts';
import { encodeBatches } from '../../shared/messaging/encode-batches.ts';
import { HouseholdKeyer } from '../../shared/privacy/household-key.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import type { EnrichedBeacon } from '../../shared/schemas/beacon-message.ts';
import { MicroBatcher } from '../../shared/messaging/micro-batcher.ts';
import { toPixelRecord } from '../../shared/intake/pixel-record.ts';
import { createRequestEventId } from '../../shared/intake/request-event-id.ts';
import { settledWithin } from '../../shared/messaging/settled-within.ts';
import { redirectPlatform, toRedirectRecord, tryParseRedirectTarget } from '../../shared/intake/redirect.ts';

// The smallest transparent 1x1 GIF, for `GET /beacon/p.gif`.
const transparentGif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

type BeaconDeps = Pick<Runtime, 'config' | 'bus' | 'clock' | 'log'>;

export interface BeaconOptions {
  /**
   * How long pixels and redirects gather into one message. In the cloud 10 ms: each message is a
   * `count` invocation and a Pub/Sub request. Locally 0 (the end of the event loop's turn): the
   * in-process bus costs nothing per message, and a pixel waits for its batch to be published.
   */
  pixelBatchWindowMs?: number;
  /**
   * How long a prefix redirect waits for its beacon to be published before answering 302
   * (default 100 ms). Cloud Run throttles the CPU once the response is sent, so a beacon still
   * pending then may be delayed until the next request or lost; the wait is bounded so a slow or
   * failing backend never holds the listener's audio back.
   */
  redirectPublishWaitMs?: number;
}

/**
 * The `beacon` function: hosting platforms' server logs (`POST /events`), client pixels
 * (`GET /p`, `/p.gif`) and prefix redirects (`GET /e/<host>/<path>`), published to `beacons`.
 */
export function createBeaconHandler(deps: BeaconDeps, options: BeaconOptions = {}): HttpHandler {
  const platformKeys = new BearerKeys(deps.config.platforms);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);

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
    const { accepted: checked, rejections } = checkBatch(parsed.records, (value) => checkBeaconRecord(value, platform, window));
    const accepted = checked.map((record) => toEnrichedBeacon(record, platform, receivedAt, batchKeyer));
    // Published and acknowledged before answering: a 202 means the records are durable.
    if (accepted.length) await deps.bus.publish('beacons', encodeBatches('records', accepted));
    deps.log.withTrace(tryParseTraceId(request.headers)).info('beacon batch', {
      platform,
      accepted: accepted.length,
      rejected: rejections.rejected_count,
    });
    return json(202, { accepted: accepted.length, ...rejections });
  }

  // Pixels and redirects arrive one request at a time; they travel on in batches.
  const batcher = new MicroBatcher<EnrichedBeacon>((records) => deps.bus.publish('beacons', encodeBatches('records', records)), {
    maxWaitMs: options.pixelBatchWindowMs ?? 10,
  });
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
    await batcher.add(toEnrichedBeacon(checked.value, platform, now.toISOString(), keyer));
    return gif ? { status: 200, headers: { 'content-type': 'image/gif', 'cache-control': 'no-store' }, body: transparentGif } : { status: 204, headers: { 'cache-control': 'no-store' } };
  }

  const redirectWaitMs = options.redirectPublishWaitMs ?? 100;

  async function redirect(request: HttpRequest): Promise<HttpResponse> {
    const target = tryParseRedirectTarget(request.path, request.query);
    if (!target) return jsonError(400, 'bad redirect', [{ path: 'path', message: 'expected /e/<host>/<path> with a valid host name' }]);
    const now = deps.clock.now();
    const checked = checkBeaconRecord({ ...toRedirectRecord(target, request, now), event_id: createRequestEventId() }, redirectPlatform);
    if (checked.ok) {
      const published = batcher.add(toEnrichedBeacon(checked.value, redirectPlatform, now.toISOString(), keyer)).catch((err: unknown) => {
        deps.log.error('redirect beacon lost', { error: (err as Error).message, host: target.host });
      });
      // The listener gets the audio whatever happens to the log record.
      await settledWithin(published, redirectWaitMs);
    } else deps.log.warn('redirect beacon refused', { host: target.host, errors: checked.errors.map((e) => `${e.path} ${e.message}`) });
    return { status: 302, headers: { location: target.url, 'cache-control': 'private, no-cache' } };
  }

  const handler: HttpHandler = async (request) => {
    const { path, method } = request;
    if (path === '/p' || path === '/p.gif') return method === 'GET' ? getPixel(request, path === '/p.gif') : methodNotAllowed(method, 'GET');
    if (path.startsWith('/e/')) return method === 'GET' || method === 'HEAD' ? redirect(request) : methodNotAllowed(method, 'GET, HEAD');
    if (path === '/healthz') return method === 'GET' ? healthy() : methodNotAllowed(method, 'GET');
    if (path === '/events') return method === 'POST' ? postEvents(request) : methodNotAllowed(method, 'POST');
    return notFound(path);
  };
  handler.close = () => batcher.flushNow();
  handler.admit = ({ path, method, headers }) => {
    if (path !== '/events') return admitBody(smallBodyBytes);
    if (method !== 'POST') return refuseBody(methodNotAllowed(method, 'POST'));
    return platformKeys.tryOwner(headers.authorization) ? admitBody() : refuseBody(unauthorized());
  };
  return handler;
}
