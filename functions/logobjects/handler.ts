import { gunzipSync } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import { Catalog } from '../../shared/application/catalog-store.ts';
import { publishFacts } from '../../shared/application/publish-facts.ts';
import { createLogDecoder } from '../../shared/domain/intake/logs/decoders.ts';
import { isLogFormat } from '../../shared/domain/intake/logs/types.ts';
import { intakeLogText } from '../../shared/application/intake-lines.ts';
import { LineRejections } from '../../shared/domain/intake/logs/line-rejections.ts';
import type { LogFormat } from '../../shared/domain/intake/logs/types.ts';
import { toDeadLetterRow } from '../../shared/platform/messaging/dead-letter.ts';
import { encodeBatches } from '../../shared/platform/messaging/encode-batches.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { ObjectReader } from '../../shared/contracts/ports.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

/** Cloud Storage's notice of a new object (Pub/Sub notification, JSON_API_V1 payload). */
const ObjectNotice = Type.Object({ bucket: Type.String({ minLength: 1 }), name: Type.String({ minLength: 1 }) }, { additionalProperties: true });
const validateObjectNotice = validatorFor(ObjectNotice);

/** Largest log file read, and the most it may inflate to. */
export const maxObjectBytes = 256 * 1024 * 1024;
const maxInflatedBytes = 1024 * 1024 * 1024;
/** Text handed to the decoder at a time, so a large file is never one huge array of beacons. */
const sliceChars = 8 * 1024 * 1024;

/** Where a file's name says its format and platform: `<format>/<platform>/...`; `fastly/` is combined. */
export function tryParseObjectName(name: string, platforms: ReadonlySet<string>): { format: LogFormat; platform: string } | { error: string } {
  const [first = '', platform = ''] = name.split('/');
  const format = first === 'fastly' ? 'combined' : first;
  if (!isLogFormat(format)) return { error: `object ${JSON.stringify(name.slice(0, 200))} is not under <format>/<platform>/ (formats: cloudfront, combined, fastly, cloud-logging, gcs)` };
  if (!platforms.has(platform)) return { error: `object ${JSON.stringify(name.slice(0, 200))} names no configured platform` };
  return { format, platform };
}

/**
 * The `logobjects` function: a log file copied into the logs bucket (CloudFront's, Fastly's, a web
 * server's) is read, decoded by the format its path names, matched to that platform's catalog and
 * published to `beacons`. A redelivery reads the file again; its lines keep their event ids, so
 * nothing counts twice. A file that can never be read (bad name, not gzip) is dead-lettered.
 */
export function createLogObjectsHandler(deps: Pick<Runtime, 'bus' | 'state' | 'clock' | 'log' | 'config'> & { objects: ObjectReader }): PubsubHandler {
  const catalog = new Catalog(deps.state);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);
  const platforms = new Set(deps.config.platforms.map((p) => p.id));
  const deadLetter = (messageId: string, reason: string, payload: string) =>
    publishFacts(deps.bus, 'dead_letters', [toDeadLetterRow('logobjects', messageId, reason, payload, deps.clock.now())]);
  return createPubsubHandler({
    source: 'logobjects',
    validate: validateObjectNotice,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => publishFacts(deps.bus, 'dead_letters', [row]),
    process: async (notice, { messageId }) => {
      const route = tryParseObjectName(notice.name, platforms);
      if ('error' in route) return deadLetter(messageId, route.error, JSON.stringify({ bucket: notice.bucket, name: notice.name }));
      const raw = await deps.objects.read(notice.bucket, notice.name, maxObjectBytes);
      let bytes: Buffer;
      try {
        bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw, { maxOutputLength: maxInflatedBytes }) : raw;
      } catch (err) {
        return deadLetter(messageId, `gs://${notice.bucket}/${notice.name} is not readable gzip: ${(err as Error).message}`, JSON.stringify({ bucket: notice.bucket, name: notice.name }));
      }
      const text = bytes.toString('utf8');
      const decoder = createLogDecoder(route.format);
      const rejections = new LineRejections();
      let accepted = 0;
      let lines = 0;
      for (let from = 0; from < text.length; ) {
        let to = Math.min(text.length, from + sliceChars);
        const newline = to < text.length ? text.indexOf('\n', to) : -1;
        to = newline === -1 ? text.length : newline + 1;
        const intake = await intakeLogText(text.slice(from, to), route.format, route.platform, catalog, keyer.forBatch(), sharedIpLookup(), deps.clock.now().toISOString(), decoder);
        if (intake.accepted.length) await deps.bus.publish('beacons', encodeBatches('records', intake.accepted));
        rejections.merge(intake.rejections.report(), lines);
        accepted += intake.accepted.length;
        lines += intake.lines;
        from = to;
      }
      const where = { bucket: notice.bucket, name: notice.name, format: route.format, platform: route.platform };
      deps.log.info('log object read', { ...where, lines, accepted, rejected: rejections.count });
      // Lines that became no beacon are reported as one dead letter per file (a redelivery writes the same row), never dropped.
      if (rejections.count) {
        const report = rejections.report();
        const byRule = Object.entries(report.rejected_by_rule).map(([rule, n]) => `${rule}: ${n}`).join(', ');
        await deadLetter(messageId, `${report.rejected_count} of ${lines} lines of gs://${notice.bucket}/${notice.name} rejected (${byRule})`, JSON.stringify({ ...where, ...report }));
      }
    },
  });
}
