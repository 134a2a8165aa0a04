import { secretEnv, settingsEnv, tryResolveConfig } from '../platform/config/merge-secrets.ts';
import { describeErrors } from '../platform/config/parse-config.ts';
import { createLogger } from '../platform/logging/logger.ts';
import { systemClock, type ObjectReader } from '../contracts/ports.ts';
import type { Runtime } from './runtime-types.ts';
import { loadUaClassifier } from '../adapters/data/load-pattern-lists.ts';

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

/** Cloud Storage reads, for the function that decodes log files dropped into the logs bucket. */
export function cloudObjectReader(): ObjectReader {
  let reader: Promise<ObjectReader> | undefined;
  return {
    read: async (bucket, name, maxBytes) => {
      reader ??= import('../adapters/gcp/gcs-object-reader.ts').then((m) => m.createGcsObjectReader());
      return (await reader).read(bucket, name, maxBytes);
    },
  };
}

/** Where the cloud adapters connect, from the environment. */
export interface CloudSettings {
  projectId: string | undefined;
  databaseId: string;
  dataset: string;
}

type Ports = Pick<Runtime, 'bus' | 'state' | 'warehouse' | 'reports'>;
export type PortName = keyof Ports;

/**
 * How a function gets each port it uses (`shared/composition/cloud-ports/`). A function names only its own,
 * so its bundle holds, and its archive installs, only the SDKs behind them.
 */
export type PortFactories<P extends PortName> = { [K in P]: (settings: CloudSettings) => Ports[K] };

/** A function's cloud runtime: everything but the ports it does not use. */
export type CloudRuntime<P extends PortName> = Omit<Runtime, PortName> & Pick<Ports, P>;

/**
 * Builds the cloud runtime from the environment: validates the configuration (and `ua_list`) and
 * throws on the first problem, so `shared/composition/startup/` can stop the instance before it serves.
 */
export async function cloudRuntime<P extends PortName>(ports: PortFactories<P>, env: NodeJS.ProcessEnv = process.env): Promise<CloudRuntime<P>> {
  const projectId = env[cloudEnv.project];
  const log = createLogger(projectId ? { project: projectId } : {});
  // The whole document in EARSHOT_CONFIG works too; each secret variable present fills its fields.
  const parsed = tryResolveConfig(env);
  if (!parsed.ok) throw new Error(`configuration is invalid: ${describeErrors(parsed.errors)}`);
  const settings: CloudSettings = {
    projectId,
    databaseId: env[cloudEnv.firestoreDatabase] ?? '(default)',
    dataset: env[cloudEnv.dataset] ?? 'earshot',
  };
  const classifier = await loadUaClassifier(parsed.value.ua_list);
  if (!classifier.ok) throw new Error(`ua_list is invalid: ${describeErrors(classifier.errors)}`);
  const made = Object.fromEntries(
    (Object.entries(ports) as Array<[P, (s: CloudSettings) => Ports[P]]>).map(([name, make]) => [name, make(settings)]),
  ) as Pick<Ports, P>;
  return { ...made, classifier: classifier.value, config: parsed.value, clock: systemClock, log };
}
