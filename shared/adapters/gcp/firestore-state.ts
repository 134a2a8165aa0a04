import { setTimeout as sleep } from 'node:timers/promises';
import type { StateStore, StateWrite } from '../../contracts/ports.ts';
import { applicationDefaultProject, applicationDefaultToken } from './access-token.ts';
import { fromFirestoreFields, toFirestoreFields, type FirestoreFields } from './firestore-values.ts';
import { GoogleApi, GoogleApiError, toEmulatorUrl } from './google-api.ts';

/** Field the Firestore TTL policy deletes by (declared in Terraform, index disabled). */
export const ttlField = 'expires_at';
/** Field holding a document's value: never queried, its indexes disabled (Terraform). */
export const valueField = 'd';
/** Attempts of a transaction Firestore aborts for contention, as the Firestore SDK makes. */
const transactionAttempts = 5;

interface RestDocument {
  name: string;
  fields?: FirestoreFields;
}

interface BatchGetAnswer {
  found?: RestDocument;
  missing?: string;
  transaction?: string;
}

interface Write {
  update: { name: string; fields: FirestoreFields };
  currentDocument?: { exists: boolean };
}

/**
 * State in Firestore through its REST API (`batchGet`, `commit`, `rollback`): one document per
 * key, the value under `d` and the TTL in `expires_at`, as the Firestore SDK would store them.
 * TTL deletion runs up to a day late, so expired documents read as absent here too. A
 * transaction reads its documents under a new transaction and commits its writes in it; when
 * Firestore aborts it for contention it is run again (decide included), up to 5 times.
 */
export class FirestoreStateStore implements StateStore {
  readonly #api: GoogleApi;
  readonly #database: () => Promise<string>;
  readonly #now: () => number;

  /** `database` is `projects/<project>/databases/<id>`, or resolves to it. */
  constructor(api: GoogleApi, database: string | (() => Promise<string>), now: () => number = Date.now) {
    this.#api = api;
    this.#database = typeof database === 'string' ? () => Promise.resolve(database) : database;
    this.#now = now;
  }

