import type { StateStore, StateWrite } from '../../shared/contracts/ports.ts';

/** A state store that tells what each transaction read and wrote (document ids). */
export class WatchedState implements StateStore {
  constructor(
    readonly inner: StateStore,
    readonly onTransact: (read: readonly string[], written: readonly string[]) => void,
  ) {}
  getMany<T extends object>(collection: string, ids: readonly string[]): Promise<Array<T | undefined>> {
    return this.inner.getMany<T>(collection, ids);
  }
  createIfAbsent<T extends object>(collection: string, id: string, doc: T, expiresAt?: Date): Promise<boolean> {
    return this.inner.createIfAbsent(collection, id, doc, expiresAt);
  }
  transact<T extends object, R>(collection: string, ids: readonly string[], decide: (current: ReadonlyArray<T | undefined>) => { writes: ReadonlyArray<StateWrite<T>>; result: R }): Promise<R> {
    return this.inner.transact<T, R>(collection, ids, (current) => {
      const decided = decide(current);
      this.onTransact(ids, decided.writes.map((w) => w.id));
      return decided;
    });
  }
}
