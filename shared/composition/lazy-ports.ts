import type { EventBus, ReportSource, StateStore, Warehouse } from '../contracts/ports.ts';
import type { SqlDialect } from '../contracts/sql-dialect.ts';

/**
 * Ports whose adapter is built on first use. A cloud function then loads only the Google SDKs it
 * calls (the beacon function never loads Firestore or BigQuery), and none of them while its module
 * loads: together they take over a second to import, which a cold start would otherwise pay.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}

export function lazyEventBus(load: () => Promise<EventBus>): EventBus {
  const bus = once(load);
  return { publish: async (topic, messages) => (await bus()).publish(topic, messages) };
}

export function lazyStateStore(load: () => Promise<StateStore>): StateStore {
  const store = once(load);
  return {
    getMany: async (collection, ids) => (await store()).getMany(collection, ids),
    createIfAbsent: async (collection, id, doc, expiresAt) => (await store()).createIfAbsent(collection, id, doc, expiresAt),
    transact: async (collection, ids, decide) => (await store()).transact(collection, ids, decide),
  };
}

export function lazyWarehouse(load: () => Promise<Warehouse>): Warehouse {
  const warehouse = once(load);
  return { insert: async (table, rows) => (await warehouse()).insert(table, rows) };
}

export function lazyReportSource(dialect: SqlDialect, load: () => Promise<ReportSource>): ReportSource {
  const source = once(load);
  return { dialect, run: async (sql, params, limits) => (await source()).run(sql, params, limits) };
}
