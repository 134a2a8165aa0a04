import type { Logger } from './logging/logger.ts';
import type { Clock, EventBus, StateStore, Warehouse } from './ports.ts';
import type { EarshotConfig } from './schemas/config.ts';

/** Everything a function's handler depends on; `runtime.ts` builds it for the cloud or locally. */
export interface Runtime {
  config: EarshotConfig;
  bus: EventBus;
  state: StateStore;
  warehouse: Warehouse;
  clock: Clock;
  log: Logger;
}
