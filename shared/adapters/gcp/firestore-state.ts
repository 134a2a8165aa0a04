import { Firestore, Timestamp, type DocumentSnapshot } from '@google-cloud/firestore';
import type { StateStore, StateWrite } from '../../ports.ts';

/** Field the Firestore TTL policy deletes by (declared in Terraform, index disabled). */
export const ttlField = 'expires_at';
/** Field holding a document's value: never queried, its indexes disabled (Terraform). */
export const valueField = 'd';

const alreadyExists = 6; // gRPC ALREADY_EXISTS

interface Envelope {
  [valueField]: object;
  [ttlField]?: Timestamp;
}

/**
 * State in Firestore: one document per key, the value under `d` and the TTL in `expires_at`.
 * TTL deletion runs up to a day late, so expired documents read as absent here too.
 */
export class FirestoreStateStore implements StateStore {
  readonly #db: Firestore;
  readonly #now: () => number;

  constructor(db: Firestore = new Firestore(), now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  #live<T>(snap: DocumentSnapshot): T | undefined {
    if (!snap.exists) return undefined;
    const data = snap.data() as Envelope;
    if (data[ttlField] && data[ttlField].toMillis() <= this.#now()) return undefined;
    return data[valueField] as T;
  }

  #envelope<T extends object>(doc: T, expiresAt?: Date): Envelope {
    return expiresAt ? { [valueField]: doc, [ttlField]: Timestamp.fromDate(expiresAt) } : { [valueField]: doc };
  }

  async getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    if (ids.length === 0) return [];
    const refs = ids.map((id) => this.#db.collection(collection).doc(id));
    const snaps = await this.#db.getAll(...refs);
    return snaps.map((snap) => this.#live<T>(snap));
  }

  async createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    const ref = this.#db.collection(collection).doc(id);
    try {
      await ref.create(this.#envelope(doc, expiresAt));
      return true;
    } catch (err) {
      if ((err as { code?: number }).code !== alreadyExists) throw err;
    }
    // The document exists; it may be expired but not yet deleted by TTL, which counts as absent.
    return this.#db.runTransaction(async (tx) => {
      if (this.#live(await tx.get(ref)) !== undefined) return false;
      tx.set(ref, this.#envelope(doc, expiresAt));
      return true;
    });
  }

  async transact<T extends object, R>(
    collection: string,
    ids: readonly string[],
    decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R },
  ): Promise<R> {
    const col = this.#db.collection(collection);
    return this.#db.runTransaction(async (tx) => {
      const snaps = ids.length ? await tx.getAll(...ids.map((id) => col.doc(id))) : [];
      const { writes, result } = decide(snaps.map((snap) => this.#live<T>(snap)));
      for (const write of writes) tx.set(col.doc(write.id), this.#envelope(write.doc, write.expiresAt));
      return result;
    });
  }

  async close(): Promise<void> {
    await this.#db.terminate();
  }
}

/** State in the project's Firestore database `databaseId`. */
export function createFirestoreStateStore(projectId: string | undefined, databaseId: string): FirestoreStateStore {
  return new FirestoreStateStore(new Firestore({ ...(projectId ? { projectId } : {}), databaseId, ignoreUndefinedProperties: true }));
}
