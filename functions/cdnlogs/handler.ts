import { Type } from '@sinclair/typebox';
import { Catalog } from '../../shared/application/catalog-store.ts';
import { computeRequestKey } from '../../shared/domain/catalog/catalog-key.ts';
import { checkBeaconRecord } from '../../shared/domain/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { decodeLogEntry } from '../../shared/domain/intake/logs/cloud-logging.ts';
import { toLoggedBeaconRecord } from '../../shared/domain/intake/logs/to-beacon-record.ts';
import { toDeadLetterRow } from '../../shared/platform/messaging/dead-letter.ts';
import { encodeBatches } from '../../shared/platform/messaging/encode-batches.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import { publishFacts } from '../../shared/application/publish-facts.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

/** A Cloud Logging LogEntry as the sink publishes it: only what the decoder reads is required. */
const LogEntryMessage = Type.Object({ timestamp: Type.String(), httpRequest: Type.Object({}, { additionalProperties: true }) }, { additionalProperties: true });
const validateLogEntryMessage = validatorFor(LogEntryMessage);

/**
 * The `cdnlogs` function: the external load balancer's (and Cloud CDN's) request logs, one LogEntry
 * per message from the Cloud Logging sink, decoded like `POST /beacon/logs?format=cloud-logging`,
 * matched to the catalog of the platform marked `log_sink`, and published to `beacons`. An entry
 * that is not a catalog episode (images, the feed itself) is acknowledged and dropped: the sink
 * sends every request the load balancer served, and only downloads are beacons.
 */
export function createCdnLogsHandler(deps: Pick<Runtime, 'bus' | 'state' | 'clock' | 'log' | 'config'>): PubsubHandler {
  const catalog = new Catalog(deps.state);
  const keyer = new HouseholdKeyer(deps.config.privacy.master_key);
  const platform = deps.config.platforms.find((p) => p.log_sink)?.id;
  const refuse = async (messageId: string, reason: string, entry: unknown) => {
    deps.log.warn('cdn log entry refused', { message_id: messageId, reason });
    await publishFacts(deps.bus, 'dead_letters', [toDeadLetterRow('cdnlogs', messageId, `LogEntry refused: ${reason}`, JSON.stringify(entry), deps.clock.now())]);
  };
  return createPubsubHandler({
    source: 'cdnlogs',
    validate: validateLogEntryMessage,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => publishFacts(deps.bus, 'dead_letters', [row]),
    process: async (entry, { messageId }) => {
      if (!platform) throw new Error('no platform has log_sink: true; the cdn_logs messages wait (and dead-letter) until one does');
      const decoded = decodeLogEntry(entry);
      if (decoded.kind === 'skip') return;
      // An entry that cannot become a beacon is a dead letter with its reason, never dropped.
      if (decoded.kind === 'reject') return refuse(messageId, decoded.reason, entry);
      const [found] = await catalog.lookup(platform, [computeRequestKey(decoded.request.host, decoded.request.path)]);
      if (!found) return;
      // The same entry exported to a file and posted to /beacon/logs gets the same id: its identity, not its serialisation.
      const identity = decoded.request.identity ?? JSON.stringify(entry);
      const eventId = 'l_' + keyer.contentDigest(`${platform}\n${identity}`);
      const checked = checkBeaconRecord(toLoggedBeaconRecord(decoded.request, found, eventId), platform);
      if (!checked.ok) return refuse(messageId, checked.errors.map((e) => `${e.path} ${e.message}`).join('; '), entry);
      await deps.bus.publish('beacons', encodeBatches('records', [toEnrichedBeacon(checked.value, platform, deps.clock.now().toISOString(), keyer.forBatch(), sharedIpLookup())]));
    },
  });
}
