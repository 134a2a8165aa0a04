import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';
import { createDemoConfig } from '../../../cli/local/demo-config.ts';
import { pubsubFunctions, type PubsubFunctionName } from '../../../shared/composition/function-catalog.ts';
import type { EarshotConfig } from '../../../shared/contracts/schemas/config.ts';
import { startEmulators, type RunningEmulators } from '../../support/emulator-processes.ts';
import type { ChildServer } from '../load/child-server.ts';
import { startFramework } from '../load/servers.ts';
import { InsertAllRecorder } from './insert-all-recorder.ts';

const entry = (name: string) => fileURLToPath(new URL(`../../../functions/${name}/index.ts`, import.meta.url));

type Deployed = 'beacon' | 'conversion' | Extract<PubsubFunctionName, 'count' | 'attribute' | 'warehouse'>;

/** The beacon pipeline as deployed, on this machine: every function under functions-framework, wired by push subscriptions of the Pub/Sub emulator. */
export interface CloudStack {
  config: EarshotConfig;
  functions: Record<Deployed, ChildServer>;
  bigquery: InsertAllRecorder;
  /** A client of the stack's Pub/Sub emulator, for the benchmark's own subscriptions; closed by `stop`. */
  pubsub: PubSub;
  stop(): Promise<void>;
}

/**
 * Starts the Pub/Sub and Firestore emulators, a BigQuery `insertAll` stand-in, and the functions
 * from their entries (`functions/<name>/index.ts`, as the archives hold them) under
 * functions-framework's CLI with the cloud runtime's environment; then creates the topics and a
 * push subscription per Pub/Sub function, as Terraform does.
 */
export async function startCloudStack(): Promise<CloudStack> {
  const config = createDemoConfig();
  let emulators: RunningEmulators | undefined;
  let bigquery: InsertAllRecorder | undefined;
  const started: ChildServer[] = [];
  try {
    emulators = await startEmulators();
    bigquery = await InsertAllRecorder.start();
    const env = {
      EARSHOT_CONFIG: JSON.stringify(config),
      GOOGLE_CLOUD_PROJECT: emulators.project,
      PUBSUB_EMULATOR_HOST: emulators.pubsubHost,
      FIRESTORE_EMULATOR_HOST: emulators.firestoreHost,
      BIGQUERY_EMULATOR_HOST: bigquery.url,
      EARSHOT_DATASET: 'earshot',
    };
    const start = async (name: Deployed) => {
      const server = await startFramework(entry(name), name, env);
      started.push(server);
      return server;
    };
    const functions = {} as Record<Deployed, ChildServer>;
    for (const name of ['beacon', 'conversion', 'count', 'attribute', 'warehouse'] as const) functions[name] = await start(name);

    const pubsub = new PubSub({ projectId: emulators.project, apiEndpoint: emulators.pubsubHost, emulatorMode: true, universeDomain: 'googleapis.com' });
    for (const name of ['count', 'attribute', 'warehouse'] as const) {
      const topicName = pubsubFunctions[name];
      const [exists] = await pubsub.topic(topicName).exists();
      const topic = exists ? pubsub.topic(topicName) : (await pubsub.createTopic(topicName))[0];
      await topic.createSubscription(`${name}-push`, { pushConfig: { pushEndpoint: `${functions[name].url}/` }, ackDeadlineSeconds: 60 });
    }
    const running = { emulators, bigquery };
    return {
      config,
      functions,
      bigquery,
      pubsub,
      stop: async () => {
        await pubsub.close();
        await Promise.all(started.map((s) => s.stop()));
        await running.bigquery.close();
        await running.emulators.stop();
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    await bigquery?.close();
    await emulators?.stop();
    throw err;
  }
}
