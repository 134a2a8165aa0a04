import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/cloud-ports/pubsub.ts';
import { cloudObjectReader } from '../../shared/runtime.ts';
import { startPubsubFunction } from '../../shared/startup/start-function.ts';
import { createLogObjectsHandler } from './handler.ts';

// Served to its push subscription through http(): see shared/messaging/framework-pubsub.ts.
http('logobjects', await startPubsubFunction('logobjects', { bus: pubsubBus, state: firestoreState }, (runtime) => createLogObjectsHandler({ ...runtime, objects: cloudObjectReader() })));
