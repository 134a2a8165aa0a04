import type { Logger } from '../platform/logging/logger.ts';
import type { Clock, EventBus, ReportSource, StateStore, Warehouse } from '../contracts/ports.ts';
import type { EarshotConfig } from '../contracts/schemas/config.ts';
import type { UaClassifier } from '../domain/ua/classifier.ts';

/**
 * Everything a function's handler depends on (each takes the `Pick` it names): `shared/composition/runtime.ts`
 * builds it in the cloud, `cli/local/stack.ts` under `earshot start`.
 */
export interface Runtime {
  config: EarshotConfig;
  bus: EventBus;
  state: StateStore;
  warehouse: Warehouse;
  /** Parameterized reads of the warehouse views (the reports function). */
  reports: ReportSource;
  clock: Clock;
  log: Logger;
  /** User-Agent classifier: the built-in list, or the OPAWG release in `config.ua_list`. */
  classifier: UaClassifier;
}
