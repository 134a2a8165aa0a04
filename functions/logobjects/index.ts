import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/composition/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/composition/cloud-ports/pubsub.ts';
import { cloudObjectReader } from '../../shared/composition/runtime.ts';
import { startPubsubFunction } from '../../shared/composition/startup/start-function.ts';
import { createLogObjectsHandler } from './handler.ts';

// Served to its push subscription through http(): see shared/platform/messaging/framework-pubsub.ts.
http('logobjects', await startPubsubFunction('logobjects', { bus: pubsubBus, state: firestoreState }, (runtime) => createLogObjectsHandler({ ...runtime, objects: cloudObjectReader() })));
