import { bigQueryDialect } from '../../application/warehouse/dialect.ts';
import { ReportQueryError, type ReportParam, type ReportRow, type ReportSource, type ReportValue } from '../../contracts/ports.ts';
import { createBigQueryApi, segment, type BigQueryApi } from './bigquery-api.ts';
import { GoogleApiError } from './google-api.ts';

/** The parts of a `jobs.query` answer the report source reads. */
interface QueryResponse {
  jobComplete?: boolean;
  schema?: { fields?: Array<{ name: string; type: string }> };
  rows?: Array<{ f: Array<{ v: unknown }> }>;
}

interface QueryParameter {
  name: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue: { value?: string; arrayValues?: Array<{ value: string }> };
}

/** A parameter as `jobs.query` takes it: typed, so an empty list or a digit string keeps its meaning. */
export function toQueryParameter(name: string, value: ReportParam): QueryParameter {
  if (typeof value === 'string') return { name, parameterType: { type: 'STRING' }, parameterValue: { value } };
  if (typeof value === 'number') return { name, parameterType: { type: 'INT64' }, parameterValue: { value: String(value) } };
  if (typeof value === 'boolean') return { name, parameterType: { type: 'BOOL' }, parameterValue: { value: String(value) } };
  return { name, parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: value.map((v) => ({ value: v })) } };
}

const numeric = new Set(['INTEGER', 'INT64', 'FLOAT', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC']);

// jobs.query sends every cell as text; the schema says what it was.
function toCell(type: string, value: unknown): ReportValue {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (numeric.has(type)) return Number(text);
  if (type === 'BOOLEAN' || type === 'BOOL') return text === 'true';
  return text;
}

// BigQuery's reasons for refusing a query as too costly; any other failure is an outage to the client.
const tooExpensive = new Set(['bytesBilledLimitExceeded', 'responseTooLarge', 'resourcesExceeded']);

/**
 * Reports on BigQuery: one `jobs.query` REST call per report, standard SQL with named parameters, a
 * `maximumBytesBilled` cap (BigQuery fails the query rather than bill more) and `maxResults`.
 * `{{dataset}}` in the views' dialect becomes the deployment's dataset; nothing from a request
 * reaches the SQL text.
 */
export class BigQueryReportSource implements ReportSource {
  readonly dialect = bigQueryDialect;
  readonly #bigquery: BigQueryApi;
  readonly #dataset: string;

  constructor(dataset: string, bigquery: BigQueryApi) {
    this.#bigquery = bigquery;
    this.#dataset = dataset;
  }

  async run(sql: string, params: Readonly<Record<string, ReportParam>>, limits: { maxRows: number; maxBytesBilled: number; timeoutMs: number }): Promise<ReportRow[]> {
    const body = {
      query: sql.replaceAll('{{dataset}}', this.#dataset),
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: Object.entries(params).map(([name, value]) => toQueryParameter(name, value)),
      maximumBytesBilled: String(limits.maxBytesBilled),
      maxResults: limits.maxRows,
      timeoutMs: limits.timeoutMs,
      useQueryCache: true,
    };
    let response: QueryResponse;
    try {
      response = await this.#bigquery.api.post<QueryResponse>(`/projects/${segment(await this.#bigquery.project())}/queries`, body);
    } catch (err) {
      const reasons = err instanceof GoogleApiError ? err.reasons : [];
      throw new ReportQueryError(reasons.some((r) => tooExpensive.has(r)) ? 'too_expensive' : 'unavailable');
    }
    // Not done within timeoutMs: the client is told to retry (the job's result is cached by then).
    if (response.jobComplete === false) throw new ReportQueryError('unavailable');
    const fields = response.schema?.fields ?? [];
    return (response.rows ?? []).slice(0, limits.maxRows).map((row) => Object.fromEntries(fields.map((field, i) => [field.name, toCell(field.type, row.f[i]?.v)])));
  }
}

/** The report source of the project's BigQuery dataset `dataset`. */
export function createBigQueryReportSource(projectId: string | undefined, dataset: string): BigQueryReportSource {
  return new BigQueryReportSource(dataset, createBigQueryApi(projectId));
}
