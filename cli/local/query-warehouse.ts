import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { QueryRefusedError, defaultQueryLimits, guardedInstanceOptions, runReadOnlyQuery, type QueryLimits, type QueryResult } from '../../shared/adapters/local/duckdb-read-query.ts';
import { UsageError } from '../usage-error.ts';
import { toQueryLimitHeaders } from './query-limit-headers.ts';
import { serverBaseUrl, tryReadRunningServer } from './server-file.ts';

/**
 * SQL on a data folder's warehouse, read only and within the limits of `runReadOnlyQuery`.
 * DuckDB lets a single process open a file for writing, so while `earshot start` runs the query
 * goes to it over loopback; otherwise the file is opened read-only here, guarded the same way.
 * `limits` apply to the file opened here; a running server takes them where they are tighter
 * than its own (the defaults).
 */
export async function queryWarehouse(dataDir: string, sql: string, limits: QueryLimits = defaultQueryLimits): Promise<QueryResult> {
  const server = tryReadRunningServer(dataDir);
  if (server) {
    const response = await fetch(`${serverBaseUrl(server)}/_local/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain', ...toQueryLimitHeaders(limits) },
      body: sql,
    });
    const body = (await response.json()) as QueryResult & { details?: Array<{ message: string }> };
    if (!response.ok) throw new UsageError(body.details?.[0]?.message ?? `query failed with HTTP ${response.status}`);
    return body;
  }
  const file = join(dataDir, 'warehouse.duckdb');
  if (!existsSync(file)) throw new UsageError(`no warehouse in ${dataDir}: run earshot start first`);
  const instance = await DuckDBInstance.create(file, { ...guardedInstanceOptions(), access_mode: 'READ_ONLY', lock_configuration: 'true' });
  try {
    return await runReadOnlyQuery(await instance.connect(), sql, limits).catch((err: unknown) => {
      throw new UsageError(err instanceof QueryRefusedError ? err.message : (err as Error).message);
    });
  } finally {
    instance.closeSync();
  }
}
