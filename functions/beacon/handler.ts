import { BearerKeys } from '../../shared/auth/bearer-keys.ts';
import { decodeBody } from '../../shared/http/decode-body.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/http/types.ts';
import { checkBeaconRecord } from '../../shared/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../../shared/intake/enrich-beacon.ts';
import { tryParseRecords } from '../../shared/intake/parse-records.ts';
import { tryParseTraceId } from '../../shared/logging/logger.ts';
import { encodeBatches } from '../../shared/messaging/encode-batches.ts';
import { HouseholdKeyer } from '../../shared/privacy/household-key.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import type { EnrichedBeacon } from '../../shared/schemas/beacon-message.ts';
import type { FieldError } from '../../shared/schemas/validator.ts';

type BeaconDeps = Pick<Runtime, 'config' | 'bus' | 'clock' | 'log'>;

/** The `beacon` function: hosting platforms' server logs and pixels, published to `beacons`. */
export function createBeaconHandler(deps: BeaconDeps): HttpHandler {
  const platformKeys = new BearerKeys(deps.config.platforms);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);

  async function postEvents(request: HttpRequest): Promise<HttpResponse> {
    const platform = platformKeys.tryOwner(request.headers.authorization);
    if (!platform) {
      return jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <platform key>' }]);
    }
    const body = decodeBody(request);
    if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
    const parsed = tryParseRecords(body.text);
    if (!parsed.ok) return jsonError(400, 'malformed JSON', [{ path: `body/line/${parsed.line}`, message: parsed.message }]);

    const receivedAt = deps.clock.now().toISOString();
    const accepted: EnrichedBeacon[] = [];
    const rejected: Array<{ index: number; errors: FieldError[] }> = [];
    parsed.records.forEach((value, index) => {
      const checked = checkBeaconRecord(value, platform);
      if (checked.ok) accepted.push(toEnrichedBeacon(checked.value, platform, receivedAt, keyer));
      else rejected.push({ index, errors: checked.errors });
    });
    // Published and acknowledged before answering: a 202 means the records are durable.
    if (accepted.length) await deps.bus.publish('beacons', encodeBatches('records', accepted));
    deps.log.withTrace(tryParseTraceId(request.headers)).info('beacon batch', {
      platform,
      accepted: accepted.length,
      rejected: rejected.length,
    });
    return json(202, { accepted: accepted.length, rejected });
  }

  return async (request) => {
    if (request.path === '/healthz') return request.method === 'GET' ? healthy() : methodNotAllowed(request.method, 'GET');
    if (request.path === '/events') return request.method === 'POST' ? postEvents(request) : methodNotAllowed(request.method, 'POST');
    return notFound(request.path);
  };
}
