import { toDeadLetterRow } from '../../shared/platform/messaging/dead-letter.ts';
import { createPubsubHandler } from '../../shared/platform/messaging/pubsub-handler.ts';
import type { PubsubHandler } from '../../shared/platform/messaging/pubsub-event.ts';
import type { KeyedRow } from '../../shared/contracts/ports.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import { FactsBatch } from '../../shared/contracts/schemas/facts-message.ts';
import { Tables, type DeadLetterRow, type TableName } from '../../shared/contracts/schemas/rows.ts';
import { validatorFor, type Validator } from '../../shared/contracts/schemas/validator.ts';

const validateFactsBatch = validatorFor(FactsBatch);
// One validator per table, declared at load like every validator (the build generates them ahead of time).
const validateRow = Object.fromEntries(Object.entries(Tables).map(([table, schema]) => [table, validatorFor(schema)])) as Record<TableName, Validator<unknown>>;

/**
 * The `warehouse` function: idempotent writes of `facts` rows. Each row is checked against its
 * table's schema; a bad row, or one the warehouse refuses, goes to `dead_letters` alone, and the
 * message is acknowledged only after both the good and the bad rows are written.
 */
export function createWarehouseHandler(deps: Pick<Runtime, 'warehouse' | 'clock' | 'log'>): PubsubHandler {
  const writeDeadLetters = async (rows: DeadLetterRow[]) => {
    if (rows.length === 0) return;
    const refused = await deps.warehouse.insert('dead_letters', rows.map((json) => ({ insertId: json.insert_id, json })));
    // A dead letter the warehouse refuses has nowhere left to go; failing makes Pub/Sub keep it.
    if (refused.length) throw new Error(`dead_letters refused ${refused.length} rows: ${refused[0]?.reason}`);
  };
  return createPubsubHandler({
    source: 'warehouse',
    validate: validateFactsBatch,
    clock: deps.clock,
    log: deps.log,
    deadLetter: (row) => writeDeadLetters([row]),
    process: async (batch, { messageId }) => {
      const table = batch.table as TableName;
      const validate = validateRow[table];
      const good: KeyedRow[] = [];
      const bad: DeadLetterRow[] = [];
      const failedAt = deps.clock.now();
      for (const row of batch.rows) {
        const checked = validate(row);
        if (checked.ok) good.push({ insertId: row.insert_id, json: row });
        else {
          const reason = `${table} row invalid: ` + checked.errors.map((e) => `${e.path} ${e.message}`).join('; ');
          bad.push(toDeadLetterRow('warehouse', `${messageId}/${row.insert_id}`, reason, JSON.stringify(row), failedAt));
        }
      }
      const refused = good.length ? await deps.warehouse.insert(table, good) : [];
      for (const r of refused) {
        const row = good.find((g) => g.insertId === r.insertId);
        bad.push(toDeadLetterRow('warehouse', `${messageId}/${r.insertId}`, `${table} refused: ${r.reason}`, JSON.stringify(row?.json ?? {}), failedAt));
      }
      await writeDeadLetters(bad);
      if (bad.length) deps.log.warn('rows dead-lettered', { table, count: bad.length, message_id: messageId });
    },
  });
}
