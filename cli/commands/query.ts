import { parseArgs } from 'node:util';
import { queryWarehouse } from '../local/query-warehouse.ts';
import { formatTable } from '../format-table.ts';
import { toTerminalJson } from '../terminal-text.ts';
import { defaultQueryLimits } from '../../shared/adapters/local/duckdb-read-query.ts';
import { parseIntegerOption, UsageError } from '../usage-error.ts';

export const queryUsage = 'earshot query "<SQL>" [--data .earshot] [--json] [--max-rows 100000] [--max-bytes 33554432] [--timeout-ms 30000]';

/** `earshot query`: SQL on the local warehouse, also while `earshot start` runs on it. */
export async function runQuery(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: '.earshot' },
      json: { type: 'boolean', default: false },
      'max-rows': { type: 'string' },
      'max-bytes': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const sql = positionals.join(' ').trim();
  if (!sql) throw new UsageError('no SQL given');
  // A running server takes these only where they are tighter than its own (the defaults).
  const limits = {
    maxRows: parseIntegerOption('max-rows', values['max-rows'], defaultQueryLimits.maxRows),
    maxBytes: parseIntegerOption('max-bytes', values['max-bytes'], defaultQueryLimits.maxBytes),
    timeoutMs: parseIntegerOption('timeout-ms', values['timeout-ms'], defaultQueryLimits.timeoutMs, 2 ** 31 - 1),
  };
  const result = await queryWarehouse(values.data, sql, limits);
  process.stdout.write(values.json ? toTerminalJson(result.rows) + '\n' : formatTable(result.columns, result.rows));
  // On stderr, so `--json` output stays one JSON document.
  const cut = result.truncated;
  if (cut) process.stderr.write(`earshot query: only the first ${result.rows.length} rows: the result is over ${cut.limit} ${cut.reason === 'rows' ? 'rows' : 'bytes of JSON'}; add a LIMIT or narrow the query\n`);
  return 0;
}
