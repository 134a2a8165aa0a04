import { encodeBatches } from '../platform/messaging/encode-batches.ts';
import type { EventBus } from '../contracts/ports.ts';
import type { RowOf, TableName } from '../contracts/schemas/rows.ts';

/** Publishes rows for one table to topic `facts`, for the `warehouse` function to write. */
export async function publishFacts<T extends TableName>(bus: EventBus, table: T, rows: ReadonlyArray<RowOf<T>>): Promise<void> {
  if (rows.length === 0) return;
  await bus.publish('facts', encodeBatches('rows', rows, { table }));
}
