import type { TestProject } from 'vitest/node';
import { startEmulators } from './emulator-processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pubsubEmulatorHost: string;
    firestoreEmulatorHost: string;
    googleCloudProject: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators();
  process.env.PUBSUB_EMULATOR_HOST = emulators.pubsubHost;
  process.env.FIRESTORE_EMULATOR_HOST = emulators.firestoreHost;
  process.env.GOOGLE_CLOUD_PROJECT = emulators.project;
  project.provide('pubsubEmulatorHost', emulators.pubsubHost);
  project.provide('firestoreEmulatorHost', emulators.firestoreHost);
  project.provide('googleCloudProject', emulators.project);
  return emulators.stop;
}