  async #name(collection: string, id: string): Promise<string> {
    if (id.includes('/') || collection.includes('/')) throw new Error(`state ids and collections may not contain "/": ${collection}/${id}`);
    return `${await this.#database()}/documents/${collection}/${id}`;
  }

  #live<T>(doc: RestDocument | undefined): T | undefined {
    if (!doc?.fields) return undefined;
    const expires = doc.fields[ttlField];
    if (expires && 'timestampValue' in expires && Date.parse(expires.timestampValue) <= this.#now()) return undefined;
    const value = doc.fields[valueField];
    return value && 'mapValue' in value ? (fromFirestoreFields(value.mapValue.fields ?? {}) as T) : undefined;
  }

  #write<T extends object>(name: string, doc: T, expiresAt?: Date): Write {
    const fields = toFirestoreFields({ [valueField]: doc });
    if (expiresAt) fields[ttlField] = { timestampValue: expiresAt.toISOString() };
    return { update: { name, fields } };
  }

  /**
   * The documents named, keyed by name; with `transaction` read in a new read-write transaction
   * (`retrying` the one Firestore aborted, which gives it precedence over newer ones).
   */
  async #batchGet(names: readonly string[], transaction?: { retrying?: string }): Promise<{ docs: Map<string, RestDocument>; transaction?: string }> {
    const database = await this.#database();
    const unique = [...new Set(names)];
    const readWrite = transaction?.retrying ? { retryTransaction: transaction.retrying } : {};
    const body = transaction ? { documents: unique, newTransaction: { readWrite } } : { documents: unique };
    const answers = await this.#api.post<BatchGetAnswer[]>(`/v1/${database}/documents:batchGet`, body);
    const docs = new Map<string, RestDocument>();
    let started: string | undefined;
    for (const answer of answers) {
      if (answer.found) docs.set(answer.found.name, answer.found);
      started ??= answer.transaction;
    }
    return started === undefined ? { docs } : { docs, transaction: started };
  }

  async #commit(writes: readonly Write[], transaction?: string): Promise<void> {
    const database = await this.#database();
    await this.#api.post(`/v1/${database}/documents:commit`, transaction ? { writes, transaction } : { writes });
  }

  async getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    if (ids.length === 0) return [];
    const names = await Promise.all(ids.map((id) => this.#name(collection, id)));
    const { docs } = await this.#batchGet(names);
    return names.map((name) => this.#live<T>(docs.get(name)));
  }

  async createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    const name = await this.#name(collection, id);
    try {
      await this.#commit([{ ...this.#write(name, doc, expiresAt), currentDocument: { exists: false } }]);
      return true;
    } catch (err) {
      if (!(err instanceof GoogleApiError) || err.code !== 'ALREADY_EXISTS') throw err;
    }
    // The document exists; it may be expired but not yet deleted by TTL, which counts as absent.
    return this.transact<T, boolean>(collection, [id], ([current]) =>
      current !== undefined ? { writes: [], result: false } : { writes: [{ id, doc, ...(expiresAt ? { expiresAt } : {}) }], result: true },
    );
  }

  async transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R> {
    const names = await Promise.all(ids.map((id) => this.#name(collection, id)));
    let aborted: string | undefined;
    for (let attempt = 1; ; attempt++) {
      let transaction: string | undefined;
      try {
        let current: Array<T | undefined> = [];
        if (names.length) {
          const read = await this.#batchGet(names, aborted ? { retrying: aborted } : {});
          transaction = read.transaction;
          current = names.map((name) => this.#live<T>(read.docs.get(name)));
        }
        const { writes, result } = decide(current);
        const restWrites = await Promise.all(writes.map(async (w) => this.#write(await this.#name(collection, w.id), w.doc, w.expiresAt)));
        if (restWrites.length || transaction) await this.#commit(restWrites, transaction);
        return result;
      } catch (err) {
        const retry = err instanceof GoogleApiError && err.code === 'ABORTED' && attempt < transactionAttempts;
        if (transaction && !retry) await this.#rollback(transaction);
        if (!retry) throw err;
        aborted = transaction;
        // The Firestore SDK's backoff for an aborted transaction: 1 s growing 1.5-fold, with jitter.
        await sleep(1000 * 1.5 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }

  /** Releases a transaction's locks; a failure here only leaves them to expire. */
  async #rollback(transaction: string): Promise<void> {
    try {
      await this.#api.post(`/v1/${await this.#database()}/documents:rollback`, { transaction });
    } catch {
      // The transaction is already over (committed, aborted or expired).
    }
  }

  /** Nothing is held open between calls. */
  async close(): Promise<void> {}
}

export interface FirestoreStateOptions {
  projectId: string | undefined;
  databaseId: string;
  /** `host:port` of the Firestore emulator; `FIRESTORE_EMULATOR_HOST` by default. */
  emulatorHost?: string | undefined;
  now?: () => number;
}

/** State in the project's Firestore database `databaseId`, or on the emulator. */
export function createFirestoreStateStore({ projectId, databaseId, emulatorHost = process.env.FIRESTORE_EMULATOR_HOST, now }: FirestoreStateOptions): FirestoreStateStore {
  // The emulator takes "owner" as the token of an administrator, as the SDKs send it.
  const api = emulatorHost
    ? new GoogleApi({ baseUrl: toEmulatorUrl(emulatorHost), token: async () => 'owner' })
    : new GoogleApi({ baseUrl: 'https://firestore.googleapis.com', token: applicationDefaultToken('https://www.googleapis.com/auth/datastore') });
  let database: Promise<string> | undefined;
  const path = (project: string) => `projects/${project}/databases/${databaseId}`;
  return new FirestoreStateStore(api, projectId ? path(projectId) : () => (database ??= applicationDefaultProject().then(path)), now);
}
