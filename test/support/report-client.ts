import { createReportsHandler } from '../../functions/reports/handler.ts';
import { createDuckDbReportSource } from '../../shared/adapters/local/duckdb-report-source.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import type { HttpHandler, HttpResponse } from '../../shared/platform/http/types.ts';
import { fixedClock, httpRequest, quietLog } from './fixtures.ts';
import { reportConfig, seedReports } from './report-seed.ts';

export interface ReportClient {
  handler: HttpHandler;
  warehouse: DuckDbWarehouse;
  /** GET a reports path (query included) with a key, or none. */
  get(pathAndQuery: string, key?: string): Promise<HttpResponse>;
}

/** The reports handler on an in-memory DuckDB warehouse holding the seeded tenants. */
export async function openReportClient(): Promise<ReportClient> {
  const warehouse = await DuckDbWarehouse.open(':memory:');
  await seedReports(warehouse);
  const handler = createReportsHandler({ config: reportConfig, reports: createDuckDbReportSource(warehouse), clock: fixedClock, log: quietLog });
  return {
    handler,
    warehouse,
    get: (pathAndQuery, key) => {
      const url = new URL(pathAndQuery, 'http://localhost');
      return handler(httpRequest({ method: 'GET', path: url.pathname, query: url.searchParams, headers: key === undefined ? {} : { authorization: `Bearer ${key}` } }));
    },
  };
}

export const bodyOf = (response: HttpResponse): { report: string; rows: Array<Record<string, unknown>>; next?: string; error?: string } =>
  JSON.parse(String(response.body)) as { report: string; rows: Array<Record<string, unknown>>; next?: string };
