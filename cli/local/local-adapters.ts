import { join } from 'node:path';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import { DurableStore, type StoreFaults } from '../../shared/adapters/local/durable-store.ts';
import { InProcessBus } from '../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../shared/adapters/local/memory-state.ts';
import type { Logger } from '../../shared/platform/logging/logger.ts';
import { toDeadLetterRow } from '../../shared/platform/messaging/dead-letter.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { importLegacyState } from './legacy-state.ts';
import { defaultViewSettings } from '../../shared/application/warehouse/dialect.ts';

export interface LocalAdapterOptions {
  dataDir: string;
  config: EarshotConfig;
  log: Logger;
  /** Fault rate of the in-process bus (0 = none), for reliability tests. */
  chaos?: number;
  /**
   * Keep the queue and the state in memory only (`earshot start --ephemeral`): a 202 then means
   * accepted by this process, not on disk. The baseline of the durability benchmark.
   */
  ephemeral?: boolean;
  /** Fault injection into the durable store, for the disk-full tests. */
  storeFaults?: StoreFaults;
}

/** The embedded stand-ins of the cloud's ports, over one data folder. */
export interface LocalAdapters {
  warehouse: DuckDbWarehouse;
  /** The LMDB journal of the bus and the state, unless ephemeral. */
  store: DurableStore | undefined;
  state: MemoryStateStore;
  bus: InProcessBus;
}

/**
 * Opens the DuckDB warehouse, the durable store (importing a `state.json` of an earlier version)
 * and the bus and state store journaled to it; messages the bus gives up on become `dead_letters`
 * rows, as the cloud's dead-letter subscription writes them.
 */
export async function openLocalAdapters(options: LocalAdapterOptions): Promise<LocalAdapters> {
  const { dataDir, log } = options;
  const warehouse = await DuckDbWarehouse.open(join(dataDir, 'warehouse.duckdb'), {
    discrepancyThresholdPct: String(options.config.reporting.discrepancy_threshold_pct),
    cupedPrePeriodDays: String(options.config.reporting.cuped_pre_period_days ?? defaultViewSettings.cupedPrePeriodDays),
  });
  const store = options.ephemeral ? undefined : DurableStore.open(join(dataDir, 'store'), options.storeFaults);
  if (store) {
    const imported = await importLegacyState(dataDir, store);
    if (imported) log.info('imported state.json into the durable store', { documents: imported });
  }
  const state = new MemoryStateStore(Date.now, store);
  const bus = new InProcessBus({
    ...(options.chaos ? { chaos: { rate: options.chaos, random: Math.random } } : {}),
    ...(store ? { journal: store } : {}),
    onUndeliverable: async (m) => {
      const row = toDeadLetterRow(m.subscription, m.messageId, `gave up after ${m.attempts} attempts: ${m.reason}`, m.data.toString('utf8'), new Date());
      await warehouse.insert('dead_letters', [{ insertId: row.insert_id, json: row }]);
    },
  });
  return { warehouse, store, state, bus };
}
