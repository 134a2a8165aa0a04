import type { CloudSettings } from '../runtime.ts';
import { lazyWarehouse } from '../lazy-ports.ts';
import type { Warehouse } from '../../contracts/ports.ts';

/** The BigQuery warehouse (REST), its adapter imported on first insert (a chunk of its own in the build). */
export function bigqueryWarehouse(settings: CloudSettings): Warehouse {
  return lazyWarehouse(async () => (await import('../../adapters/gcp/bigquery-warehouse.ts')).createBigQueryWarehouse(settings.projectId, settings.dataset));
}
