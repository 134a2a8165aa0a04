import type { CloudSettings } from '../runtime.ts';
import { lazyEventBus } from '../lazy-ports.ts';
import type { EventBus } from '../../contracts/ports.ts';

/** The Pub/Sub bus (REST, then gRPC), its adapter imported on first publish (a chunk of its own in the build). */
export function pubsubBus(settings: CloudSettings): EventBus {
  return lazyEventBus(async () => (await import('../../adapters/gcp/pubsub-bus.ts')).createPubSubBus(settings.projectId));
}
