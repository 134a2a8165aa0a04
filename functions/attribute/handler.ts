import { computeAttributionRules } from '../../shared/domain/attribution/attribution-rules.ts';
import { publishFacts } from '../../shared/application/publish-facts.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { ConversionBatch } from '../../shared/contracts/schemas/conversion-message.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { attributeBatch } from '../../shared/application/attribution/attribute-batch.ts';

const validateConversionBatch = validatorFor(ConversionBatch);

/**
 * The `attribute` function: matches a batch from `conversions` to the households' ad exposures
 * and publishes the `conversions` rows (every conversion, with how attribution ended) and the
 * `attributed_conversions` rows (credited exposures) to `facts`.
 */
export function createAttributeHandler(deps: Pick<Runtime, 'bus' | 'state' | 'clock' | 'log' | 'config'>): PubsubHandler {
  const rules = new Map(deps.config.advertisers.map((a) => [a.id, computeAttributionRules(a)]));
  return createPubsubHandler({
    source: 'attribute',
    validate: validateConversionBatch,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => publishFacts(deps.bus, 'dead_letters', [row]),
    process: async (batch) => {
      const rows = await attributeBatch(batch.conversions, { state: deps.state, now: deps.clock.now(), rulesOf: (id) => rules.get(id) });
      await publishFacts(deps.bus, 'attributed_conversions', rows.attributed);
      await publishFacts(deps.bus, 'conversions', rows.conversions);
    },
  });
}
