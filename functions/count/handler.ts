import { computeBatchId, computeDeliveryDeltas } from '../../shared/domain/facts/delivery-deltas.ts';
import { toBeaconEventRow } from '../../shared/domain/facts/beacon-event-row.ts';
import { publishFacts } from '../../shared/application/publish-facts.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { BeaconBatch } from '../../shared/contracts/schemas/beacon-message.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import type { UaClassifier } from '../../shared/domain/ua/classifier.ts';
import { computeTrafficRules } from '../../shared/domain/traffic/traffic-rules.ts';
import { countBatch } from '../../shared/application/counting/count-batch.ts';

const validateBeaconBatch = validatorFor(BeaconBatch);

/**
 * The `count` function: applies the IAB v2.x rules to a batch from `beacons` with the listener
 * windows in the state store, then publishes the `beacon_events` rows (every request, with its
 * verdict) and the batch's `delivery_deltas` to `facts`. The data-centre and volume rules and
 * the exposures for attribution are decided in the same transactions as the windows.
 */
export function createCountHandler(deps: Pick<Runtime, 'bus' | 'state' | 'clock' | 'log' | 'config'> & { classifier: UaClassifier }): PubsubHandler {
  const rules = { window: deps.config.counting.window, keepFirstTwoBytes: deps.config.counting.keep_first_two_bytes };
  const traffic = computeTrafficRules(deps.config.traffic);
  return createPubsubHandler({
    source: 'count',
    validate: validateBeaconBatch,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => publishFacts(deps.bus, 'dead_letters', [row]),
    process: async (batch) => {
      const batchId = computeBatchId(batch.records.map((r) => `${r.platform}/${r.event_id}`));
      const counted = await countBatch(batch.records, batchId, { state: deps.state, rules, traffic, classifier: deps.classifier, clock: deps.clock });
      await publishFacts(deps.bus, 'beacon_events', counted.map((c) => toBeaconEventRow(c.beacon, c.verdict, c.agent)));
      await publishFacts(deps.bus, 'delivery_deltas', computeDeliveryDeltas(batchId, counted));
    },
  });
}
