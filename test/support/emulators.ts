import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { inject } from 'vitest';
import { createFirestoreStateStore, type FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { createPubSubBus, type PubSubBus } from '../../shared/adapters/gcp/pubsub-bus.ts';

// Env set by the globalSetup need not reach the test workers, so clients get the hosts explicitly.

export const projectId = (): string => inject('googleCloudProject');

export function emulatorPubSub(): PubSub {
  // A known universe domain stops each client probing the GCE metadata server (noisy warnings);
  // setting it turns emulator detection off, so emulatorMode turns it back on.
  return new PubSub({ projectId: projectId(), apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, universeDomain: 'googleapis.com' });
}

export function emulatorFirestore(): Firestore {
  return new Firestore({ projectId: projectId(), host: inject('firestoreEmulatorHost'), ssl: false, universeDomain: 'googleapis.com' });
}

/** The functions' Pub/Sub bus (REST, then gRPC), on the emulator. */
export function emulatorBus(project: string = projectId()): PubSubBus {
  return createPubSubBus(project, inject('pubsubEmulatorHost'));
}

/** The functions' Firestore state store (REST), on the emulator, reading expiry by `now`. */
export function emulatorStateStore(now?: () => number, project: string = projectId()): FirestoreStateStore {
  return createFirestoreStateStore({ projectId: project, databaseId: '(default)', emulatorHost: inject('firestoreEmulatorHost'), ...(now ? { now } : {}) });
}

/** A name no other test (or earlier run against the same emulator) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
