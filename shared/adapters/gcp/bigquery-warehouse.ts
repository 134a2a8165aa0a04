import { BigQuery } from '@google-cloud/bigquery';
import type { KeyedRow, RefusedRow, Warehouse } from '../../contracts/ports.ts';
import type { TableName } from '../../contracts/schemas/rows.ts';

interface InsertError {
  row?: KeyedRow;
  errors?: Array<{ reason?: string; message?: string; location?: string }>;
}

/** What `PartialFailureError.response` holds: the raw insertAll answer, `location` included. */
interface InsertAllResponse {
  insertErrors?: Array<{ errors?: Array<{ location?: string }> }>;
}

type RowError = NonNullable<InsertError['errors']>[number];
const describeRowError = (e: RowError) => `${e.reason}${e.location ? ` at ${e.location}` : ''}: ${e.message}`;

/**
 * Streaming inserts with our own insertIds (`insertAll` raw rows): BigQuery drops a repeated
 * insertId, and the views dedupe by key for the rare repeat it lets through. The client's random
 * insertIds would defeat that, hence `raw`. Partial failures are sorted: rows BigQuery refused
 * for their content are returned, rows it "stopped" or failed transiently are sent once more.
 */
// Row errors that retrying cannot fix (as Apache Beam's InsertRetryPolicy.PERSISTENT_ERRORS has
// them); any other row reason ("stopped", "backendError", "timeout"...) is retried.
const permanentReasons = new Set(['invalid', 'invalidQuery', 'notImplemented', 'row-too-large', 'parseError']);

export class BigQueryWarehouse implements Warehouse {
  readonly #bigquery: BigQuery;
  readonly #dataset: string;

  constructor(dataset: string, bigquery: BigQuery = new BigQuery()) {
    this.#bigquery = bigquery;
    this.#dataset = dataset;
  }

  async insert(table: TableName, rows: readonly KeyedRow[]): Promise<RefusedRow[]> {
    const refused: RefusedRow[] = [];
    let pending = [...rows];
    for (let round = 0; round < 2 && pending.length > 0; round++) {
      const failures = await this.#insertOnce(table, pending);
      pending = [];
      for (const failure of failures) {
        if (!failure.row) continue;
        const reasons = failure.errors ?? [];
        if (reasons.some((e) => permanentReasons.has(e.reason ?? ''))) {
          refused.push({ insertId: failure.row.insertId, reason: reasons.map(describeRowError).join('; ') });
        } else pending.push(failure.row);
      }
    }
    // A row still failing for a transient reason after the retry round fails the message.
    if (pending.length) throw new Error(`BigQuery kept failing ${pending.length} valid rows of ${table}`);
    return refused;
  }

  async #insertOnce(table: TableName, rows: KeyedRow[]): Promise<InsertError[]> {
    try {
      await this.#bigquery.dataset(this.#dataset).table(table).insert(rows, { raw: true, partialRetries: 0 });
      return [];
    } catch (err) {
      const partial = err as { name?: string; errors?: InsertError[]; response?: InsertAllResponse };
      if (partial.name === 'PartialFailureError' && Array.isArray(partial.errors)) {
        // The client keeps only reason and message (BigQuery's are often as bare as "no such field.");
        // the field at fault is in `location`, which only the raw response, in the same order, still has.
        const raw = partial.response?.insertErrors ?? [];
        return partial.errors.map((failure, i) => ({
          ...failure,
          errors: failure.errors?.map((e, j) => ({ ...e, location: raw[i]?.errors?.[j]?.location })),
        }));
      }
      throw err;
    }
  }
}

/** The warehouse in the project's BigQuery dataset `dataset`. */
export function createBigQueryWarehouse(projectId: string | undefined, dataset: string): BigQueryWarehouse {
  return new BigQueryWarehouse(dataset, new BigQuery(projectId ? { projectId } : {}));
}
