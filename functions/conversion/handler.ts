import { computeAttributionRules, type AttributionRules } from '../../shared/domain/attribution/attribution-rules.ts';
import { BearerKeys } from '../../shared/platform/auth/bearer-keys.ts';
import { admitBody, refuseBody, smallBodyBytes } from '../../shared/platform/http/admission.ts';
import { decodeBody } from '../../shared/platform/http/decode-body.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/platform/http/types.ts';
import { checkConversionRecord } from '../../shared/domain/intake/check-conversion-record.ts';
import { toPixelConversion, toPixelErrorPath } from '../../shared/domain/intake/conversion-pixel.ts';
import { toEnrichedConversion, type ConversionContext } from '../../shared/domain/intake/enrich-conversion.ts';
import { tryParseRecords } from '../../shared/domain/intake/parse-records.ts';
import { checkBatch } from '../../shared/domain/intake/check-batch.ts';
import { refuseParsedRecords } from '../../shared/domain/intake/parse-refusal.ts';
import { computeTimeWindow } from '../../shared/domain/intake/time-bounds.ts';
import { tryParseTraceId } from '../../shared/platform/logging/logger.ts';
import { encodeBatches } from '../../shared/platform/messaging/encode-batches.ts';
import { MicroBatcher } from '../../shared/platform/messaging/micro-batcher.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { EnrichedConversion } from '../../shared/contracts/schemas/conversion-message.ts';

// The smallest transparent 1x1 GIF, for `GET /conversion/p.gif`.
const transparentGif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

type ConversionDeps = Pick<Runtime, 'config' | 'bus' | 'clock' | 'log'>;

/**
 * The `conversion` function: advertisers' conversions from a pixel (`GET /p`, `/p.gif`) or their
 * servers (`POST /events`, Bearer advertiser key), validated, keyed by household (the IP never
 * leaves this function) and published to `conversions` for the `attribute` function.
 */
export function createConversionHandler(deps: ConversionDeps): HttpHandler {
  const advertiserKeys = new BearerKeys(deps.config.advertisers);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);
  const rules = new Map(deps.config.advertisers.map((a) => [a.id, computeAttributionRules(a)]));
  const publish = (conversions: EnrichedConversion[]) => deps.bus.publish('conversions', encodeBatches('conversions', conversions));
  // Pixels arrive one request at a time; they travel on in batches.
  const batcher = new MicroBatcher<EnrichedConversion>(publish);

  const contextOf = (advertiser: AttributionRules, source: ConversionContext['source'], receivedAt: Date): ConversionContext => ({
    advertiser: advertiser.advertiser,
    lookbackDays: advertiser.lookbackDays,
    studies: deps.config.studies.filter((s) => s.advertiser === advertiser.advertiser),
    source,
    receivedAt: receivedAt.toISOString(),
  });

  const unauthorized = () => jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <advertiser key>' }]);
  const advertiserOf = (authorization: string | undefined) => {
    const owner = advertiserKeys.tryOwner(authorization);
    return owner === undefined ? undefined : rules.get(owner);
  };

  async function postEvents(request: HttpRequest): Promise<HttpResponse> {
    const advertiser = advertiserOf(request.headers.authorization);
    if (!advertiser) return unauthorized();
    const body = decodeBody(request);
    if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
    const parsed = tryParseRecords(body.text);
    if (!parsed.ok) return refuseParsedRecords(parsed);

    const now = deps.clock.now();
    const context = contextOf(advertiser, 'server', now);
    const window = computeTimeWindow(deps.config, now);
    const money = { id: advertiser.advertiser, currency: advertiser.currency };
    const { accepted: checked, rejections } = checkBatch(parsed.records, (value) => checkConversionRecord(value, money, window));
    const accepted = checked.map((record) => toEnrichedConversion(record, context, keyer));
    // Published and acknowledged before answering: a 202 means the conversions are durable.
    if (accepted.length) await publish(accepted);
    deps.log.withTrace(tryParseTraceId(request.headers)).info('conversion batch', {
      advertiser: advertiser.advertiser,
      accepted: accepted.length,
      rejected: rejections.rejected_count,
    });
    return json(202, { accepted: accepted.length, ...rejections });
  }

  async function getPixel(request: HttpRequest, gif: boolean): Promise<HttpResponse> {
    const now = deps.clock.now();
    const pixel = toPixelConversion(request.query, request.clientIp ?? '', String(request.headers['user-agent'] ?? ''), now);
    const advertiser = pixel.advertiser === undefined ? undefined : rules.get(pixel.advertiser);
    if (!advertiser) return jsonError(400, 'unknown advertiser', [{ path: 'query/advertiser', message: 'must be a configured advertiser id' }]);
    const checked = checkConversionRecord(pixel.record, { id: advertiser.advertiser, currency: advertiser.currency }, computeTimeWindow(deps.config, now));
    const problems = [...pixel.errors, ...(checked.ok ? [] : checked.errors.map((e) => ({ ...e, path: toPixelErrorPath(e.path) })))];
    if (!checked.ok || problems.length) return jsonError(400, 'invalid pixel', problems);
    await batcher.add(toEnrichedConversion(checked.value, contextOf(advertiser, 'pixel', now), keyer));
    const headers = { 'cache-control': 'no-store' };
    return gif ? { status: 200, headers: { ...headers, 'content-type': 'image/gif' }, body: transparentGif } : { status: 204, headers };
  }

  const handler: HttpHandler = async (request) => {
    const { path, method } = request;
    if (path === '/p' || path === '/p.gif') return method === 'GET' ? getPixel(request, path === '/p.gif') : methodNotAllowed(method, 'GET');
    if (path === '/events') return method === 'POST' ? postEvents(request) : methodNotAllowed(method, 'POST');
    if (path === '/healthz') return method === 'GET' ? healthy() : methodNotAllowed(method, 'GET');
    return notFound(path);
  };
  handler.close = () => batcher.flushNow();
  handler.admit = ({ path, method, headers }) => {
    if (path !== '/events') return admitBody(smallBodyBytes);
    if (method !== 'POST') return refuseBody(methodNotAllowed(method, 'POST'));
    return advertiserOf(headers.authorization) ? admitBody() : refuseBody(unauthorized());
  };
  return handler;
}
