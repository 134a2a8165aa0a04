import type { Catalog } from '../../shared/application/catalog-store.ts';
import { decodeBody } from '../../shared/platform/http/decode-body.ts';
import { json, jsonError } from '../../shared/platform/http/responses.ts';
import type { HttpRequest, HttpResponse } from '../../shared/platform/http/types.ts';
import { intakeLogText } from '../../shared/application/intake-lines.ts';
import { isLogFormat } from '../../shared/domain/intake/logs/types.ts';
import { logFormats } from '../../shared/domain/intake/logs/types.ts';
import type { Logger } from '../../shared/platform/logging/logger.ts';
import { encodeBatches } from '../../shared/platform/messaging/encode-batches.ts';
import type { BatchHouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Clock, EventBus } from '../../shared/contracts/ports.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

export const badFormat = (format: string | null) =>
  jsonError(400, 'unknown log format', [{ path: 'query/format', message: `expected one of ${logFormats.join(', ')}, got ${JSON.stringify(format)}` }]);

/** `POST /beacon/logs?format=`: access-log lines into beacons, published before the 202. */
export async function postLogs(request: HttpRequest, platform: string, deps: { catalog: Catalog; bus: EventBus; clock: Clock; log: Logger; keyer: BatchHouseholdKeyer }): Promise<HttpResponse> {
  const format = request.query.get('format');
  if (!isLogFormat(format)) return badFormat(format);
  const body = decodeBody(request);
  if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
  const intake = await intakeLogText(body.text, format, platform, deps.catalog, deps.keyer, sharedIpLookup(), deps.clock.now().toISOString());
  if (intake.accepted.length) await deps.bus.publish('beacons', encodeBatches('records', intake.accepted));
  deps.log.info('log batch', { platform, format, lines: intake.lines, accepted: intake.accepted.length, rejected: intake.rejections.count });
  return json(202, { accepted: intake.accepted.length, ...intake.rejections.report() });
}
