import type { CloudSettings } from '../runtime.ts';
import { lazyStateStore } from '../lazy-ports.ts';
import type { StateStore } from '../../contracts/ports.ts';

/** The Firestore state store (REST), its adapter imported on first use (a chunk of its own in the build). */
export function firestoreState(settings: CloudSettings): StateStore {
  return lazyStateStore(async () => (await import('../../adapters/gcp/firestore-state.ts')).createFirestoreStateStore({ projectId: settings.projectId, databaseId: settings.databaseId }));
}
