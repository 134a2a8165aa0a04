import type { KeyedRow, RefusedRow, Warehouse } from '../../contracts/ports.ts';
import type { TableName } from '../../contracts/schemas/rows.ts';
import { createBigQueryApi, segment, type BigQueryApi } from './bigquery-api.ts';

/** BigQuery's `ErrorProto` in an insertAll answer: `location` names the field at fault. */
interface RowError {
  reason?: string;
  location?: string;
  message?: string;
}

/** The parts of a `tabledata.insertAll` answer the warehouse reads. */
interface InsertAllResponse {
  insertErrors?: Array<{ index: number; errors?: RowError[] }>;
}

const describeRowError = (e: RowError) => `${e.reason}${e.location ? ` at ${e.location}` : ''}: ${e.message}`;

// Row errors that retrying cannot fix (as Apache Beam's InsertRetryPolicy.PERSISTENT_ERRORS has
// them); any other row reason ("stopped", "backendError", "timeout"...) is retried.
const permanentReasons = new Set(['invalid', 'invalidQuery', 'notImplemented', 'row-too-large', 'parseError']);

/**
 * Streaming inserts (`tabledata.insertAll`) of `{insertId, json}` rows with our own insertIds:
 * BigQuery drops a repeated insertId, and the views dedupe by key for the rare repeat it lets
 * through. Partial failures are sorted: rows BigQuery refused for their content are returned, rows
 * it "stopped" or failed transiently are sent once more. Transient HTTP failures are retried by
 * `GoogleApi`; any other refusal (a missing table) throws, so the message is redelivered.
 */
export class BigQueryWarehouse implements Warehouse {
  readonly #bigquery: BigQueryApi;
  readonly #dataset: string;

  constructor(dataset: string, bigquery: BigQueryApi) {
    this.#bigquery = bigquery;
    this.#dataset = dataset;
  }

  async insert(table: TableName, rows: readonly KeyedRow[]): Promise<RefusedRow[]> {
    const refused: RefusedRow[] = [];
    let pending = [...rows];
    for (let round = 0; round < 2 && pending.length > 0; round++) {
      const sent = pending;
      const answer = await this.#bigquery.api.post<InsertAllResponse>(await this.#path(table), { rows: sent });
      pending = [];
      for (const failure of answer.insertErrors ?? []) {
        const row = sent[failure.index];
        if (!row) continue;
        const reasons = failure.errors ?? [];
        if (reasons.some((e) => permanentReasons.has(e.reason ?? ''))) {
          refused.push({ insertId: row.insertId, reason: reasons.map(describeRowError).join('; ') });
        } else pending.push(row);
      }
    }
    // A row still failing for a transient reason after the retry round fails the message.
    if (pending.length) throw new Error(`BigQuery kept failing ${pending.length} valid rows of ${table}`);
    return refused;
  }

  async #path(table: TableName): Promise<string> {
    return `/projects/${segment(await this.#bigquery.project())}/datasets/${segment(this.#dataset)}/tables/${segment(table)}/insertAll`;
  }
}

/** The warehouse in the project's BigQuery dataset `dataset`. */
export function createBigQueryWarehouse(projectId: string | undefined, dataset: string): BigQueryWarehouse {
  return new BigQueryWarehouse(dataset, createBigQueryApi(projectId));
}
