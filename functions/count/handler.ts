import { toBeaconEventRow } from '../../shared/facts/beacon-event-row.ts';
import { publishFacts } from '../../shared/facts/publish-facts.ts';
import { createPubsubHandler } from '../../shared/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/messaging/pubsub-event.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import { BeaconBatch } from '../../shared/schemas/beacon-message.ts';

/**
 * The `count` function: turns a batch from `beacons` into `beacon_events` rows on `facts`.
 * The IAB counting rules arrive with the counting engine; until then every row says so.
 */
export function createCountHandler(deps: Pick<Runtime, 'bus' | 'clock' | 'log'>): PubsubHandler {
  return createPubsubHandler({
    source: 'count',
    schema: BeaconBatch,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => publishFacts(deps.bus, 'dead_letters', [row]),
    process: async (batch) => {
      const rows = batch.records.map((beacon) => toBeaconEventRow(beacon, { counted: undefined, reason: 'not_evaluated' }));
      await publishFacts(deps.bus, 'beacon_events', rows);
    },
  });
}
