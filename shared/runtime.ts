import { describeErrors, tryParseConfig } from './config/parse-config.ts';
import { lazyEventBus, lazyStateStore, lazyWarehouse } from './lazy-ports.ts';
import { createLogger } from './logging/logger.ts';
import { systemClock } from './ports.ts';
import type { Runtime } from './runtime-types.ts';
import { loadUaClassifier } from './ua/load-pattern-lists.ts';

/** Environment variables the cloud functions read (Terraform sets every one of them). */
export const cloudEnv = {
  /** The configuration document (JSON), mounted from Secret Manager. */
  config: 'EARSHOT_CONFIG',
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
  const parsed = tryParseConfig(env[cloudEnv.config] ?? '');
  if (!parsed.ok) throw new Error(`${cloudEnv.config} is invalid: ${describeErrors(parsed.errors)}`);
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
    clock: systemClock,
    log,
  };
}
