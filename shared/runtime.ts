import { secretEnv, settingsEnv, tryResolveConfig } from './config/merge-secrets.ts';
import { describeErrors } from './config/parse-config.ts';
import { lazyEventBus, lazyReportSource, lazyStateStore, lazyWarehouse } from './lazy-ports.ts';
import { createLogger } from './logging/logger.ts';
import { systemClock } from './ports.ts';
import type { Runtime } from './runtime-types.ts';
import { loadUaClassifier } from './ua/load-pattern-lists.ts';
import { bigQueryDialect } from './warehouse/dialect.ts';

/**
 * Environment variables the cloud functions read (Terraform sets each where its function uses it).
 * The configuration comes in pieces, one Secret Manager secret each, so a function is given only
 * the secrets its code uses: the settings document and one variable per secret concern.
 */
export const cloudEnv = {
  /** The configuration document (JSON) without its secrets; absent for a function that reads no configuration. */
  config: settingsEnv,
  ...secretEnv,
  /** Google Cloud project id. */
  project: 'GOOGLE_CLOUD_PROJECT',
  /** BigQuery dataset of the warehouse tables. */
  dataset: 'EARSHOT_DATASET',
  /** Firestore database id. */
  firestoreDatabase: 'EARSHOT_FIRESTORE_DATABASE',
} as const;

let cloud: Promise<Runtime> | undefined;

/** The cloud runtime, built once per instance on first use: GCP adapters configured from env. */
export function cloudRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  cloud ??= buildCloudRuntime(env).catch((err: unknown) => {
    cloud = undefined;
    throw err;
  });
  return cloud;
}

async function buildCloudRuntime(env: NodeJS.ProcessEnv): Promise<Runtime> {
  const projectId = env[cloudEnv.project];
  const log = createLogger(projectId ? { project: projectId } : {});
  // The whole document in EARSHOT_CONFIG works too; each secret variable present fills its fields.
  const parsed = tryResolveConfig(env);
  if (!parsed.ok) throw new Error(`configuration is invalid: ${describeErrors(parsed.errors)}`);
  const databaseId = env[cloudEnv.firestoreDatabase] ?? '(default)';
  const dataset = env[cloudEnv.dataset] ?? 'earshot';
  const classifier = await loadUaClassifier(parsed.value.ua_list);
  if (!classifier.ok) throw new Error(`ua_list is invalid: ${describeErrors(classifier.errors)}`);
  return {
    classifier: classifier.value,
    config: parsed.value,
    // Dynamic imports: the build splits each adapter, with its SDK, into a chunk loaded on first use.
    bus: lazyEventBus(async () => (await import('./adapters/gcp/pubsub-bus.ts')).createPubSubBus(projectId)),
    state: lazyStateStore(async () => (await import('./adapters/gcp/firestore-state.ts')).createFirestoreStateStore(projectId, databaseId)),
    warehouse: lazyWarehouse(async () => (await import('./adapters/gcp/bigquery-warehouse.ts')).createBigQueryWarehouse(projectId, dataset)),
    reports: lazyReportSource(bigQueryDialect, async () => (await import('./adapters/gcp/bigquery-report-source.ts')).createBigQueryReportSource(projectId, dataset)),
    clock: systemClock,
    log,
  };
}
