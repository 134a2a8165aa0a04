import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { queryConnection, type QueryResult } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { UsageError } from '../usage-error.ts';
import { tryReadRunningServer } from './server-file.ts';

/**
 * SQL on a data folder's warehouse. DuckDB lets a single process open a file for writing, so
 * while `earshot start` runs the query goes to it over loopback; otherwise the file is opened
 * read-only here.
 */
export async function queryWarehouse(dataDir: string, sql: string): Promise<QueryResult> {
  const server = tryReadRunningServer(dataDir);
  if (server) {
    const response = await fetch(`http://127.0.0.1:${server.port}/_local/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' },
      body: sql,
    });
    const body = (await response.json()) as QueryResult & { details?: Array<{ message: string }> };
    if (!response.ok) throw new UsageError(body.details?.[0]?.message ?? `query failed with HTTP ${response.status}`);
    return body;
  }
  const file = join(dataDir, 'warehouse.duckdb');
  if (!existsSync(file)) throw new UsageError(`no warehouse in ${dataDir}: run earshot start first`);
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    return await queryConnection(await instance.connect(), sql).catch((err: unknown) => {
      throw new UsageError((err as Error).message);
    });
  } finally {
    instance.closeSync();
  }
}
