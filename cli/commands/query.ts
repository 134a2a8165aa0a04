import { parseArgs } from 'node:util';
import { queryWarehouse } from '../local/query-warehouse.ts';
import { formatTable } from '../format-table.ts';
import { UsageError } from '../usage-error.ts';

export const queryUsage = 'earshot query "<SQL>" [--data .earshot] [--json]';

/** `earshot query`: SQL on the local warehouse, also while `earshot start` runs on it. */
export async function runQuery(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: 'string', default: '.earshot' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const sql = positionals.join(' ').trim();
  if (!sql) throw new UsageError('no SQL given');
  const result = await queryWarehouse(values.data, sql);
  process.stdout.write(values.json ? JSON.stringify(result.rows) + '\n' : formatTable(result.columns, result.rows));
  return 0;
}
