import type { CloudSettings } from '../runtime.ts';
import { lazyReportSource } from '../lazy-ports.ts';
import type { ReportSource } from '../../contracts/ports.ts';
import { bigQueryDialect } from '../../application/warehouse/dialect.ts';

/** Parameterized reads of the BigQuery views (REST), the adapter imported on the first query (a chunk of its own). */
export function bigqueryReports(settings: CloudSettings): ReportSource {
  return lazyReportSource(bigQueryDialect, async () => (await import('../../adapters/gcp/bigquery-report-source.ts')).createBigQueryReportSource(settings.projectId, settings.dataset));
}
